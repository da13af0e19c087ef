/**
 * When the next SOAP operation may go to a mailbox: Exchange's ErrorServerBusy carries
 * BackOffMilliseconds, and nothing is sent to that mailbox (through that service account)
 * before it has passed. Shared by the sessions of one store within a process, keyed by tenant,
 * service account and mailbox.
 */
export class EwsPace {
  private readonly notBefore = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Milliseconds still to wait before the next operation on `key` (0 = go). */
  waitFor(key: string): number {
    const until = this.notBefore.get(key);
    if (until === undefined) return 0;
    const left = until - this.now();
    if (left <= 0) this.notBefore.delete(key);
    return Math.max(0, left);
  }

  /** Exchange asked to wait `backOffMs` before the next operation on `key`. */
  backOff(key: string, backOffMs: number): void {
    const until = this.now() + backOffMs;
    this.notBefore.set(key, Math.max(until, this.notBefore.get(key) ?? 0));
  }
}
