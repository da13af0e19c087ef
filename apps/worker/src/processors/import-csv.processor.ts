import { type ProcessorJob, QueueName, QueueProcessor } from '@app/queue';
import { CsvImportJobs } from '@app/sync';
import { OnWorkerEvent, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';

/** Runs a CSV import (issue #16: off the API's event loop); its state lives in import_job. */
@QueueProcessor(QueueName.ImportCsv)
export class ImportCsvProcessor extends WorkerHost {
  private readonly logger = new Logger(ImportCsvProcessor.name);

  constructor(private readonly imports: CsvImportJobs) {
    super();
  }

  async process(job: ProcessorJob<'import-csv'>): Promise<string> {
    const status = await this.imports.run(job.data.importJobId);
    this.logger.log(
      { tenantId: job.data.tenantId, importJobId: job.data.importJobId, status },
      'CSV import finished',
    );
    return status;
  }

  /** The last attempt failed: record it, so the status never stays `running`. */
  @OnWorkerEvent('failed')
  async onFailed(job: ProcessorJob<'import-csv'> | undefined, error: Error): Promise<void> {
    if (!job || job.attemptsMade < (job.opts.attempts ?? 1)) return;
    this.logger.error(
      { importJobId: job.data.importJobId, err: error.message },
      'CSV import failed',
    );
    await this.imports.fail(
      job.data.importJobId,
      `the import failed (${error.message}); the list's entries are unchanged`,
    );
  }
}
