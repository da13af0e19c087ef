import { Logger } from '@nestjs/common';
import type { Clock } from './clock';
import type { PurgeResult } from './purge-result';
import type { Purgeable } from './purgeable';
import { systemClock } from './system-clock';

/**
 * Runs the embedded store's purge every minute (like MongoDB's TTL monitor). Runs never
 * overlap; a failed run is logged and retried at the next tick. The timer is unref'd so it
 * never keeps a process alive on its own.
 */
export class LogStorePurgeJob {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<PurgeResult | undefined> | undefined;
  private readonly logger = new Logger('LogStorePurge');

  constructor(
    private readonly store: Purgeable,
    private readonly clock: Clock = systemClock,
    private readonly intervalMs = 60_000,
  ) {}

  get started(): boolean {
    return this.timer !== undefined;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.runOnce(), this.intervalMs);
    this.timer.unref();
  }

  /** Stops the timer and waits for a run in progress, so the store can be closed after. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One pass; resolves to undefined when a pass was already running or this one failed. */
  runOnce(): Promise<PurgeResult | undefined> {
    if (this.running) return Promise.resolve(undefined);
    this.running = this.store
      .purgeExpired(this.clock.now())
      .then((result) => {
        if (result.logs + result.snapshots + result.mapChunks > 0)
          this.logger.log({ ...result }, 'purged expired entries');
        return result;
      })
      .catch((error: unknown) => {
        this.logger.error({ err: error }, 'log store purge failed');
        return undefined;
      })
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }
}
