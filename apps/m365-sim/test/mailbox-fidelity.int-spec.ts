/**
 * Mailbox rules of the second fidelity round (issue #18), through the real Graph client:
 * Outlook's fixed contact slots, If-Match, REST vs EWS ids, all-day events, event shapes and
 * where event delta exists, $orderby/$count on contacts, and the default service time.
 */
import type { Agent } from 'undici';
import type * as MG from '@microsoft/microsoft-graph-types';
import type { Client, GraphError, PageCollection } from '@microsoft/microsoft-graph-client';
import type { RunningSimulator } from '../src';
import {
  consent,
  credential,
  delegatedToken,
  graphClient,
  graphClientWithToken,
  simDispatcher,
  simFetch,
  startTestSim,
  type Json,
} from './helpers';

type BatchResponse = {
  responses: { id: string; status: number; body?: Json }[];
};

describe('m365-sim mailbox fidelity, second round', () => {
  let sim: RunningSimulator;
  let d: Agent;
  let client: Client;
  let tid: string;
  let uid: string;
  let folder: string;

  beforeAll(async () => {
    // default options: the default service time (3 ms + seeded jitter) is part of what is tested
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
    folder = (
      (await client
        .api(`/users/${uid}/contactFolders`)
        .post({ displayName: 'Fidelity' })) as MG.ContactFolder
    ).id!;
  });
  afterAll(async () => {
    await d.close();
    await sim.close();
  });

  const fails = (p: Promise<unknown>): Promise<GraphError> =>
    p.then(
      () => {
        throw new Error('expected a Graph error');
      },
      (e: GraphError) => e,
    );

  it('contacts have Outlook fixed slots: 3 e-mail addresses, 2 business phones, 2 home phones (create, update, $batch)', async () => {
    const base = `/users/${uid}/contactFolders/${folder}/contacts`;
    const emails = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ address: `p${i}@example.com`, name: `P ${i}` }));
    const full: MG.Contact = await client.api(base).post({
      givenName: 'Full',
      emailAddresses: emails(3),
      businessPhones: ['+1 1', '+1 2'],
      homePhones: ['+1 3', '+1 4'],
    });
    expect(full.emailAddresses).toHaveLength(3);
    const four = await fails(client.api(base).post({ givenName: 'X', emailAddresses: emails(4) }));
    expect(four.statusCode).toBe(400);
    expect(four.message).toBe(
      'EmailAddresses has 4 entries, that exceeds the max allowed value of 3',
    );
    const bp = await fails(
      client.api(base).post({ givenName: 'X', businessPhones: ['1', '2', '3'] }),
    );
    expect(bp.statusCode).toBe(400);
    expect(bp.message).toBe(
      'BusinessPhones has 3 entries, that exceeds the max allowed value of 2',
    );
    const hp = await fails(
      client.api(`${base}/${full.id}`).patch({ homePhones: ['1', '2', '3', '4'] }),
    );
    expect(hp.statusCode).toBe(400);
    expect(hp.message).toBe('HomePhones has 4 entries, that exceeds the max allowed value of 2');
    const batch: BatchResponse = await client.api('/$batch').post({
      requests: [
        {
          id: '1',
          method: 'POST',
          url: base,
          headers: { 'Content-Type': 'application/json' },
          body: { givenName: 'InBatch', emailAddresses: emails(5) },
        },
        {
          id: '2',
          method: 'PATCH',
          url: `${base}/${full.id}`,
          headers: { 'Content-Type': 'application/json' },
          body: { businessPhones: ['a', 'b'] },
        },
      ],
    });
    const byId = new Map(batch.responses.map((r) => [r.id, r]));
    expect(byId.get('1')!.status).toBe(400);
    expect(byId.get('1')!.body.error.message).toBe(
      'EmailAddresses has 5 entries, that exceeds the max allowed value of 3',
    );
    expect(byId.get('2')!.status).toBe(200);
    const list: PageCollection = await client.api(base).filter("givenName eq 'InBatch'").get();
    expect(list.value).toHaveLength(0);
  });

  it('If-Match: a stale change key answers 412, the current @odata.etag is accepted', async () => {
    const base = `/users/${uid}/contacts`;
    const c: Json = await client.api(base).post({ givenName: 'Etag' });
    const etag0 = c['@odata.etag'] as string;
    expect(etag0).toBe(`W/"${c.changeKey}"`);
    const v1: Json = await client
      .api(`${base}/${c.id}`)
      .header('If-Match', etag0)
      .patch({ surname: 'One' });
    expect(v1.surname).toBe('One');
    expect(v1['@odata.etag']).not.toBe(etag0);
    const stale = await fails(
      client.api(`${base}/${c.id}`).header('If-Match', etag0).patch({ surname: 'Two' }),
    );
    expect(stale.statusCode).toBe(412);
    expect(stale.code).toBe('ErrorIrresolvableConflict');
    const staleDelete = await fails(
      client.api(`${base}/${c.id}`).header('If-Match', etag0).delete(),
    );
    expect(staleDelete.statusCode).toBe(412);
    const still: MG.Contact = await client.api(`${base}/${c.id}`).get();
    expect(still.surname).toBe('One');
    await client.api(`${base}/${c.id}`).header('If-Match', v1['@odata.etag']).delete();
    const gone = await fails(client.api(`${base}/${c.id}`).get());
    expect(gone.statusCode).toBe(404);
  });

  it('Graph and EWS ids differ for the same item; translateExchangeIds (delegated only) converts them', async () => {
    const c: MG.Contact = await client
      .api(`/users/${uid}/contactFolders/${folder}/contacts`)
      .post({ givenName: 'Twin' });
    const body = { inputIds: [c.id, folder], sourceIdType: 'restId', targetIdType: 'ewsId' };
    const appOnly = await fails(client.api(`/users/${uid}/translateExchangeIds`).post(body));
    expect(appOnly.statusCode).toBe(403);
    const delegated = graphClientWithToken(
      sim,
      await delegatedToken(sim, d, tid, sim.info.tenants[0].adminUpn),
      d,
    );
    const toEws: Json = await delegated.api(`/users/${uid}/translateExchangeIds`).post(body);
    const [ewsContact, ewsFolder] = (toEws.value as Json[]).map((r) => r.targetId as string);
    expect(toEws.value[0].sourceId).toBe(c.id);
    expect(ewsContact).not.toBe(c.id);
    expect(ewsFolder).not.toBe(folder);
    // the EWS id is no Graph id
    const mixed = await fails(
      client.api(`/users/${uid}/contacts/${encodeURIComponent(ewsContact)}`).get(),
    );
    expect(mixed.statusCode).toBe(400);
    // and back
    const back: Json = await delegated.api(`/users/${uid}/translateExchangeIds`).post({
      inputIds: [ewsContact, c.id],
      sourceIdType: 'ewsId',
      targetIdType: 'restId',
    });
    expect(back.value[0]).toEqual({ sourceId: ewsContact, targetId: c.id });
    expect(back.value[1].errorDetails.code).toBe('ErrorInvalidIdMalformed');
    const badType = await fails(
      delegated
        .api(`/users/${uid}/translateExchangeIds`)
        .post({ inputIds: [c.id], sourceIdType: 'restId', targetIdType: 'graphId' }),
    );
    expect(badType.statusCode).toBe(400);
  });

  it('all-day events start and end at midnight in one time zone; events carry a hex iCalUId, isDraft, hideAttendees', async () => {
    const events = `/users/${uid}/events`;
    const zone = 'W. Europe Standard Time';
    const day: MG.Event = await client.api(events).post({
      subject: 'Holiday',
      isAllDay: true,
      start: { dateTime: '2026-12-24T00:00:00', timeZone: zone },
      end: { dateTime: '2026-12-26T00:00:00', timeZone: zone },
    });
    expect(day.isAllDay).toBe(true);
    expect(day.iCalUId).toMatch(/^040000008200E00074C5B7101A82E008[0-9A-F]+$/);
    expect(day.isDraft).toBe(false);
    expect(day.hideAttendees).toBe(false);
    const notMidnight = await fails(
      client.api(events).post({
        subject: 'x',
        isAllDay: true,
        start: { dateTime: '2026-12-24T09:00:00', timeZone: zone },
        end: { dateTime: '2026-12-25T09:00:00', timeZone: zone },
      }),
    );
    expect(notMidnight.statusCode).toBe(400);
    // midnight UTC is 01:00 in Berlin: not midnight in the event's zone
    const utcMidnight = await fails(
      client.api(events).post({
        subject: 'x',
        isAllDay: true,
        start: { dateTime: '2026-12-24T00:00:00Z', timeZone: zone },
        end: { dateTime: '2026-12-25T00:00:00Z', timeZone: zone },
      }),
    );
    expect(utcMidnight.statusCode).toBe(400);
    const twoZones = await fails(
      client.api(events).post({
        subject: 'x',
        isAllDay: true,
        start: { dateTime: '2026-12-24T00:00:00', timeZone: zone },
        end: { dateTime: '2026-12-25T00:00:00', timeZone: 'Pacific Standard Time' },
      }),
    );
    expect(twoZones.statusCode).toBe(400);
    const toAllDay = await fails(
      client
        .api(`${events}/${day.id}`)
        .patch({ start: { dateTime: '2026-12-24T08:00:00', timeZone: zone } }),
    );
    expect(toAllDay.statusCode).toBe(400);
    const unchanged: MG.Event = await client.api(`${events}/${day.id}`).get();
    expect(unchanged.start).toEqual(day.start);
    await client.api(`${events}/${day.id}`).delete();
  });

  it('calendars carry hexColor and owner', async () => {
    const primary: MG.Calendar = await client.api(`/users/${uid}/calendar`).get();
    expect(primary.hexColor).toBe('');
    expect(primary.owner?.address).toMatch(/@/);
    const list: PageCollection = await client.api(`/users/${uid}/calendars`).get();
    for (const c of list.value as MG.Calendar[]) {
      expect(c).toHaveProperty('hexColor');
      expect(c.owner?.name).toBeTruthy();
    }
    const cal: MG.Calendar = await client.api(`/users/${uid}/calendars`).post({ name: 'Shifts' });
    const coloured: MG.Calendar = await client
      .api(`/users/${uid}/calendars/${cal.id}`)
      .patch({ hexColor: '#ff8c00' });
    expect(coloured.hexColor).toBe('#ff8c00');
    await client.api(`/users/${uid}/calendars/${cal.id}`).delete();
  });

  it('event delta exists on the primary calendarView only, and refuses $select, $expand, $filter', async () => {
    const window = { startDateTime: '2026-06-01T00:00:00Z', endDateTime: '2026-06-30T00:00:00Z' };
    const cal: MG.Calendar = await client
      .api(`/users/${uid}/calendars`)
      .post({ name: 'Other calendar' });
    for (const p of [
      `/users/${uid}/calendars/${cal.id}/calendarView/delta`,
      `/users/${uid}/calendar/calendarView/delta`,
    ]) {
      const e = await fails(client.api(p).query(window).get());
      expect(e.statusCode).toBe(400);
    }
    const refused: Record<string, string>[] = [
      { $select: 'subject' },
      { $expand: 'singleValueExtendedProperties' },
      { $filter: "subject eq 'x'" },
    ];
    for (const q of refused) {
      const e = await fails(
        client
          .api(`/users/${uid}/calendarView/delta`)
          .query({ ...window, ...q })
          .get(),
      );
      expect(e.statusCode).toBe(400);
      expect(e.code).toBe('ErrorInvalidUrlQuery');
    }
    const ev: MG.Event = await client.api(`/users/${uid}/events`).post({
      subject: 'Delta me',
      start: { dateTime: '2026-06-10T10:00:00', timeZone: 'UTC' },
      end: { dateTime: '2026-06-10T11:00:00', timeZone: 'UTC' },
    });
    let page: PageCollection = await client
      .api(`/users/${uid}/calendarView/delta`)
      .query(window)
      .get();
    const seen: MG.Event[] = [...page.value];
    while (page['@odata.nextLink']) {
      page = await client.api(page['@odata.nextLink']).get();
      seen.push(...page.value);
    }
    expect(seen.map((e) => e.id)).toContain(ev.id);
    await client.api(`/users/${uid}/events/${ev.id}`).delete();
    const changes: PageCollection = await client.api(page['@odata.deltaLink']!).get();
    expect(changes.value).toEqual([
      expect.objectContaining({ id: ev.id, '@removed': { reason: 'deleted' } }),
    ]);
    await client.api(`/users/${uid}/calendars/${cal.id}`).delete();
  });

  it('$orderby and $count on contacts behave as documented', async () => {
    const f: MG.ContactFolder = await client
      .api(`/users/${uid}/contactFolders`)
      .post({ displayName: 'Sorted' });
    const base = `/users/${uid}/contactFolders/${f.id}/contacts`;
    for (const n of ['bravo', 'Alpha', 'charlie']) await client.api(base).post({ displayName: n });
    const asc: PageCollection = await client.api(base).orderby('displayName').get();
    expect(asc.value.map((c: MG.Contact) => c.displayName)).toEqual(['Alpha', 'bravo', 'charlie']);
    const desc: PageCollection = await client.api(base).orderby('displayName desc').get();
    expect(desc.value.map((c: MG.Contact) => c.displayName)).toEqual(['charlie', 'bravo', 'Alpha']);
    const counted: PageCollection = await client
      .api(base)
      .count(true)
      .top(1)
      .orderby('displayName')
      .get();
    expect(counted['@odata.count']).toBe(3);
    expect(counted.value.map((c: MG.Contact) => c.displayName)).toEqual(['Alpha']);
    const uncounted: PageCollection = await client.api(base).get();
    expect(uncounted['@odata.count']).toBeUndefined();
    const n: unknown = await client.api(`${base}/$count`).get();
    expect(String(n)).toBe('3');
    const byCollection = await fails(client.api(base).orderby('emailAddresses').get());
    expect(byCollection.statusCode).toBe(400);
    const byUnknown = await fails(client.api(base).orderby('shoeSize').get());
    expect(byUnknown.statusCode).toBe(400);
    const badCount = await fails(client.api(base).query({ $count: 'maybe' }).get());
    expect(badCount.statusCode).toBe(400);
  });

  it('default service time: a small latency per operation, so concurrent requests to one mailbox overlap', async () => {
    const cfg = (await simFetch(sim, d, '/_sim/config', { method: 'PUT', body: {} })).json;
    expect(cfg.serviceTimeMs['*']).toBeGreaterThanOrEqual(3);
    expect(cfg.serviceTimeJitterMs).toBeGreaterThan(0);
    const token = (await credential(sim, tid).getToken('https://graph.microsoft.com/.default'))!
      .token;
    const get = () =>
      simFetch(sim, d, `/v1.0/users/${uid}/contactFolders/${folder}/contacts?$top=1`, {
        headers: { authorization: `Bearer ${token}` },
      });
    // sequential requests each spend the service time
    const t0 = performance.now();
    for (let i = 0; i < 5; i++) expect((await get()).status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(5 * 3);
    // open connections first, then fire together: requests to one mailbox are in service at once
    await Promise.all(Array.from({ length: 12 }, get));
    await simFetch(sim, d, '/_sim/stats', { method: 'DELETE' });
    const statuses = (await Promise.all(Array.from({ length: 12 }, get))).map((r) => r.status);
    expect(statuses.every((s) => s === 200 || s === 429)).toBe(true);
    const stats = (await simFetch(sim, d, '/_sim/stats')).json;
    const mb = (stats.mailboxes as Json[]).find((m) => m.userId === uid);
    expect(mb.maxConcurrency).toBeGreaterThanOrEqual(2);
    expect(mb.maxConcurrency).toBeLessThanOrEqual(4);
    // raw speed when a test asks for it
    await simFetch(sim, d, '/_sim/config', { method: 'PUT', body: { serviceTimeMs: { '*': 0 } } });
    await simFetch(sim, d, '/_sim/stats', { method: 'DELETE' });
    await Promise.all(Array.from({ length: 12 }, get));
    const fast = (await simFetch(sim, d, '/_sim/stats')).json;
    expect((fast.mailboxes as Json[]).find((m) => m.userId === uid).maxConcurrency).toBe(1);
  });
});
