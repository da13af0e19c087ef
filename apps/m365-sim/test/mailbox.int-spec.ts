import type { Agent } from 'undici';
import type * as MG from '@microsoft/microsoft-graph-types';
import type { Client, GraphError, PageCollection } from '@microsoft/microsoft-graph-client';
import type { RunningSimulator } from '../src';
import { consent, credential, graphClient, simDispatcher, simFetch, startTestSim } from './helpers';

const NS = '{6e2b7a44-3f1d-4c8e-9a55-0b1c2d3e4f50}';
const LIST_ID = `String ${NS} Name ListId`;
const SOURCE_KEY = `String ${NS} Name SourceKey`;
const HASH = `String ${NS} Name ContentHash`;

describe('m365-sim Graph mailbox: contacts, extended properties, delta, events', () => {
  let sim: RunningSimulator;
  let d: Agent;
  let client: Client;
  let tid: string;
  let uid: string;
  beforeAll(async () => {
    sim = await startTestSim();
    d = simDispatcher(sim);
    tid = sim.info.tenants[0].id;
    await consent(sim, d, tid);
    client = graphClient(sim, credential(sim, tid), d);
    const users = (await simFetch(sim, d, `/_sim/tenants/${tid}/users`)).json;
    uid = users.find(
      (u: { mailbox: string; purpose: string; globalAdmin: boolean }) =>
        u.mailbox === 'cloud' && u.purpose === 'user' && !u.globalAdmin,
    ).id;
  });
  afterAll(async () => {
    await d.close();
    await sim.close();
  });

  it('creates, reads, updates and deletes a contact in a dedicated folder', async () => {
    const folder: MG.ContactFolder = await client
      .api(`/users/${uid}/contactFolders`)
      .post({ displayName: 'Company' });
    const dup: GraphError = await client
      .api(`/users/${uid}/contactFolders`)
      .post({ displayName: 'Company' })
      .catch((e: GraphError) => e);
    expect(dup.statusCode).toBe(409);
    const body: MG.Contact = {
      givenName: 'Ada',
      surname: 'Lovelace',
      businessPhones: ['+44 20 7946 0000'],
      emailAddresses: [{ address: 'ada@example.com', name: 'Ada' }],
    };
    const c: MG.Contact = await client
      .api(`/users/${uid}/contactFolders/${folder.id}/contacts`)
      .post(body);
    expect(c.displayName).toBe('Ada Lovelace');
    expect(c.parentFolderId).toBe(folder.id);
    const patched: MG.Contact = await client
      .api(`/users/${uid}/contacts/${c.id}`)
      .patch({ mobilePhone: '+44 7700 900123' });
    expect(patched.mobilePhone).toBe('+44 7700 900123');
    expect(patched.changeKey).not.toBe(c.changeKey);
    const got: MG.Contact = await client
      .api(`/users/${uid}/contactFolders/${folder.id}/contacts/${c.id}`)
      .select('displayName,mobilePhone')
      .get();
    expect(got).toMatchObject({
      id: c.id,
      displayName: 'Ada Lovelace',
      mobilePhone: '+44 7700 900123',
    });
    expect(Object.keys(got).sort()).toEqual([
      '@odata.context',
      '@odata.etag',
      'displayName',
      'id',
      'mobilePhone',
    ]);
    await client
      .api(`/users/${uid}/contacts/${c.id}/photo/$value`)
      .header('Content-Type', 'image/jpeg')
      .put(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]));
    const mbx = (await simFetch(sim, d, `/_sim/tenants/${tid}/users/${uid}/mailbox`)).json;
    expect(mbx.contacts.find((x: { id: string }) => x.id === c.id).hasPhoto).toBe(true);
    await client.api(`/users/${uid}/contacts/${c.id}`).delete();
    const gone: GraphError = await client
      .api(`/users/${uid}/contacts/${c.id}`)
      .get()
      .catch((e: GraphError) => e);
    expect(gone.statusCode).toBe(404);
    expect(gone.code).toBe('ErrorItemNotFound');
  });

  it('extended properties: set on create and patch, $expand with $filter by id, $filter items by id and value', async () => {
    const mk = (n: number, list: string) =>
      client.api(`/users/${uid}/contacts`).post({
        givenName: `Tagged${n}`,
        singleValueExtendedProperties: [
          { id: LIST_ID, value: list },
          { id: SOURCE_KEY, value: `src-${n}` },
        ],
      } as MG.Contact);
    const a: MG.Contact = await mk(1, 'list-A');
    await mk(2, 'list-A');
    await mk(3, 'list-B');
    await client.api(`/users/${uid}/contacts`).post({ givenName: 'Users own contact' });
    await client
      .api(`/users/${uid}/contacts/${a.id}`)
      .patch({ singleValueExtendedProperties: [{ id: HASH, value: 'h1' }] });
    const filter = `singleValueExtendedProperties/Any(ep: ep/id eq '${LIST_ID}' and ep/value eq 'list-A')`;
    const expand = `singleValueExtendedProperties($filter=id eq '${SOURCE_KEY}' or id eq '${HASH}')`;
    const res: PageCollection = await client
      .api(`/users/${uid}/contacts`)
      .filter(filter)
      .expand(expand)
      .select('givenName')
      .top(100)
      .get();
    expect(res.value.map((c: MG.Contact) => c.givenName).sort()).toEqual(['Tagged1', 'Tagged2']);
    const first = res.value.find((c: MG.Contact) => c.givenName === 'Tagged1') as MG.Contact;
    expect(first.singleValueExtendedProperties).toEqual(
      expect.arrayContaining([
        { id: SOURCE_KEY, value: 'src-1' },
        { id: HASH, value: 'h1' },
      ]),
    );
    expect(first.singleValueExtendedProperties).toHaveLength(2);
    // without $expand, no extended properties
    const plain: MG.Contact = await client.api(`/users/${uid}/contacts/${a.id}`).get();
    expect(plain.singleValueExtendedProperties).toBeUndefined();
    const bad: GraphError = await client
      .api(`/users/${uid}/contacts`)
      .post({ givenName: 'x', singleValueExtendedProperties: [{ id: 'nonsense', value: 'v' }] })
      .catch((e: GraphError) => e);
    expect(bad.statusCode).toBe(400);
  });

  it('contacts delta returns only changed items, with @removed for deletions; $expand is refused', async () => {
    const folder: MG.ContactFolder = await client
      .api(`/users/${uid}/contactFolders`)
      .post({ displayName: 'Delta' });
    const base = `/users/${uid}/contactFolders/${folder.id}/contacts`;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push(((await client.api(base).post({ givenName: `D${i}` })) as MG.Contact).id!);
    let page: PageCollection = await client
      .api(`${base}/delta`)
      .select('givenName')
      .header('Prefer', 'odata.maxpagesize=2')
      .get();
    let n = page.value.length;
    while (page['@odata.nextLink']) {
      page = await client
        .api(page['@odata.nextLink']!)
        .header('Prefer', 'odata.maxpagesize=2')
        .get();
      n += page.value.length;
    }
    expect(n).toBe(5);
    const link1 = page['@odata.deltaLink']!;
    await client.api(`${base}/${ids[1]}`).patch({ surname: 'Changed' });
    await client.api(`${base}/${ids[3]}`).delete();
    await client.api(`/users/${uid}/contacts`).post({ givenName: 'other folder' });
    const changes: PageCollection = await client.api(link1).get();
    expect(changes.value).toHaveLength(2);
    expect(changes.value.find((x: MG.Contact) => x.id === ids[1]).givenName).toBe('D1');
    expect(changes.value.find((x: { id: string }) => x.id === ids[3])['@removed']).toEqual({
      reason: 'deleted',
    });
    const nothing: PageCollection = await client.api(changes['@odata.deltaLink']!).get();
    expect(nothing.value).toHaveLength(0);
    const e: GraphError = await client
      .api(`${base}/delta`)
      .expand('singleValueExtendedProperties')
      .get()
      .catch((x: GraphError) => x);
    expect(e.statusCode).toBe(400);
    await simFetch(sim, d, `/_sim/tenants/${tid}/users/${uid}/mailbox/expire-delta`, {
      method: 'POST',
    });
    const gone: GraphError = await client
      .api(nothing['@odata.deltaLink']!)
      .get()
      .catch((x: GraphError) => x);
    expect(gone.statusCode).toBe(410);
    expect(gone.code).toBe('syncStateNotFound');
  });

  it('events: single event and a weekly series with one moved and one cancelled occurrence, seen through calendarView', async () => {
    const cal: MG.Calendar = await client
      .api(`/users/${uid}/calendars`)
      .post({ name: 'Company holidays' });
    const base = `/users/${uid}/calendars/${cal.id}/events`;
    const single: MG.Event = await client.api(base).post({
      subject: 'Summer party',
      start: { dateTime: '2026-07-03T16:00:00', timeZone: 'UTC' },
      end: { dateTime: '2026-07-03T20:00:00', timeZone: 'UTC' },
      transactionId: 'txn-party-1',
    });
    const again: MG.Event = await client.api(base).post({
      subject: 'Summer party',
      start: { dateTime: '2026-07-03T16:00:00', timeZone: 'UTC' },
      end: { dateTime: '2026-07-03T20:00:00', timeZone: 'UTC' },
      transactionId: 'txn-party-1',
    });
    expect(again.id).toBe(single.id);
    const upd: MG.Event = await client
      .api(`${base}/${single.id}`)
      .patch({ subject: 'Summer party (garden)' });
    expect(upd.subject).toBe('Summer party (garden)');
    const series: MG.Event = await client.api(base).post({
      subject: 'Weekly standup',
      start: { dateTime: '2026-06-01T09:00:00', timeZone: 'UTC' },
      end: { dateTime: '2026-06-01T09:15:00', timeZone: 'UTC' },
      recurrence: {
        pattern: { type: 'weekly', interval: 1, daysOfWeek: ['monday'], firstDayOfWeek: 'sunday' },
        range: { type: 'numbered', startDate: '2026-06-01', numberOfOccurrences: 6 },
      },
    });
    expect(series.type).toBe('seriesMaster');
    const window = { startDateTime: '2026-06-01T00:00:00Z', endDateTime: '2026-07-31T00:00:00Z' };
    const inst: PageCollection = await client
      .api(`${base}/${series.id}/instances`)
      .query(window)
      .top(50)
      .get();
    expect(inst.value.map((e: MG.Event) => e.start!.dateTime!.slice(0, 10))).toEqual([
      '2026-06-01',
      '2026-06-08',
      '2026-06-15',
      '2026-06-22',
      '2026-06-29',
      '2026-07-06',
    ]);
    const third = inst.value[2] as MG.Event;
    const fifth = inst.value[4] as MG.Event;
    expect(third.type).toBe('occurrence');
    expect(third.seriesMasterId).toBe(series.id);
    // move one occurrence, cancel another
    const moved: MG.Event = await client.api(`/users/${uid}/events/${third.id}`).patch({
      start: { dateTime: '2026-06-16T10:00:00', timeZone: 'UTC' },
      end: { dateTime: '2026-06-16T10:15:00', timeZone: 'UTC' },
    });
    expect(moved.type).toBe('exception');
    await client.api(`/users/${uid}/events/${fifth.id}`).delete();
    const view: PageCollection = await client
      .api(`/users/${uid}/calendars/${cal.id}/calendarView`)
      .query(window)
      .top(100)
      .get();
    const rows = view.value.map(
      (e: MG.Event) => `${e.start!.dateTime!.slice(0, 16)} ${e.type} ${e.subject}`,
    );
    expect(rows).toEqual([
      '2026-06-01T09:00 occurrence Weekly standup',
      '2026-06-08T09:00 occurrence Weekly standup',
      '2026-06-16T10:00 exception Weekly standup',
      '2026-06-22T09:00 occurrence Weekly standup',
      '2026-07-03T16:00 singleInstance Summer party (garden)',
      '2026-07-06T09:00 occurrence Weekly standup',
    ]);
    // event delta is documented on the primary calendarView only: not on this calendar
    const noDelta: GraphError = await client
      .api(`/users/${uid}/calendars/${cal.id}/calendarView/delta`)
      .query(window)
      .get()
      .catch((e: GraphError) => e);
    expect(noDelta.statusCode).toBe(400);
    await client.api(`${base}/${single.id}`).delete();
    await client.api(`${base}/${series.id}`).delete();
    const empty: PageCollection = await client
      .api(`/users/${uid}/calendars/${cal.id}/calendarView`)
      .query(window)
      .get();
    expect(empty.value).toHaveLength(0);
    const stats = (await simFetch(sim, d, '/_sim/stats')).json;
    expect(stats.ops['events.invitationsSent']).toBeUndefined();
  });

  it('time zones: a weekly 09:00 W. Europe series keeps its wall time across DST; answers in UTC unless Prefer: outlook.timezone', async () => {
    const series: MG.Event = await client.api(`/users/${uid}/events`).post({
      subject: 'Berlin standup',
      start: { dateTime: '2026-03-23T09:00:00', timeZone: 'W. Europe Standard Time' },
      end: { dateTime: '2026-03-23T09:30:00', timeZone: 'W. Europe Standard Time' },
      recurrence: {
        pattern: { type: 'weekly', interval: 1, daysOfWeek: ['monday'] },
        range: { type: 'numbered', startDate: '2026-03-23', numberOfOccurrences: 2 },
      },
    });
    expect(series.start).toEqual({ dateTime: '2026-03-23T08:00:00.0000000', timeZone: 'UTC' });
    expect(series.originalStartTimeZone).toBe('W. Europe Standard Time');
    const window = { startDateTime: '2026-03-20T00:00:00Z', endDateTime: '2026-04-05T00:00:00Z' };
    const utc: PageCollection = await client
      .api(`/users/${uid}/calendarView`)
      .query(window)
      .filter("subject eq 'Berlin standup'")
      .get();
    expect(utc.value.map((e: MG.Event) => e.start!.dateTime)).toEqual([
      '2026-03-23T08:00:00.0000000',
      '2026-03-30T07:00:00.0000000',
    ]);
    const local: PageCollection = await client
      .api(`/users/${uid}/calendarView`)
      .query(window)
      .filter("subject eq 'Berlin standup'")
      .header('Prefer', 'outlook.timezone="W. Europe Standard Time"')
      .get();
    expect(local.value.map((e: MG.Event) => `${e.start!.dateTime} ${e.start!.timeZone}`)).toEqual([
      '2026-03-23T09:00:00.0000000 W. Europe Standard Time',
      '2026-03-30T09:00:00.0000000 W. Europe Standard Time',
    ]);
    const bad: GraphError = await client
      .api(`/users/${uid}/events`)
      .post({
        subject: 'x',
        start: { dateTime: '2026-01-01T09:00:00', timeZone: 'Mars/Olympus' },
        end: { dateTime: '2026-01-01T10:00:00', timeZone: 'Mars/Olympus' },
      })
      .catch((e: GraphError) => e);
    expect(bad.statusCode).toBe(400);
    expect(bad.code).toBe('TimeZoneNotSupportedException');
    await client.api(`/users/${uid}/events/${series.id}`).delete();
  });

  it('malformed input answers Graph errors: bad JSON, unknown property, wrong type, bad date', async () => {
    const bad = await simFetch(sim, d, `/v1.0/users/${uid}/contacts`, {
      method: 'POST',
      body: '{"givenName":',
      headers: { authorization: `Bearer ${await tokenOf()}` },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('BadRequest');
    expect(bad.json.error.innerError['request-id']).toBeTruthy();
    const unknown: GraphError = await client
      .api(`/users/${uid}/contacts`)
      .post({ givenName: 'x', favouriteColour: 'blue' })
      .catch((e: GraphError) => e);
    expect(unknown.statusCode).toBe(400);
    expect(unknown.code).toBe('RequestBodyRead');
    const wrongType: GraphError = await client
      .api(`/users/${uid}/contacts`)
      .post({ givenName: 42 })
      .catch((e: GraphError) => e);
    expect(wrongType.statusCode).toBe(400);
    const badDate: GraphError = await client
      .api(`/users/${uid}/events`)
      .post({
        subject: 'x',
        start: { dateTime: 'tomorrow', timeZone: 'UTC' },
        end: { dateTime: 'later', timeZone: 'UTC' },
      })
      .catch((e: GraphError) => e);
    expect(badDate.statusCode).toBe(400);
    const noWindow: GraphError = await client
      .api(`/users/${uid}/calendarView`)
      .get()
      .catch((e: GraphError) => e);
    expect(noWindow.statusCode).toBe(400);
    expect(noWindow.code).toBe('ErrorInvalidParameter');
  });

  async function tokenOf(): Promise<string> {
    return (await credential(sim, tid).getToken('https://graph.microsoft.com/.default'))!.token;
  }
});
