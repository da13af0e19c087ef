import { PrometheusMetrics } from './prometheus-metrics';

const value = async (m: PrometheusMetrics, name: string, labels: Record<string, string> = {}) => {
  const base = name.replace(/_(sum|count|bucket)$/, '');
  const metric = await m.registry.getSingleMetric(base)!.get();
  const match = metric.values.filter(
    (v) =>
      (base === name || (v as { metricName?: string }).metricName === name) &&
      Object.entries(labels).every(([k, want]) => String(v.labels[k]) === want),
  );
  return match.reduce((total, v) => total + v.value, 0);
};

describe('PrometheusMetrics', () => {
  it('counts a job once however often its end is reported, and tracks mailboxes in progress per tenant', async () => {
    const m = new PrometheusMetrics('worker', { defaultMetrics: false });
    const a1 = m.jobStarted('sync-mailbox', 'tenant-a');
    const a2 = m.jobStarted('sync-mailbox', 'tenant-a');
    const b = m.jobStarted('sync-mailbox', 'tenant-b');
    expect(await value(m, 'csf_mailboxes_in_progress', { tenant: 'tenant-a' })).toBe(2);
    a1('completed');
    a1('failed');
    b('delayed');
    expect(await value(m, 'csf_mailboxes_in_progress', { tenant: 'tenant-a' })).toBe(1);
    expect(await value(m, 'csf_mailboxes_in_progress', { tenant: 'tenant-b' })).toBe(0);
    a2('returned');
    expect(await value(m, 'csf_mailboxes_in_progress')).toBe(0);
    expect(await value(m, 'csf_jobs_total', { queue: 'sync-mailbox', result: 'completed' })).toBe(
      1,
    );
    expect(await value(m, 'csf_jobs_total', { queue: 'sync-mailbox', result: 'failed' })).toBe(0);
    expect(await value(m, 'csf_jobs_total', { queue: 'sync-mailbox' })).toBe(3);
  });

  it('reads queue gauges at scrape time and leaves them out when Redis does not answer', async () => {
    const m = new PrometheusMetrics('admin-api', { defaultMetrics: false });
    let down = false;
    m.watchQueues([
      {
        name: 'sync-mailbox',
        getJobCounts: async () => {
          if (down) throw new Error('ECONNREFUSED');
          return { waiting: 5, prioritized: 2, active: 3, delayed: 1 };
        },
      },
    ]);
    const up = (await m.render()).body;
    expect(up).toContain('csf_queue_depth{queue="sync-mailbox",service="admin-api"} 7');
    expect(up).toContain(
      'csf_queue_jobs{queue="sync-mailbox",state="active",service="admin-api"} 3',
    );
    expect(up).toContain('csf_queue_scrape_ok{service="admin-api"} 1');
    down = true;
    const out = (await m.render()).body;
    expect(out).not.toMatch(/^csf_queue_depth\{/m);
    expect(out).toContain('csf_queue_scrape_ok{service="admin-api"} 0');
  });

  it('splits a mailbox report into its outcome and its writes, skipping zero counts', async () => {
    const m = new PrometheusMetrics('worker', { defaultMetrics: false });
    m.mailboxSynced({
      itemKind: 'calendar',
      mode: 'sync',
      outcome: 'succeeded',
      counts: { created: 4, updated: 0, deleted: 2 },
    });
    m.throttled('graph', 429, 1.5);
    expect(
      await value(m, 'csf_sync_mailboxes_total', { item_kind: 'calendar', outcome: 'succeeded' }),
    ).toBe(1);
    expect(await value(m, 'csf_sync_operations_total', { operation: 'create' })).toBe(4);
    expect(await value(m, 'csf_sync_operations_total', { operation: 'delete' })).toBe(2);
    expect((await m.render()).body).not.toContain('operation="update"');
    expect(await value(m, 'csf_microsoft_retry_after_seconds_sum', { service: 'graph' })).toBe(1.5);
  });
});
