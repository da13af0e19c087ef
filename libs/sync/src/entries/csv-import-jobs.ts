import { ImportJobEntity, type ImportJobRepository, type ImportMode } from '@app/persistence';
import type { SyncQueues } from '@app/queue';
import { CsvImportError, type CsvProblem } from './csv-import-error';
import type { CsvImportResult, ImportCsvEntriesUseCase } from './import-csv-entries.use-case';

/** Problems kept on the job; the count says how many there were in all. */
export const MAX_STORED_PROBLEMS = 1_000;
/** Attempts before an import that keeps being interrupted (worker killed) is failed. */
export const MAX_IMPORT_ATTEMPTS = 3;
/** Progress is written every this many rows: a short update, not one per row. */
const PROGRESS_EVERY = 5_000;

export interface CsvImportJobView {
  id: string;
  listId: string;
  status: ImportJobEntity['status'];
  mode: ImportMode;
  phase: 'queued' | 'validating' | 'writing' | 'done';
  processed: number;
  total: number | null;
  sizeBytes: number;
  result: CsvImportResult | null;
  problems: CsvProblem[];
  problemCount: number;
  message: string | null;
  createdAt: string;
  finishedAt: string | null;
}

/**
 * CSV imports as worker jobs: the API stores the file (encrypted) in SQL and enqueues; the
 * worker validates and applies it (ImportCsvEntriesUseCase) and records the outcome. SQL is
 * the source of truth: a worker start re-enqueues any job Redis has lost.
 */
export class CsvImportJobs {
  constructor(
    private readonly jobs: ImportJobRepository,
    private readonly queues: SyncQueues,
    private readonly importer: ImportCsvEntriesUseCase,
  ) {}

  /** Called by the API: cheap checks only; the file is parsed by the worker. */
  async create(
    tenantId: string,
    listId: string,
    csv: string,
    mode: ImportMode = 'replace',
  ): Promise<CsvImportJobView> {
    const job = Object.assign(new ImportJobEntity(), {
      tenantId,
      listId,
      status: 'queued' as const,
      mode,
      sizeBytes: Buffer.byteLength(csv, 'utf8'),
      processed: 0,
      total: null,
      attempts: 0,
      problems: null,
      problemCount: 0,
      result: null,
      message: null,
      finishedAt: null,
      createdAt: new Date(),
      updatedAt: new Date(),
    });
    await this.jobs.insert(job, csv);
    // If Redis is down the row stays queued and the next worker start enqueues it.
    await this.queues.enqueueImport({ tenantId, importJobId: job.id });
    return view(job);
  }

  async get(tenantId: string, listId: string, jobId: string): Promise<CsvImportJobView | null> {
    const job = await this.jobs.findStatus(tenantId, listId, jobId);
    return job ? view(job) : null;
  }

  /** Called by the worker for one attempt. Returns the final status. */
  async run(importJobId: string): Promise<ImportJobEntity['status']> {
    const job = await this.jobs.findById(importJobId);
    if (!job || job.status === 'succeeded' || job.status === 'failed')
      return job?.status ?? 'failed';
    const attempts = job.attempts + 1;
    if (attempts > MAX_IMPORT_ATTEMPTS) {
      await this.fail(
        job.id,
        `the import was interrupted ${job.attempts} times; the list's entries are unchanged`,
      );
      return 'failed';
    }
    await this.update(job.id, { status: 'running', attempts, processed: 0, total: null });
    const csv = this.jobs.csvOf(job);
    let lastWritten = 0;
    // Validating: processed counts rows read, total unknown; writing: rows written of total.
    const progress = async (phase: 'validating' | 'writing', done: number, total?: number) => {
      const boundary = total !== undefined && done === total;
      if (!boundary && done - lastWritten < PROGRESS_EVERY) return;
      lastWritten = phase === 'validating' && boundary ? 0 : done;
      await this.update(
        job.id,
        phase === 'writing'
          ? { processed: done, total: total ?? null }
          : boundary
            ? { processed: 0, total: total ?? null }
            : { processed: done, total: null },
      );
    };
    try {
      const result = await this.importer.execute(job.tenantId, job.listId, csv, {
        generation: job.id,
        progress,
        mode: job.mode === 'merge' ? 'merge' : 'replace',
      });
      await this.update(job.id, {
        status: 'succeeded',
        result: JSON.stringify(result),
        csvEncrypted: null,
        finishedAt: new Date(),
      });
      return 'succeeded';
    } catch (error) {
      if (!(error instanceof CsvImportError)) throw error;
      await this.update(job.id, {
        status: 'failed',
        problems: JSON.stringify(error.problems.slice(0, MAX_STORED_PROBLEMS)),
        problemCount: error.problems.length,
        message: 'CSV refused, nothing imported',
        csvEncrypted: null,
        finishedAt: new Date(),
      });
      return 'failed';
    }
  }

  /** The last attempt failed unexpectedly: the list keeps its entries, the job says why. */
  async fail(importJobId: string, message: string): Promise<void> {
    await this.update(importJobId, {
      status: 'failed',
      message: message.slice(0, 500),
      csvEncrypted: null,
      finishedAt: new Date(),
    });
  }

  /** Worker start: jobs SQL still holds as unfinished are enqueued again (idempotent per job). */
  async requeueUnfinished(): Promise<number> {
    const open = await this.jobs.listUnfinished();
    for (const job of open)
      await this.queues.enqueueImport({ tenantId: job.tenantId, importJobId: job.id });
    return open.length;
  }

  private async update(id: string, changes: Partial<ImportJobEntity>): Promise<void> {
    await this.jobs.update(id, changes);
  }
}

function view(job: ImportJobEntity): CsvImportJobView {
  const total = job.total;
  return {
    id: job.id,
    listId: job.listId,
    status: job.status,
    mode: job.mode ?? 'replace',
    phase:
      job.status === 'queued'
        ? 'queued'
        : job.status !== 'running'
          ? 'done'
          : total !== null
            ? 'writing'
            : 'validating',
    processed: job.processed,
    total,
    sizeBytes: job.sizeBytes,
    result: job.result ? (JSON.parse(job.result) as CsvImportResult) : null,
    problems: job.problems ? (JSON.parse(job.problems) as CsvProblem[]) : [],
    problemCount: job.problemCount,
    message: job.message,
    createdAt: new Date(job.createdAt ?? Date.now()).toISOString(),
    finishedAt: job.finishedAt ? new Date(job.finishedAt).toISOString() : null,
  };
}
