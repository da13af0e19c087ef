import type { Agent } from 'undici';
import type * as MG from '@microsoft/microsoft-graph-client';
import type { Client, GraphError } from '@microsoft/microsoft-graph-client';
import type { RunningSimulator } from '../src';
import {
  consent,
  credential,
  graphClient,
  simDispatcher,
  simFetch,
  startTestSim,
  type Json,
} from './helpers';

type BatchResponse = {
  responses: { id: string; status: number; headers?: Record<string, string>; body?: Json }[];
};

describe('m365-sim throttling and $batch', () => {
  let sim: RunningSimulator;
  let d: Agent;
  let client: Client;
  let tid: string;
  let uid: string;
  let uid2: string;
  const setConfig = (body: unknown) => simFetch(sim, d, '/_sim/config', { method: 'PUT', body });
  const resetStats = () => simFetch(sim, d, '/_sim/stats', { method: 'DELETE' });

  beforeAll(async () => {
    sim = await startTestSim({
      serviceTimeMs: { '*': 0, 'contacts.list': 300, 'contacts.get': 150, 'contacts.create': 150 },
    });
    d = simDispatcher(sim);
    tid = sim.info.tenants[0].id;
    await consent(sim, d, tid);
    client = graphClient(sim, credential(sim, tid), d);
    const users = (await simFetch(sim, d, `/_sim/tenants/${tid}/users`)).json.filter(
      (u: { mailbox: string; purpose: string }) => u.mailbox === 'cloud' && u.purpose === 'user',
    );
    uid = users[1].id;
    uid2 = users[2].id;
    await client.api('/users').top(1).get(); // warm the token cache
  });
  afterAll(async () => {
    await d.close();
    await sim.close();
  });

  let rawToken: string | undefined;
  async function raw(path: string, init: { method?: string; body?: unknown } = {}) {
    rawToken ??= (await credential(sim, tid).getToken('https://graph.microsoft.com/.default'))!
      .token;
    const token = rawToken;
    return simFetch(sim, d, `/v1.0${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}` },
    });
  }

  it('4 concurrent requests to one mailbox pass; 8 concurrent yield 429 ApplicationThrottled with Retry-After', async () => {
    const token = (await credential(sim, tid).getToken('https://graph.microsoft.com/.default'))!
      .token;
    const call = () =>
      simFetch(sim, d, `/v1.0/users/${uid}/contacts`, {
        headers: { authorization: `Bearer ${token}` },
      });
    const four = await Promise.all(Array.from({ length: 4 }, call));
    expect(four.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const eight = await Promise.all(Array.from({ length: 8 }, call));
    const throttled = eight.filter((r) => r.status === 429);
    // exactly 4 when all 8 overlap (service time 300 ms); at least one on a loaded machine
    expect(throttled.length).toBeGreaterThan(0);
    expect(throttled.length).toBeLessThanOrEqual(4);
    expect(eight.filter((r) => r.status === 200).length).toBe(8 - throttled.length);
    expect(throttled[0].json.error.code).toBe('ApplicationThrottled');
    expect(throttled[0].json.error.message).toMatch(/MailboxConcurrency/);
    expect(throttled[0].headers.get('retry-after')).toMatch(/^\d+$/);
    // other mailboxes are not affected
    const other = await Promise.all([
      ...Array.from({ length: 4 }, call),
      ...Array.from({ length: 4 }, () =>
        simFetch(sim, d, `/v1.0/users/${uid2}/contacts`, {
          headers: { authorization: `Bearer ${token}` },
        }),
      ),
    ]);
    expect(other.every((r) => r.status === 200)).toBe(true);
    const stats = (await simFetch(sim, d, '/_sim/stats')).json;
    expect(stats.mailboxes.find((m: { userId: string }) => m.userId === uid).maxConcurrency).toBe(
      4,
    );
    expect(stats.ops['contacts.list'].throttled).toBe(throttled.length);
  });

  function batchOf(n: number, user: string, start = 0) {
    return {
      requests: Array.from({ length: n }, (_, i) => ({
        id: String(start + i + 1),
        method: 'GET',
        url: `/users/${user}/contacts?$top=1`,
      })),
    };
  }

  it('default mode: one batch of 20 to one mailbox is not throttled, two at once are', async () => {
    await resetStats();
    const one: BatchResponse = await client.api('/$batch').post(batchOf(20, uid));
    expect(one.responses).toHaveLength(20);
    expect(one.responses.every((r) => r.status === 200)).toBe(true);
    const two: BatchResponse[] = await Promise.all([
      client.api('/$batch').post(batchOf(20, uid)),
      client.api('/$batch').post(batchOf(20, uid)),
    ]);
    const statuses = two.flatMap((b) => b.responses.map((r) => r.status));
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    const t = two.flatMap((b) => b.responses).find((r) => r.status === 429)!;
    expect(t.headers!['Retry-After']).toMatch(/^\d+$/);
    expect(t.body.error.code).toBe('ApplicationThrottled');
  });

  it('strict mode: sub-requests beyond 4 of one batch answer 429', async () => {
    await setConfig({ batchMode: 'strict' });
    try {
      const one: BatchResponse = await client.api('/$batch').post(batchOf(20, uid));
      expect(one.responses.filter((r) => r.status === 200)).toHaveLength(4);
      expect(one.responses.filter((r) => r.status === 429)).toHaveLength(16);
    } finally {
      await setConfig({ batchMode: 'outlook4' });
    }
  });

  it('a 20-request batch with mixed results: 201, 200, 204, 400, 404, 424 via dependsOn; responses matched by id', async () => {
    const c: MG.PageCollection = await client
      .api(`/users/${uid2}/contacts`)
      .post({ givenName: 'ToDelete' });
    const reqs: Record<string, unknown>[] = [];
    for (let i = 1; i <= 12; i++)
      reqs.push({
        id: `c${i}`,
        method: 'POST',
        url: `/users/${uid2}/contacts`,
        headers: { 'Content-Type': 'application/json' },
        body: { givenName: `B${i}` },
      });
    reqs.push({
      id: 'get',
      method: 'GET',
      url: `/users/${uid2}/contacts/${(c as unknown as { id: string }).id}`,
    });
    reqs.push({
      id: 'del',
      method: 'DELETE',
      url: `/users/${uid2}/contacts/${(c as unknown as { id: string }).id}`,
      dependsOn: ['get'],
    });
    reqs.push({ id: 'malformed', method: 'GET', url: `/users/${uid2}/contacts/xyz` });
    reqs.push({ id: 'missing', method: 'GET', url: `/users/${uid2}/contacts/AAMkAnotthere=` });
    reqs.push({ id: 'nouser', method: 'GET', url: '/users/nobody@nowhere.example' });
    reqs.push({ id: 'dep', method: 'GET', url: `/users/${uid2}/contacts`, dependsOn: ['nouser'] });
    reqs.push({ id: 'users', method: 'GET', url: '/users?$top=2&$select=id' });
    reqs.push({
      id: 'badbody',
      method: 'POST',
      url: `/users/${uid2}/contacts`,
      headers: { 'Content-Type': 'application/json' },
      body: { nope: 1 },
    });
    expect(reqs).toHaveLength(20);
    const res: BatchResponse = await client.api('/$batch').post({ requests: reqs });
    const by = new Map(res.responses.map((r) => [r.id, r]));
    expect(res.responses).toHaveLength(20);
    for (let i = 1; i <= 12; i++) expect(by.get(`c${i}`)!.status).toBe(201);
    expect(by.get('get')!.status).toBe(200);
    expect(by.get('del')!.status).toBe(204);
    expect(by.get('malformed')!.status).toBe(400);
    expect(by.get('malformed')!.body.error.code).toBe('ErrorInvalidIdMalformed');
    expect([400, 404]).toContain(by.get('missing')!.status);
    expect(by.get('nouser')!.status).toBe(404);
    expect(by.get('dep')!.status).toBe(424);
    expect(by.get('users')!.status).toBe(200);
    expect(by.get('users')!.body.value).toHaveLength(2);
    expect(by.get('badbody')!.status).toBe(400);
    // 21 requests → 400 for the whole batch
    const e: GraphError = await client
      .api('/$batch')
      .post(batchOf(21, uid2))
      .catch((x: GraphError) => x);
    expect(e.statusCode).toBe(400);
  });

  it('the window budget per mailbox is enforced with an integer Retry-After', async () => {
    // a minute's window: real time does not free a slot while the test runs, only the control does
    await setConfig({ throttle: { mailboxWindowRequests: 10, mailboxWindowSeconds: 60 } });
    try {
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 12; i++) {
        const r = await raw(`/users/${uid2}/contactFolders`);
        statuses.push(r.status);
        if (r.status === 429) retryAfter = r.headers.get('retry-after');
      }
      expect(statuses.slice(0, 10).every((s) => s === 200)).toBe(true);
      expect(statuses.slice(10)).toEqual([429, 429]);
      expect(retryAfter).toMatch(/^\d+$/);
      // whole seconds until the first request of the window leaves it
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(50);
      expect(Number(retryAfter)).toBeLessThanOrEqual(60);
      // move the throttle clock instead of waiting: two seconds short, the window is still full
      // and the Retry-After counts what is left on that clock
      const advance = (seconds: number) =>
        simFetch(sim, d, '/_sim/throttle/advance', { method: 'POST', body: { seconds } });
      expect((await advance(Number(retryAfter) - 2)).status).toBe(200);
      const early = await raw(`/users/${uid2}/contactFolders`);
      expect(early.status).toBe(429);
      const rest = Number(early.headers.get('retry-after'));
      expect(rest).toBeGreaterThanOrEqual(1);
      expect(rest).toBeLessThanOrEqual(2);
      // once the clock has passed that Retry-After, a slot is free
      expect((await advance(rest)).status).toBe(200);
      expect((await raw(`/users/${uid2}/contactFolders`)).status).toBe(200);
    } finally {
      await setConfig({ throttle: { mailboxWindowRequests: 10000, mailboxWindowSeconds: 600 } });
    }
  });

  it('/_sim/throttle/advance refuses anything but a positive number of seconds', async () => {
    for (const body of [{}, { seconds: '5' }, { seconds: 0 }, { seconds: -1 }, { seconds: 1e9 }]) {
      const r = await simFetch(sim, d, '/_sim/throttle/advance', { method: 'POST', body });
      expect(r.status).toBe(400);
      expect(r.json.error).toMatch(/^seconds: expected a number of seconds above 0/);
    }
  });

  it('the tenant-wide directory budget and the global app budget answer 429', async () => {
    await setConfig({ throttle: { directoryWindowRequests: 3, directoryWindowSeconds: 5 } });
    try {
      const s: number[] = [];
      for (let i = 0; i < 4; i++) s.push((await raw('/users?$top=1')).status);
      expect(s).toEqual([200, 200, 200, 429]);
    } finally {
      await setConfig({ throttle: { directoryWindowRequests: 20000, directoryWindowSeconds: 10 } });
    }
    await setConfig({ throttle: { appWindowRequests: 2, appWindowSeconds: 5 } });
    try {
      const s: number[] = [];
      s.push((await raw(`/users/${uid2}/contactFolders`)).status);
      s.push((await raw('/users?$top=1')).status);
      s.push((await raw(`/users/${uid}/contactFolders`)).status);
      expect(s).toEqual([200, 200, 429]);
    } finally {
      await setConfig({ throttle: { appWindowRequests: 130000, appWindowSeconds: 10 } });
    }
  });

  it("the Graph client's RetryHandler recovers from a single 429 by honouring Retry-After", async () => {
    await resetStats();
    const token = (await credential(sim, tid).getToken('https://graph.microsoft.com/.default'))!
      .token;
    // occupy the 4 slots of the mailbox with slow requests (800 ms) of another operation
    await setConfig({ serviceTimeMs: { 'contactFolders.list': 800 } });
    const hogs = Array.from({ length: 4 }, () =>
      simFetch(sim, d, `/v1.0/users/${uid}/contactFolders`, {
        headers: { authorization: `Bearer ${token}` },
      }),
    );
    // The client's request goes out once the simulator holds all four (a slow machine may take
    // longer than any fixed pause to deliver them).
    const deadline = Date.now() + 10_000;
    for (;;) {
      const { mailboxes } = (await simFetch(sim, d, '/_sim/stats')).json as {
        mailboxes: Array<{ userId: string; active: number }>;
      };
      if (mailboxes.some((m) => m.userId === uid && m.active >= 4)) break;
      if (Date.now() > deadline)
        throw new Error('the four slow requests never reached the mailbox');
      await new Promise((r) => setTimeout(r, 10));
    }
    const t0 = Date.now();
    const got = await client.api(`/users/${uid}/contacts`).top(1).get();
    const elapsed = Date.now() - t0;
    await Promise.all(hogs);
    await setConfig({ serviceTimeMs: { 'contactFolders.list': 0 } });
    expect(got.value).toBeDefined();
    expect(elapsed).toBeGreaterThanOrEqual(900); // waited for Retry-After: 1
    const stats = (await simFetch(sim, d, '/_sim/stats')).json;
    expect(stats.ops['contacts.list'].throttled).toBe(1);
  });
});
