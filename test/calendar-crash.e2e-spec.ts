import { Fleet, tag, type SimEvent } from './support/fleet';
import { startService, type ServiceProcess } from './support/service-process';

/** 30 single events and a weekly series with one moved and one cancelled occurrence. */
function companyCalendar(): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//crash//EN'];
  for (let i = 0; i < 30; i++) {
    const day = String(1 + (i % 28)).padStart(2, '0');
    const month = String(2 + Math.floor(i / 28)).padStart(2, '0');
    lines.push(
      'BEGIN:VEVENT',
      `UID:event-${i}@acme.example`,
      `DTSTART;TZID=Europe/Berlin:2027${month}${day}T${String(8 + (i % 9)).padStart(2, '0')}0000`,
      `DTEND;TZID=Europe/Berlin:2027${month}${day}T${String(9 + (i % 9)).padStart(2, '0')}0000`,
      `SUMMARY:Event ${i}`,
      'END:VEVENT',
    );
  }
  lines.push(
    'BEGIN:VEVENT',
    'UID:weekly@acme.example',
    'DTSTART;TZID=Europe/Berlin:20270104T100000',
    'DTEND;TZID=Europe/Berlin:20270104T103000',
    'RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=6',
    'EXDATE;TZID=Europe/Berlin:20270111T100000',
    'SUMMARY:Weekly',
    'END:VEVENT',
    'BEGIN:VEVENT',
    'UID:weekly@acme.example',
    'RECURRENCE-ID;TZID=Europe/Berlin:20270118T100000',
    'DTSTART;TZID=Europe/Berlin:20270119T100000',
    'DTEND;TZID=Europe/Berlin:20270119T103000',
    'SUMMARY:Weekly (moved)',
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  );
  return lines.join('\r\n');
}
const ITEMS = 31;

/**
 * Issue #20, acceptance 5: calendars survive what contacts survive. Lost responses, workers
 * killed with SIGKILL at 20 % and 60 % of a run, and throttling leave every mailbox with
 * exactly the list's events: no duplicate, none lost, no request before a Retry-After passed.
 */
