import { CsvImportJobs } from '@app/sync';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';

/** Re-enqueues CSV imports SQL holds as unfinished (Redis may have lost their jobs). */
@Injectable()
export class CsvImportBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger(CsvImportBootstrap.name);

  constructor(private readonly imports: CsvImportJobs) {}

  async onApplicationBootstrap(): Promise<void> {
    const requeued = await this.imports.requeueUnfinished();
    if (requeued > 0) this.logger.log({ requeued }, 'unfinished CSV imports enqueued again');
  }
}
