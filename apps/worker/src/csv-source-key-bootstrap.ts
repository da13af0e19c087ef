import { RekeyCsvSourceKeys } from '@app/sync';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';

/** Rewrites legacy plaintext CSV source keys to their blind index when a worker starts (ADR 0002). */
@Injectable()
export class CsvSourceKeyBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger(CsvSourceKeyBootstrap.name);

  constructor(private readonly rekey: RekeyCsvSourceKeys) {}

  async onApplicationBootstrap(): Promise<void> {
    const result = await this.rekey.execute();
    if (result.rewritten > 0) this.logger.log(result, 'CSV source keys rewritten to blind indexes');
  }
}
