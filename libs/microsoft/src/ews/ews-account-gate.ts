/**
 * At most `limit` EWS requests in flight per service account within this process (Exchange
 * counts EWSMaxConcurrency per account, whatever mailbox it impersonates). Every transport of
 * every session built with this gate passes through it, so a worker's jobs share the limit.
 * Across worker processes each has its own gate: the fleet-wide bound is the tenant's mailbox
 * slots (SYNC_TENANT_MAILBOX_LIMIT, one EWS request at a time per mailbox job) and, past it,
 * Exchange's ErrorServerBusy with its BackOffMilliseconds.
 */
export class EwsAccountGate {
  private readonly accounts = new Map<string, { active: number; waiting: Array<() => void> }>();
  /** Highest number of requests in flight for one account seen by this gate. */
  peak = 0;

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new Error(`EWS concurrency must be a whole number from 1, got ${limit}`);
  }

  /** Runs `fn` once one of the account's slots is free; the slot is freed when it settles. */
  async run<T>(account: string, fn: () => Promise<T>): Promise<T> {
    const key = account.toLowerCase();
    let a = this.accounts.get(key);
    if (!a) this.accounts.set(key, (a = { active: 0, waiting: [] }));
    if (a.active >= this.limit) await new Promise<void>((resolve) => a.waiting.push(resolve));
    else a.active++;
    this.peak = Math.max(this.peak, a.active);
    try {
      return await fn();
    } finally {
      // hand the slot on to the next waiter (active stays), or free it
      const next = a.waiting.shift();
      if (next) next();
      else if (--a.active === 0) this.accounts.delete(key);
    }
  }

  /** Requests in flight for `account` now. */
  active(account: string): number {
    return this.accounts.get(account.toLowerCase())?.active ?? 0;
  }
}
