import { DatabaseProbe } from '@app/persistence';
import { REDIS_CLIENT } from '@app/queue';
import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { Redis } from 'ioredis';
import { checkDatabase } from './check-database';
import { checkRedis } from './check-redis';

@Controller('health')
export class HealthController {
  constructor(
    @Inject(DatabaseProbe) private readonly database: DatabaseProbe,
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
  ) {}

  /** The process is alive; says nothing of its dependencies (a restart would not fix them). */
  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Ready to serve: 503 naming each dependency that is down. */
  @Get('ready')
  async ready(@Res({ passthrough: true }) res: Response): Promise<object> {
    const [database, redis] = await Promise.all([
      checkDatabase(this.database),
      checkRedis(this.redis),
    ]);
    const checks = { database, redis };
    const failing = Object.entries(checks)
      .filter(([, result]) => result.status === 'down')
      .map(([name]) => name);
    if (failing.length > 0) {
      res.status(HttpStatus.SERVICE_UNAVAILABLE);
      return { status: 'not_ready', failing, checks };
    }
    return { status: 'ready', checks };
  }
}
