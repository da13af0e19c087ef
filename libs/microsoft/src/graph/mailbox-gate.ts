/**
 * Holds every request to one mailbox while a Retry-After is pending, so nothing reaches a
 * mailbox that asked us to wait. One gate per mailbox job (the fleet-wide mailbox lock makes
 * the job the only writer).
 */
export class MailboxGate {
  private blockedUntil = 0;
  retries = 0;
  throttledResponses = 0;
  /** Requests per $batch for this mailbox: 20 until sub-request 429s teach us less. */
  batchSize = 20;

  constructor(private readonly now: () => number = Date.now) {}

  block(ms: number): void {
    this.blockedUntil = Math.max(this.blockedUntil, this.now() + ms);
  }

  /** Halves the batch width (not below 4, Outlook's documented concurrency per mailbox). */
  narrow(): void {
    this.batchSize = Math.max(4, Math.floor(this.batchSize / 2));
  }

  /** How long the next request must wait. */
  waitMs(): number {
    return Math.max(0, this.blockedUntil - this.now());
  }

  async pass(): Promise<void> {
    const wait = this.waitMs();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
}
