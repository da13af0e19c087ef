/** Sliding-window counter: at most `limit` events per `windowMs`. */
export class SlidingWindow {
  private times: number[] = [];
  private head = 0;
  constructor(
    public limit: number,
    public windowMs: number,
  ) {}
  private prune(now: number): void {
    const cutoff = now - this.windowMs;
    while (this.head < this.times.length && this.times[this.head] <= cutoff) this.head++;
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
  }
  count(now = Date.now()): number {
    this.prune(now);
    return this.times.length - this.head;
  }
  /** Records an event if the budget allows; otherwise returns ms until a slot frees. */
  tryTake(now = Date.now()): { ok: true } | { ok: false; waitMs: number } {
    this.prune(now);
    if (this.times.length - this.head >= this.limit) {
      return { ok: false, waitMs: Math.max(1, this.times[this.head] + this.windowMs - now) };
    }
    this.times.push(now);
    return { ok: true };
  }
}
