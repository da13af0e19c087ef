import { PrometheusMetrics, startMetricsServer, type RunningMetricsServer } from '@app/metrics';
import { Fleet } from './support/fleet';
import { waitForQueueIdle } from './support/wait-for-queue-idle';

type Labels = Record<string, string>;

/** The samples of a Prometheus text exposition: name, labels, value. */
function parse(text: string): Array<{ name: string; labels: Labels; value: number }> {
  const samples: Array<{ name: string; labels: Labels; value: number }> = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
    if (!m) throw new Error(`not an exposition line: ${line}`);
    const labels: Labels = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"/g))
      labels[l[1]] = l[2];
    samples.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return samples;
}

/** Sum of the samples of `name` whose labels include `match` (0 when none). */
function sum(text: string, name: string, match: Labels = {}): number {
  return parse(text)
    .filter((s) => s.name === name && Object.entries(match).every(([k, v]) => s.labels[k] === v))
    .reduce((total, s) => total + s.value, 0);
}

/**
 * Acceptance 2 of issue #24: the worker's /metrics, on its own port, moves by exactly what a
 * small sync against the simulator did (the simulator's own counters and the run's SQL row are
 * the reference).
 */
describe('Prometheus metrics of a sync', () => {
  let fleet: Fleet;
  let server: RunningMetricsServer;
  const scrape = async () => {
    const res = await fetch(`http://127.0.0.1:${server.port}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    return res.text();
  };

  beforeAll(async () => {
    fleet = await Fleet.start({
      sim: {
        usersPerTenant: 12,
        seed: 24,
        // A small window per mailbox, so the run meets 429s with Retry-After (1-2 s).
        throttle: { mailboxWindowRequests: 6, mailboxWindowSeconds: 2, maxRetryAfterSeconds: 2 },
      },
    });
    server = await startMetricsServer(fleet.worker!.get(PrometheusMetrics), {
      host: '127.0.0.1',
      port: 0,
    });
  });
  afterAll(async () => {
    await server?.close();
    await fleet?.stop();
  });

  it('serves /metrics only, read-only', async () => {
    expect((await fetch(`http://127.0.0.1:${server.port}/`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${server.port}/metrics/x`)).status).toBe(404);
    expect(
      (await fetch(`http://127.0.0.1:${server.port}/metrics`, { method: 'POST' })).status,
    ).toBe(405);
    const text = await scrape();
    for (const name of [
      'csf_jobs_total',
      'csf_job_duration_seconds',
      'csf_sync_mailboxes_total',
      'csf_sync_operations_total',
      'csf_microsoft_request_duration_seconds',
      'csf_microsoft_throttled_total',
      'csf_microsoft_retry_after_seconds',
      'csf_run_duration_seconds',
      'csf_mailboxes_in_progress',
      'process_resident_memory_bytes',
    ])
      expect(text).toContain(`# TYPE ${name} `);
    expect(text).toMatch(/service="worker"/);
  });

  it('moves by exactly what one run did', async () => {
    const listId = await fleet.createList(
      'Metrics',
      { sources: [{ id: 'dir', kind: 'directory' }] },
      [{ kind: 'all', mode: 'include', value: null }],
    );
    await fleet.resetStats();
    const before = await scrape();
    const run = await fleet.runNow(listId, 'sync', 120_000);
    // The run closes while its last job reports; the job ends just after.
    await waitForQueueIdle(fleet.queues.syncMailbox);
    const after = await scrape();
    const stats = await fleet.stats();
    const delta = (name: string, match: Labels = {}) =>
      sum(after, name, match) - sum(before, name, match);

    expect(run.status).toBe('succeeded');
    const mailboxes = Number(run.mailboxesSucceeded);
    expect(mailboxes).toBeGreaterThan(5);
    expect(Number(run.itemsCreated)).toBeGreaterThan(mailboxes);

    // Jobs by queue and result: one plan, one job per mailbox.
    expect(delta('csf_jobs_total', { queue: 'plan-run', result: 'completed' })).toBe(1);
    expect(delta('csf_jobs_total', { queue: 'sync-mailbox', result: 'completed' })).toBe(mailboxes);
    expect(delta('csf_jobs_total', { queue: 'sync-mailbox', result: 'failed' })).toBe(0);
    expect(delta('csf_job_duration_seconds_count', { queue: 'sync-mailbox' })).toBe(
      delta('csf_jobs_total', { queue: 'sync-mailbox' }),
    );
    // Sync outcomes and operations, as the run's row counts them and the simulator applied them.
    const outcomes = (await fleet.dataSource.query(
      `SELECT outcome, COUNT(*) AS n FROM run_mailbox WHERE run_id = '${run.id}' GROUP BY outcome`,
    )) as Array<{ outcome: string; n: number }>;
    expect(outcomes.reduce((total, o) => total + Number(o.n), 0)).toBe(mailboxes);
    for (const { outcome, n } of outcomes)
      expect(
        delta('csf_sync_mailboxes_total', { item_kind: 'contacts', mode: 'sync', outcome }),
      ).toBe(Number(n));
    expect(delta('csf_sync_mailboxes_total')).toBe(mailboxes);
    expect(delta('csf_sync_operations_total', { item_kind: 'contacts', operation: 'create' })).toBe(
      Number(run.itemsCreated),
    );
    expect(delta('csf_sync_operations_total', { operation: 'create' })).toBe(
      stats.ops['contacts.create'].count - stats.ops['contacts.create'].throttled,
    );
    expect(delta('csf_sync_operations_total', { operation: 'update' })).toBe(0);
    expect(delta('csf_sync_operations_total', { operation: 'delete' })).toBe(0);
    // One run, observed once, no longer than the test waited for it.
    expect(delta('csf_run_duration_seconds_count', { status: 'succeeded' })).toBe(1);
    const seconds = delta('csf_run_duration_seconds_sum', { status: 'succeeded' });
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThan(120);
    // Throttling: every 429 the simulator sent was seen, each with its Retry-After (1-2 s).
    expect(stats.throttled).toBeGreaterThan(0);
    const throttled = delta('csf_microsoft_throttled_total', { service: 'graph', status: '429' });
    expect(throttled).toBe(stats.throttled);
    expect(delta('csf_microsoft_retry_after_seconds_count', { service: 'graph' })).toBe(throttled);
    const waited = delta('csf_microsoft_retry_after_seconds_sum', { service: 'graph' });
    expect(waited).toBeGreaterThanOrEqual(throttled);
    expect(waited).toBeLessThanOrEqual(2 * throttled);
    // Graph latency: one observation per HTTP request, $batch envelopes included.
    expect(
      delta('csf_microsoft_request_duration_seconds_count', { service: 'graph' }),
    ).toBeGreaterThan(0);
    expect(
      delta('csf_microsoft_request_duration_seconds_count', {
        service: 'graph',
        method: 'POST',
        status: '200',
      }),
    ).toBeGreaterThanOrEqual(stats.ops.batch.count - stats.ops.batch.throttled);
    // Nothing in progress once the run is over.
    expect(sum(after, 'csf_mailboxes_in_progress')).toBe(0);
  });
});
