import type { CalendarEvent, ItemWrite, ItemWriteResult, MailboxSession } from '@app/domain';
import type { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { gatewayOnSimulator } from '../testing/gateway-on-simulator';
import { SimulatorProcess } from '../testing/simulator-process';
import { GraphEventsStore } from './graph-events-store';

// The Graph events adapter on the simulator: appointments without attendees, series with their
// moved and cancelled occurrences, a moved occurrence changed alone, our tags found again.
let sim: SimulatorProcess;
let redis: Redis;
let store: GraphEventsStore;
let tid: string;
let userId: string;

type Session = MailboxSession<CalendarEvent, unknown>;

interface GraphInstance {
  id: string;
  type: string;
  originalStart?: string;
  subject?: string;
  start: { dateTime: string; timeZone: string };
}

const NY = 'America/New_York';
const standup = (over: Partial<CalendarEvent> = {}): CalendarEvent => ({
  sourceKey: 'ics:standup',
  subject: 'Stand-up',
  start: { kind: 'dateTime', local: '2027-01-05T09:00:00', timeZone: NY },
  end: { kind: 'dateTime', local: '2027-01-05T09:30:00', timeZone: NY },
  isAllDay: false,
  showAs: 'busy',
  isReminderOn: false,
  recurrence: {
    pattern: { type: 'weekly', interval: 1, daysOfWeek: ['tuesday'], firstDayOfWeek: 'monday' },
    range: { type: 'numbered', startDate: '2027-01-05', numberOfOccurrences: 6 },
  },
  exceptions: [
    {
      kind: 'cancelled',
      originalStart: { kind: 'dateTime', local: '2027-01-12T09:00:00', timeZone: NY },
    },
    {
      kind: 'modified',
      originalStart: { kind: 'dateTime', local: '2027-01-19T09:00:00', timeZone: NY },
      start: { kind: 'dateTime', local: '2027-01-19T11:00:00', timeZone: NY },
      end: { kind: 'dateTime', local: '2027-01-19T11:30:00', timeZone: NY },
      subject: 'Stand-up (moved)',
    },
  ],
  ...over,
});

async function writeAll(
  session: Session,
  containerId: string,
  listId: string,
  writes: ItemWrite<CalendarEvent>[],
): Promise<ItemWriteResult<CalendarEvent>[]> {
  const results: ItemWriteResult<CalendarEvent>[] = [];
  await session.write(containerId, listId, writes, async (batch) => void results.push(...batch));
  return results;
}

async function instances(eventId: string): Promise<GraphInstance[]> {
  const res = await sim.graphAsApp<{ value: GraphInstance[] }>(
    tid,
    'GET',
    `/users/${userId}/events/${eventId}/instances?startDateTime=2027-01-01T00:00:00Z&endDateTime=2027-03-01T00:00:00Z&$top=100`,
  );
  return res.body.value;
}

async function stats(): Promise<Record<string, { count: number }>> {
  const res = await sim.control<{ ops: Record<string, { count: number }> }>('/stats');
  return res.ops;
}

beforeAll(async () => {
  sim = await SimulatorProcess.start(['--tenants', '1', '--users', '6', '--seed', '12']);
  tid = sim.info.tenants[0].id;
  await sim.control(`/tenants/${tid}/consent`, 'POST', {});
  const users = await sim.control<
    | Array<{ id: string; mailbox: string; purpose?: string }>
    | { users: Array<{ id: string; mailbox: string; purpose?: string }> }
  >(`/tenants/${tid}/users`);
  const user = (Array.isArray(users) ? users : users.users).find(
    (u) => u.mailbox === 'cloud' && (u.purpose ?? 'user') === 'user',
  );
  if (!user) throw new Error('no cloud user mailbox in the simulated tenant');
  userId = user.id;
  const made = gatewayOnSimulator(sim);
  redis = made.redis;
  store = new GraphEventsStore(made.gateway);
});

afterAll(async () => {
  redis?.disconnect();
  await sim?.stop();
});

describe('Graph events adapter', () => {
  let session: Session;
  let calendarId: string;
  const listId = randomUUID();
  let seriesId: string;

  beforeAll(async () => {
    session = store.open({ tenant: { id: randomUUID(), azureTenantId: tid }, mailboxId: userId });
    calendarId = (await session.ensureContainer(
      { kind: 'named', name: `Team ${randomUUID().slice(0, 6)}` },
      { create: true },
    ))!;
  });

  it('finds or creates its calendar by name and has no change feed', async () => {
    const name = `Holidays ${randomUUID().slice(0, 6)}`;
    expect(
      await session.ensureContainer({ kind: 'named', name }, { create: false }),
    ).toBeUndefined();
    const id = await session.ensureContainer({ kind: 'named', name }, { create: true });
    expect(
      await session.ensureContainer({ kind: 'named', name: name.toUpperCase() }, { create: false }),
    ).toBe(id);
    expect(session.changeTracking).toBe('none');
    expect(await session.readChanges(id!, undefined)).toBe('expired');
  });

  it('writes a series with its cancelled and moved occurrences, invites nobody, and tags it', async () => {
    await sim.control('/stats', 'DELETE');
    const [result] = await writeAll(session, calendarId, listId, [
      { kind: 'create', sourceKey: 'ics:standup', contentHash: 'h1', patch: standup() },
    ]);
    expect(result).toMatchObject({ outcome: 'done' });
    seriesId = result!.itemId!;
    const all = await instances(seriesId);
    // 6 occurrences, one cancelled: 5 instances; the 19th moved to 11:00 New York (16:00 UTC).
    expect(all).toHaveLength(5);
    const moved = all.find((i) => i.type === 'exception')!;
    expect(moved.subject).toBe('Stand-up (moved)');
    expect(Date.parse(`${moved.start.dateTime.replace(/Z$/, '')}Z`)).toBe(
      Date.parse('2027-01-19T16:00:00Z'),
    );
    expect(all.some((i) => i.originalStart?.startsWith('2027-01-12'))).toBe(false);
    expect((await stats())['events.invitationsSent']?.count ?? 0).toBe(0);

    const tagged: Array<{ itemId: string; sourceKey?: string; contentHash?: string }> = [];
    for await (const page of session.listTagged(calendarId, listId)) tagged.push(...page);
    expect(tagged).toEqual([
      expect.objectContaining({ itemId: seriesId, sourceKey: 'ics:standup', contentHash: 'h1' }),
    ]);
  });

  it('moving another occurrence changes exactly that instance', async () => {
    const before = await instances(seriesId);
    const event = standup();
    event.exceptions!.push({
      kind: 'modified',
      originalStart: { kind: 'dateTime', local: '2027-02-02T09:00:00', timeZone: NY },
      start: { kind: 'dateTime', local: '2027-02-02T14:00:00', timeZone: NY },
      end: { kind: 'dateTime', local: '2027-02-02T14:30:00', timeZone: NY },
    });
    const [result] = await writeAll(session, calendarId, listId, [
      {
        kind: 'update',
        itemId: seriesId,
        sourceKey: 'ics:standup',
        contentHash: 'h2',
        patch: event,
      },
    ]);
    expect(result).toMatchObject({ outcome: 'done', itemId: seriesId });
    const after = await instances(seriesId);
    expect(after).toHaveLength(5);
    const changed = after.filter((a) => {
      const b = before.find((x) => x.originalStart === a.originalStart);
      return !b || b.start.dateTime !== a.start.dateTime || b.subject !== a.subject;
    });
    expect(changed.map((c) => c.originalStart?.slice(0, 10))).toEqual(['2027-02-02']);
    const tagged: Array<{ contentHash?: string }> = [];
    for await (const page of session.listTagged(calendarId, listId)) tagged.push(...page);
    expect(tagged).toEqual([expect.objectContaining({ contentHash: 'h2' })]);
  });

  it('writes an all-day single event and deletes exactly ours', async () => {
    const [created] = await writeAll(session, calendarId, listId, [
      {
        kind: 'create',
        sourceKey: 'holiday:x',
        contentHash: 'd1',
        patch: {
          sourceKey: 'holiday:x',
          subject: 'Neujahr',
          start: { kind: 'date', date: '2027-01-01' },
          end: { kind: 'date', date: '2027-01-02' },
          isAllDay: true,
          showAs: 'free',
          isReminderOn: false,
        },
      },
    ]);
    const read = await sim.graphAsApp<{ isAllDay: boolean; showAs: string; attendees: unknown[] }>(
      tid,
      'GET',
      `/users/${userId}/events/${created!.itemId}`,
    );
    expect(read.body).toMatchObject({ isAllDay: true, showAs: 'free', attendees: [] });
    const results = await writeAll(session, calendarId, listId, [
      { kind: 'delete', itemId: created!.itemId!, sourceKey: 'holiday:x' },
      { kind: 'delete', itemId: seriesId, sourceKey: 'ics:standup' },
    ]);
    expect(results.map((r) => r.outcome)).toEqual(['done', 'done']);
    const left: unknown[] = [];
    for await (const page of session.listTagged(calendarId, listId)) left.push(...page);
    expect(left).toEqual([]);
  });
});
