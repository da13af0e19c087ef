import { AdminHarness, type Browser } from './support/admin-harness';
import { DIRECTORY_SETTINGS } from './support/admin-sim';
import type { ServiceProcess } from './support/service-process';

/**
 * Acceptance 4 of the security review: on the embedded SQLite, admin writes of the API while a
 * worker (another process, the same file) writes a sync's results never answer 5xx.
 */
describe('admin writes during a sync on the embedded SQLite', () => {
  let h: AdminHarness;
  let worker: ServiceProcess;
  let admin: Browser;

  beforeAll(async () => {
    h = await AdminHarness.start({
      env: { API_RATE_LIMIT_PER_MINUTE: '100000' },
      sim: { usersPerTenant: 80 },
    });
    worker = await h.startWorkerProcess();
    admin = h.browser();
    await admin.signIn(h.tenant(0).adminUpn);
    expect((await admin.consent(h.tenant(0).adminUpn)).status).toBe(200);
  }, 120_000);
  afterAll(async () => {
    await worker?.stop();
    await h?.stop();
  });

  it('20 concurrent admin writes, round after round while the worker syncs: no 5xx, every write kept', async () => {
    const list = await admin.request<{ id: string }>('POST', '/api/lists', {
      body: { name: 'Everyone', settings: DIRECTORY_SETTINGS },
    });
    await admin.request('POST', `/api/lists/${list.body.id}/targets`, {
      body: { kind: 'all', mode: 'include' },
    });
    const sync = await admin.request<{ runId: string }>('POST', `/api/lists/${list.body.id}/sync`);
    expect(sync.status).toBe(202);

    const statuses = new Map<number, number>();
    const created: string[] = [];
    let rounds = 0;
    let runStatus = 'queued';
    let overlapped = 0;
    while (rounds < 3 || (['queued', 'running'].includes(runStatus) && rounds < 40)) {
      const running = runStatus === 'running';
      const answers = await Promise.all(
        Array.from({ length: 20 }, async (_, i) => {
          const name = `Round ${rounds} list ${i}`;
          const res = await admin.request<{ id: string }>('POST', '/api/lists', {
            body: { name, settings: DIRECTORY_SETTINGS },
          });
          if (res.status === 201) {
            created.push(res.body.id);
            const followUp = await Promise.all([
              admin.request('PATCH', `/api/lists/${res.body.id}`, {
                body: { name: `${name} renamed` },
              }),
              admin.request('PUT', `/api/lists/${res.body.id}/schedule`, {
                body: { cron: '0 6 * * *', timeZone: 'UTC' },
              }),
              admin.request('POST', `/api/lists/${res.body.id}/targets`, {
                body: { kind: 'all', mode: 'include' },
              }),
            ]);
            return [res.status, ...followUp.map((f) => f.status)];
          }
          return [res.status];
        }),
      );
      for (const status of answers.flat()) statuses.set(status, (statuses.get(status) ?? 0) + 1);
      const run = await admin.request<{ status: string }>('GET', `/api/runs/${sync.body.runId}`);
      runStatus = run.body.status;
      if (running) overlapped++;
      rounds++;
    }
    const fiveXx = [...statuses].filter(([s]) => s >= 500);
    expect(fiveXx).toEqual([]);
    expect(statuses.get(201)).toBeGreaterThanOrEqual(rounds * 20);
    // The writes overlapped the worker's: at least one round ran while the run was running.
    expect(overlapped).toBeGreaterThan(0);
    expect(runStatus).toBe('succeeded');
    const items: Array<{ id: string; name: string }> = [];
    for (let offset = 0; ; offset += 100) {
      const page = await admin.request<{ items: Array<{ id: string; name: string }> }>(
        'GET',
        `/api/lists?limit=100&offset=${offset}`,
      );
      expect(page.status).toBe(200);
      items.push(...page.body.items);
      if (page.body.items.length < 100) break;
    }
    const ids = new Set(items.map((l) => l.id));
    expect(created.filter((id) => !ids.has(id))).toEqual([]);
    expect(items.filter((l) => l.name.endsWith('renamed'))).toHaveLength(created.length);
  }, 300_000);
});
