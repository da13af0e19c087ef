import type { Browser } from './admin-harness';

export interface CsvImportJob {
  id: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  processed: number;
  total: number | null;
  result: { mode: string; imported: number; replaced: number; kept: number } | null;
  problems: Array<{ row: number; field: string; message: string }>;
  problemCount: number;
  message: string | null;
}

/** Uploads a CSV (202 with a job id) and polls its status URL until the job has ended. */
export async function importCsv(
  browser: Browser,
  listId: string,
  csv: string,
  options: {
    timeoutMs?: number;
    onPoll?: (job: CsvImportJob) => void;
    /** `merge` into the entries instead of replacing them. */
    mode?: 'replace' | 'merge';
  } = {},
): Promise<CsvImportJob> {
  const query = options.mode ? `?mode=${options.mode}` : '';
  const started = await browser
    .request<{ jobId: string; statusUrl: string }>(
      'POST',
      `/api/lists/${listId}/entries/csv${query}`,
      {
        body: csv,
        headers: { 'content-type': 'text/csv' },
      },
    )
    .catch((error: Error & { cause?: Error }) => {
      throw new Error(`CSV upload: ${error.message}: ${error.cause?.message ?? ''}`);
    });
  if (started.status !== 202)
    throw new Error(`CSV upload answered ${started.status}: ${started.text.slice(0, 300)}`);
  return waitForCsvImport(browser, started.body.statusUrl, options);
}

export async function waitForCsvImport(
  browser: Browser,
  statusUrl: string,
  options: { timeoutMs?: number; onPoll?: (job: CsvImportJob) => void } = {},
): Promise<CsvImportJob> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    const res = await browser.request<CsvImportJob>('GET', statusUrl);
    if (res.status !== 200) throw new Error(`import status answered ${res.status}`);
    options.onPoll?.(res.body);
    if (res.body.status === 'succeeded' || res.body.status === 'failed') return res.body;
    if (Date.now() > deadline) throw new Error(`import still ${res.body.status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
