import { ScheduleRegistry } from '@app/sync';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';

/** Re-creates every BullMQ job scheduler from the schedules in SQL when a worker starts. */
@Injectable()
export class ScheduleBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger(ScheduleBootstrap.name);

  constructor(private readonly schedules: ScheduleRegistry) {}

  async onApplicationBootstrap(): Promise<void> {
    const result = await this.schedules.syncAll();
    this.logger.log(result, 'job schedulers re-created from SQL');
  }
}