describe('calendar crash safety and throttling', () => {
  let fleet: Fleet;
  const workers: ServiceProcess[] = [];

  beforeAll(async () => {
    fleet = await Fleet.start({
      sim: { usersPerTenant: 30, seed: 57, serviceTimeMs: { '*': 15 } },
      worker: false,
    });
  }, 120_000);
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop('SIGKILL')));
    await fleet?.stop();
  });

  const newList = async (name: string) => {
    const listId = await fleet.createCalendarList(
      name,
      {
        sources: [{ id: 'upload', kind: 'ics-upload' }],
        destination: { kind: 'calendar', name },
      },
      [{ kind: 'all', mode: 'include', value: null }],
    );
    expect(await fleet.storeIcs(listId, 'upload', companyCalendar())).toBe(ITEMS);
    return listId;
  };

  /** Every synced mailbox holds each event once: one series (with its exception) and 30 singles. */
  async function expectExactlyOnce(listId: string): Promise<number> {
    const synced = (await fleet.dataSource.query(
      `SELECT mailbox_id FROM mailbox_state WHERE list_id = '${listId}' AND status = 'in_sync'`,
    )) as Array<{ mailbox_id: string }>;
    for (const { mailbox_id } of synced) {
      const events = (await fleet.calendar(mailbox_id)).events.filter(
        (e) => tag(e, 'CsListId') === listId,
      );
      const items = events.filter((e: SimEvent) => e.type !== 'exception');
      const keys = items.map((e) => tag(e, 'CsSourceKey'));
      expect(new Set(keys).size).toBe(keys.length);
      expect(keys).toHaveLength(ITEMS);
      const [master] = events.filter((e) => e.type === 'seriesMaster');
      expect(events.filter((e) => e.type === 'exception')).toEqual([
        expect.objectContaining({ seriesMasterId: master.id, subject: 'Weekly (moved)' }),
      ]);
      expect(master.cancelledOccurrences.map((d) => d.slice(0, 10))).toEqual(['2027-01-11']);
    }
    return synced.length;
  }

  it('a response dropped after a create was applied does not produce a duplicate', async () => {
    workers.push(startService('apps/worker/src/main.ts', { ...fleet.env, LOG_LEVEL: 'info' }));
    await workers[0].listening();
    const listId = await newList('Dropped');
    await fleet.simFetch('/_sim/faults', {
      method: 'PUT',
      body: { dropAfterWrite: { count: 3, pathPrefix: '/v1.0/$batch' } },
    });
    const run = await fleet.runNow(listId, 'sync', 120_000, 'calendar');
    expect(run.status).toBe('succeeded');
    const stats = await fleet.stats();
    const mailboxes = await expectExactlyOnce(listId);
    expect(mailboxes).toBeGreaterThan(15);
    // Every create the simulator applied is one event in place: none was sent twice.
    expect(stats.ops['events.create'].count).toBe(ITEMS * mailboxes);
    await workers[0].stop('SIGTERM');
  }, 240_000);

  it.each([0.2, 0.6])(
    'a worker killed with SIGKILL at %p of a run converges after restart with no duplicates and nothing lost',
    async (at) => {
      await fleet.simFetch('/_sim/faults', { method: 'DELETE' });
      const worker = startService('apps/worker/src/main.ts', {
        ...fleet.env,
        LOG_LEVEL: 'info',
        SYNC_WORKER_CONCURRENCY: '4',
      });
      workers.push(worker);
      await worker.listening();
      const listId = await newList(`Killed at ${at}`);
      const since = new Date(Date.now() - 1);
      await fleet.queues.triggerRun({
        tenantId: fleet.tenantId,
        listId,
        listKind: 'calendar',
        trigger: 'manual',
        mode: 'sync',
      });
      await fleet.waitForProgress(listId, at);
      await worker.stop('SIGKILL');
      const restarted = startService('apps/worker/src/main.ts', {
        ...fleet.env,
        LOG_LEVEL: 'info',
      });
      workers.push(restarted);
      const run = await fleet.waitForRun(listId, since, 150_000);
      expect(run.status).toBe('succeeded');
      expect(await expectExactlyOnce(listId)).toBeGreaterThan(15);
      // A further run finds nothing to repair.
      const again = await fleet.runNow(listId, 'sync', 60_000, 'calendar');
      expect(again).toMatchObject({
        status: 'succeeded',
        itemsCreated: 0,
        itemsUpdated: 0,
        itemsDeleted: 0,
      });
      await restarted.stop('SIGTERM');
    },
    240_000,
  );

  it('a throttled run completes, waits out every Retry-After, and never sends early', async () => {
    await fleet.simFetch('/_sim/config', {
      method: 'PUT',
      body: {
        throttle: { mailboxWindowRequests: 12, mailboxWindowSeconds: 2, maxRetryAfterSeconds: 2 },
      },
    });
    const worker = startService('apps/worker/src/main.ts', {
      ...fleet.env,
      LOG_LEVEL: 'info',
      SYNC_MAX_INLINE_RETRY_SECONDS: '3',
    });
    workers.push(worker);
    await worker.listening();
    const listId = await newList('Throttled');
    await fleet.resetStats();
    const run = await fleet.runNow(listId, 'sync', 240_000, 'calendar');
    expect(run).toMatchObject({ status: 'succeeded', mailboxesFailed: 0 });
    const stats = await fleet.stats();
    expect(stats.throttled).toBeGreaterThan(0);
    expect(stats.mailboxes.reduce((n, m) => n + m.earlyRequests, 0)).toBe(0);
    expect(await expectExactlyOnce(listId)).toBeGreaterThan(15);
    await worker.stop('SIGTERM');
  }, 300_000);
});
