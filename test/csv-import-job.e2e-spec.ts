import { ContactListEntity, ListEntryEntity } from '@app/persistence';
import { setPriority } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { AdminHarness, type Browser } from './support/admin-harness';
import { importCsv, type CsvImportJob } from './support/csv-import';
import { startService, type ServiceProcess } from './support/service-process';

const ROWS = 50_000;

function csvOf(rows: number, badRow?: number): string {
  const lines = ['displayName,emailAddresses,businessPhones,companyName,businessAddress.city'];
  for (let i = 0; i < rows; i++) {
    const email = i === badRow ? 'not-an-address' : `person.${i}@suppliers.example`;
    lines.push(
      `Person Number ${i},${email},+1 425 555 ${String(i % 10_000).padStart(4, '0')},Supplier Company ${i % 97} Ltd,Redmond`,
    );
  }
  return lines.join('\n') + '\n';
}

/**
 * Issue #16, finding 2 / acceptance 2: a 50,000-row CSV import runs in a worker process, so
 * the API's event loop (measured here: the API runs in this process, the worker does not)
 * stays responsive and other requests keep being answered. Imports are all or nothing.
 */
describe('CSV import as a worker job', () => {
  let h: AdminHarness;
  let admin: Browser;
  let worker: ServiceProcess;
  let listId: string;

  beforeAll(async () => {
    // Many requests from one caller by design: the per-caller limit is not under test here.
    h = await AdminHarness.start({ env: { API_RATE_LIMIT_PER_MINUTE: '100000' } });
    worker = startService('apps/worker/src/main.ts', { ...h.env, LOG_LEVEL: 'info' });
    await worker.listening();
    // In production the worker has its own container; on this shared 2-core machine it yields
    // the CPU to the API, whose own event loop is what this test measures.
    setPriority(worker.child.pid!, 10);
    admin = h.browser();
    const t = h.tenant(0);
    await admin.signIn(t.adminUpn);
    expect((await admin.consent(t.adminUpn)).status).toBe(200);
    listId = (
      await admin.request<{ id: string }>('POST', '/api/lists', {
        body: { name: 'Suppliers', settings: { sources: [{ id: 'm', kind: 'manual' }] } },
      })
    ).body.id;
  }, 60_000);
  afterAll(async () => {
    await worker?.stop();
    await h?.stop();
  });

  const currentEntries = async () => {
    const list = await h.dataSource
      .getRepository(ContactListEntity)
      .findOneByOrFail({ id: listId });
    return h.dataSource
      .getRepository(ListEntryEntity)
      .find({ where: { listId, generation: list.entryGeneration } });
  };

  it('imports 50,000 rows while the API keeps answering, with a p99 event-loop delay under 50 ms', async () => {
    const csv = csvOf(ROWS);
    expect(Buffer.byteLength(csv)).toBeGreaterThan(4_000_000);

    // What is measured is whether the import blocks the API's event loop, not how busy the
    // shared CI machine is: the other Jest worker's suites must not starve this process (in
    // production the API has its own container). Raising its priority needs root; without it
    // the measurement runs at normal priority.
    const raised = (() => {
      try {
        setPriority(0, -10);
        return true;
      } catch {
        return false;
      }
    })();
    const histogram = monitorEventLoopDelay({ resolution: 10 });
    histogram.enable();
    let running = true;
    const answered = { health: 0, lists: 0, failed: 0 };
    const others = (async () => {
      const other = h.browser();
      await other.signIn(h.tenant(0).adminUpn);
      while (running) {
        const [health, lists] = await Promise.all([
          other.request('GET', '/health/live'),
          other.request('GET', '/api/lists'),
        ]);
        if (health.status === 200) answered.health++;
        else answered.failed++;
        if (lists.status === 200) answered.lists++;
        else answered.failed++;
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const seen: CsvImportJob[] = [];
    let job: CsvImportJob;
    try {
      job = await importCsv(admin, listId, csv, {
        timeoutMs: 240_000,
        onPoll: (j) => seen.push(j),
      });
    } finally {
      running = false;
      await others;
      histogram.disable();
      if (raised) setPriority(0, 0);
    }

    expect(job).toMatchObject({ status: 'succeeded', result: { imported: ROWS, replaced: 0 } });
    // The job was seen in progress, and other requests were answered throughout.
    expect(seen.some((j) => j.status === 'running' || j.status === 'queued')).toBe(true);
    expect(answered.failed).toBe(0);
    expect(answered.health).toBeGreaterThan(5);
    expect(answered.lists).toBeGreaterThan(5);
    const p99Ms = histogram.percentile(99) / 1e6;
    process.stderr.write(
      `csv import: API event-loop delay p99 ${p99Ms.toFixed(1)} ms, max ${(histogram.max / 1e6).toFixed(1)} ms\n`,
    );
    expect(p99Ms).toBeLessThan(50);
    expect(await currentEntries()).toHaveLength(ROWS);

    // Finding 8: no source key holds an address or any part of one (a scan of the table).
    const keys = (await h.dataSource.getRepository(ListEntryEntity).find()).map((e) => e.sourceKey);
    expect(keys).toHaveLength(ROWS);
    for (const key of keys) {
      expect(key).not.toContain('@');
      expect(key).not.toContain('person.');
    }
  }, 300_000);

  it('refuses a second import with one bad row in the middle, reporting it, and keeps the 50,000 entries', async () => {
    const before = (await currentEntries()).map((e) => e.id).sort();
    const bad = Math.floor(ROWS / 2);
    const jobsBefore = (await h.counts()).import_job;
    // A client-side keep-alive race can reset the upload before the server read it: retried
    // once, and only when no job was created (so the server never saw the request).
    const upload = () => importCsv(admin, listId, csvOf(ROWS, bad), { timeoutMs: 240_000 });
    const job = await upload().catch(async (error: Error) => {
      if (!/ECONNRESET/.test(error.message) || (await h.counts()).import_job !== jobsBefore)
        throw error;
      return upload();
    });
    expect(job.status).toBe('failed');
    // The bad address, and so no key for the row: both on that one line (the header is line 1).
    expect(job.problems.map((p) => [p.row, p.field])).toEqual([
      [bad + 2, 'emailAddresses'],
      [bad + 2, 'key'],
    ]);
    expect(job.problemCount).toBe(2);
    expect((await currentEntries()).map((e) => e.id).sort()).toEqual(before);
    expect(await h.dataSource.getRepository(ListEntryEntity).count({ where: { listId } })).toBe(
      ROWS,
    );
  }, 300_000);

  it("reports a job only to its tenant and list: another list's or tenant's id is 404", async () => {
    const job = await importCsv(
      admin,
      listId,
      'displayName,emailAddresses\nSolo,solo@one.example\n',
    );
    expect(job.status).toBe('succeeded');
    const other = (
      await admin.request<{ id: string }>('POST', '/api/lists', {
        body: { name: 'Other', settings: { sources: [{ id: 'm', kind: 'manual' }] } },
      })
    ).body.id;
    expect((await admin.request('GET', `/api/lists/${other}/entries/csv/${job.id}`)).status).toBe(
      404,
    );
    const b = h.browser();
    const tb = h.tenant(1);
    await b.signIn(tb.adminUpn);
    expect((await b.consent(tb.adminUpn)).status).toBe(200);
    expect((await b.request('GET', `/api/lists/${listId}/entries/csv/${job.id}`)).status).toBe(404);
  }, 60_000);
});
