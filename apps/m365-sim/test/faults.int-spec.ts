import type { Agent } from 'undici';
import type * as MG from '@microsoft/microsoft-graph-types';
import type { Client } from '@microsoft/microsoft-graph-client';
import type { RunningSimulator } from '../src';
import {
  appToken,
  consent,
  credential,
  graphClient,
  simDispatcher,
  simFetch,
  startTestSim,
} from './helpers';

describe('m365-sim fault injection and inspection', () => {
  let sim: RunningSimulator;
  let d: Agent;
  let client: Client;
  let tid: string;
  let uid: string;
  let token: string;
  const faults = (body: unknown) => simFetch(sim, d, '/_sim/faults', { method: 'PUT', body });
  beforeAll(async () => {
    sim = await startTestSim();
    d = simDispatcher(sim);
    tid = sim.info.tenants[0].id;
    await consent(sim, d, tid);
    client = graphClient(sim, credential(sim, tid), d);
    token = await appToken(sim, d, tid);
    const users = (await simFetch(sim, d, `/_sim/tenants/${tid}/users`)).json;
    uid = users.find(
      (u: { mailbox: string; purpose: string }) => u.mailbox === 'cloud' && u.purpose === 'user',
    ).id;
  });
  afterEach(() => simFetch(sim, d, '/_sim/faults', { method: 'DELETE' }));
  afterAll(async () => {
    await d.close();
    await sim.close();
  });
  const get = (p: string) =>
    simFetch(sim, d, `/v1.0${p}`, { headers: { authorization: `Bearer ${token}` } });

  it('5xx burst: the next N requests answer 503 with Retry-After, then service resumes; the Graph client retries through it', async () => {
    await faults({ burst: { status: 503, count: 2, retryAfterSeconds: 1 } });
    const a = await get('/users?$top=1');
    expect(a.status).toBe(503);
    expect(a.headers.get('retry-after')).toBe('1');
    expect(a.json.error.code).toBe('ServiceUnavailable');
    expect((await get('/users?$top=1')).status).toBe(503);
    expect((await get('/users?$top=1')).status).toBe(200);
    await faults({ burst: { status: 504, count: 1, retryAfterSeconds: 1 } });
    const viaClient = await client.api('/users').top(1).get();
    expect(viaClient.value).toHaveLength(1);
  });

  it('latency: requests take at least the configured time', async () => {
    await faults({ latency: { minMs: 200, maxMs: 250 } });
    const t0 = Date.now();
    expect((await get('/users?$top=1')).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(190);
  });

  it('connection reset: the client sees a network error, the next request works', async () => {
    await faults({ resets: { count: 1 } });
    await expect(get('/users?$top=1')).rejects.toThrow();
    expect((await get('/users?$top=1')).status).toBe(200);
  });

  it('dropped response after a write: the contact exists although the client saw an error, and its tag finds it', async () => {
    await faults({ dropAfterWrite: { count: 1, pathPrefix: '/v1.0/users' } });
    const tag = 'String {6e2b7a44-3f1d-4c8e-9a55-0b1c2d3e4f50} Name SourceKey';
    const body = {
      givenName: 'Lost',
      singleValueExtendedProperties: [{ id: tag, value: 'k-1' }],
    } as MG.Contact;
    await expect(
      simFetch(sim, d, `/v1.0/users/${uid}/contacts`, {
        method: 'POST',
        body,
        headers: { authorization: `Bearer ${token}` },
      }),
    ).rejects.toThrow();
    const found = await client
      .api(`/users/${uid}/contacts`)
      .filter(`singleValueExtendedProperties/Any(ep: ep/id eq '${tag}' and ep/value eq 'k-1')`)
      .get();
    expect(found.value).toHaveLength(1);
    expect(found.value[0].givenName).toBe('Lost');
  });

  it('inspection: per-operation counts, per-mailbox contents and reset', async () => {
    await simFetch(sim, d, '/_sim/stats', { method: 'DELETE' });
    await client.api(`/users/${uid}/contacts`).post({ givenName: 'Counted' });
    await client.api(`/users/${uid}/contacts`).get();
    const stats = (await simFetch(sim, d, '/_sim/stats')).json;
    expect(stats.ops['contacts.create'].count).toBe(1);
    expect(stats.ops['contacts.list'].count).toBe(1);
    const mb = (await simFetch(sim, d, `/_sim/tenants/${tid}/users/${uid}/mailbox`)).json;
    expect(mb.contacts.map((c: MG.Contact) => c.givenName)).toContain('Counted');
    const info = (await simFetch(sim, d, '/_sim/info')).json;
    expect(info.tenants[0].adminUpn).toMatch(/^admin@/);
    await simFetch(sim, d, '/_sim/reset', { method: 'POST' });
    const after = (await simFetch(sim, d, `/_sim/tenants/${tid}/users/${uid}/mailbox`)).json;
    expect(after.contacts.map((c: MG.Contact) => c.givenName)).not.toContain('Counted');
  });
});
