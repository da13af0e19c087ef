import { startService, type ServiceProcess } from './support/service-process';
import { freePort } from './support/redis-server';
import { serviceEnv } from './support/test-env';

/**
 * The admin API and the worker, as started in production, serve /metrics on the metrics port
 * only: not on their main port, and with the queue gauges from the API.
 */
describe.each([
  ['apps/admin-api/src/main.ts', 'METRICS_PORT', 'admin-api'],
  ['apps/worker/src/main.ts', 'WORKER_METRICS_PORT', 'worker'],
])('%s metrics listener', (entry, variable, service) => {
  let svc: ServiceProcess;
  let mainPort: number;
  let metricsPort: number;

  beforeAll(async () => {
    metricsPort = await freePort();
    svc = startService(entry, serviceEnv({ [variable]: String(metricsPort) }));
    mainPort = await svc.listening();
    // The metrics listener starts right after the main one.
    const deadline = Date.now() + 10_000;
    while (!svc.output().includes(`/metrics`) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
  });
  afterAll(async () => {
    expect(await svc?.stop('SIGTERM')).toBe(0);
  });

  it('serves Prometheus text on its own port, labelled with the service', async () => {
    expect(svc.output()).toContain(`metrics on http://127.0.0.1:${metricsPort}/metrics`);
    const res = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain(`process_resident_memory_bytes{service="${service}"}`);
    expect(text).toContain('# TYPE csf_jobs_total counter');
    if (service === 'admin-api') {
      expect(text).toContain(`csf_queue_scrape_ok{service="admin-api"} 1`);
      expect(text).toMatch(/csf_queue_depth\{queue="sync-mailbox",service="admin-api"\} \d+/);
    }
  });

  it('does not serve them on the main port', async () => {
    const res = await fetch(`http://127.0.0.1:${mainPort}/metrics`);
    expect(await res.text()).not.toContain('# TYPE');
  });
});
