/**
 * A task run on a plain timer (not a BullMQ job scheduler: Redis may lose those), never two
 * passes at once; stopping waits for the pass in progress.
 */
export class PeriodicTask {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(private readonly pass: () => Promise<unknown>) {}

  start(intervalMs: number, options: { runNow: boolean }): void {
    const tick = () => {
      this.running ??= this.pass()
        .then(() => undefined)
        .finally(() => (this.running = undefined));
    };
    if (options.runNow) tick();
    this.timer = setInterval(tick, intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
