import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateTls } from '../apps/m365-sim/src/core/tls';
import { Fleet, tag } from './support/fleet';

const FEED = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//feed//EN',
  'BEGIN:VEVENT',
  'UID:allhands@acme.example',
  'DTSTART;TZID=Europe/Berlin:20270401T160000',
  'DTEND;TZID=Europe/Berlin:20270401T170000',
  'SUMMARY:All hands',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

// Line 6 is no content line: the run must name it and write nothing.
const MALFORMED = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//feed//EN',
  'BEGIN:VEVENT',
  'UID:broken@acme.example',
  'this is not a property',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

/**
 * Issue #20, acceptance 4 at run level: a feed list's run fetches its feed (a real HTTPS server
 * on loopback, allowed by the operator's allow-list in this test's configuration); a 304 costs
 * one conditional request and no mailbox writes; a malformed feed and a feed at a private
 * address not on the allow-list end the run with a clear error and write nothing.
 */
describe('calendar feeds in runs (issue #20, acceptance 4)', () => {
  let fleet: Fleet;
  let server: Server;
  let base: string;
  let dir: string;
  let mailboxes: string[];
  const requests: Array<{ url: string; ifNoneMatch?: string }> = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'feed-run-'));
    const tls = loadOrCreateTls(dir, '127.0.0.1');
    writeFileSync(join(dir, 'feed-ca.pem'), tls.caPem);
    server = createServer({ key: tls.keyPem, cert: tls.certPem }, (req, res) => {
      const ifNoneMatch = req.headers['if-none-match'];
      requests.push({ url: req.url ?? '', ifNoneMatch: ifNoneMatch as string | undefined });
      if (req.url === '/bad.ics')
        return res.writeHead(200, { 'content-type': 'text/calendar' }).end(MALFORMED);
      if (ifNoneMatch === '"v1"') return res.writeHead(304).end();
      res
        .writeHead(200, { etag: '"v1"', 'content-type': 'text/calendar; charset=utf-8' })
        .end(FEED);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    fleet = await Fleet.start({
      sim: { usersPerTenant: 10 },
      env: {
        CALENDAR_FEED_ALLOWED_NETWORKS: '127.0.0.0/8',
        CALENDAR_FEED_CA_FILE: join(dir, 'feed-ca.pem'),
      },
    });
    mailboxes = (await fleet.users())
      .filter(
        (u) =>
          u.mailbox === 'cloud' &&
          u.licensed !== false &&
          u.purpose === 'user' &&
          u.accountEnabled !== false &&
          !!u.mail,
      )
      .slice(0, 4)
      .map((u) => u.id);
  }, 120_000);

  afterAll(async () => {
    await fleet?.stop();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  const feedList = (name: string, url: string) =>
    fleet.createCalendarList(
      name,
      {
        sources: [{ id: 'feed', kind: 'ics-feed', url }],
        destination: { kind: 'calendar', name },
      },
      mailboxes.map((id) => ({ kind: 'user', mode: 'include', value: id })),
    );
  const ourEvents = async (listId: string) => {
    let n = 0;
    for (const id of mailboxes)
      n += (await fleet.calendar(id)).events.filter((e) => tag(e, 'CsListId') === listId).length;
    return n;
  };
  const entryRows = async (listId: string) =>
    Number(
      (
        (await fleet.dataSource.query(
          `SELECT COUNT(*) AS n FROM calendar_entry WHERE calendar_list_id = '${listId}'`,
        )) as Array<{ n: number }>
      )[0].n,
    );
  const writes = async () => {
    const { ops } = await fleet.stats();
    return ['events.create', 'events.update', 'events.delete', 'calendars.create'].reduce(
      (n, op) => n + (ops[op]?.count ?? 0),
      0,
    );
  };

  it('pushes the feed, then a 304 costs one conditional request and no mailbox writes', async () => {
    const listId = await feedList('Company feed', `${base}/company.ics`);
    requests.length = 0;
    const first = await fleet.runNow(listId, 'sync', 120_000, 'calendar');
    expect(first).toMatchObject({ status: 'succeeded', mailboxesSucceeded: mailboxes.length });
    expect(await ourEvents(listId)).toBe(mailboxes.length);
    expect(requests).toEqual([{ url: '/company.ics' }]);

    requests.length = 0;
    await fleet.resetStats();
    const second = await fleet.runNow(listId, 'sync', 120_000, 'calendar');
    expect(second.status).toBe('succeeded');
    expect(requests).toEqual([{ url: '/company.ics', ifNoneMatch: '"v1"' }]);
    expect(await writes()).toBe(0);
    expect(await ourEvents(listId)).toBe(mailboxes.length);
  }, 240_000);

  it('a malformed feed ends the run naming the line and the reason; nothing is stored or written', async () => {
    const listId = await feedList('Broken feed', `${base}/bad.ics`);
    await fleet.resetStats();
    const run = await fleet.runNow(listId, 'sync', 120_000, 'calendar');
    expect(run).toMatchObject({ status: 'failed', errorCode: 'calendar_feed_invalid' });
    expect(run.errorMessage).toMatch(/line 6: .*not a content line/);
    expect(await entryRows(listId)).toBe(0);
    expect(await writes()).toBe(0);
    expect(await ourEvents(listId)).toBe(0);
  }, 240_000);

  it('a feed at a private address not on the allow-list is refused at run time; nothing is written', async () => {
    const listId = await feedList('Internal feed', 'https://10.255.255.1/cal.ics');
    await fleet.resetStats();
    const run = await fleet.runNow(listId, 'sync', 120_000, 'calendar');
    expect(run).toMatchObject({ status: 'failed', errorCode: 'calendar_feed_refused' });
    expect(run.errorMessage).toMatch(/10\.255\.255\.1|private/);
    expect(await writes()).toBe(0);
    expect(await ourEvents(listId)).toBe(0);
  }, 240_000);
});
