/** Switchable faults (set through /_sim/faults). */
export interface FaultConfig {
  /** added before a request is handled: uniform in [minMs, maxMs] */
  latency?: { minMs: number; maxMs: number; pathPrefix?: string };
  /** the next `count` matching requests answer `status` (503/504/500) */
  burst?: { status: number; count: number; retryAfterSeconds?: number; pathPrefix?: string };
  /**
   * the next `count` $batch sub-requests whose path (without /v1.0) matches answer `status`
   * (429/5xx) inside a 200 batch; the other sub-requests of the batch are served
   */
  subRequestBurst?: {
    status: number;
    count: number;
    retryAfterSeconds?: number;
    pathPrefix?: string;
  };
  /** the next `count` matching requests have their connection reset without an answer */
  resets?: { count: number; pathPrefix?: string };
  /** the next `count` writes (POST/PATCH/PUT/DELETE) are applied, then the connection is dropped */
  dropAfterWrite?: { count: number; pathPrefix?: string };
  /**
   * EWS: the next `count` SOAP operations on `mailbox` (SMTP address; any mailbox when absent)
   * answer the ErrorServerBusy fault with BackOffMilliseconds = `backOffMs` (default: the
   * ewsBackOffMs option); operations on that mailbox before the back-off has passed are counted
   * (`earlyOperations`) and answered ErrorServerBusy again
   */
  ewsServerBusy?: { count: number; mailbox?: string; backOffMs?: number };
  /** the token endpoint answers 503 temporarily_unavailable until the time (epoch ms) / for `count` requests */
  tokenOutage?: { untilEpochMs?: number; count?: number };
}

export class Faults {
  cfg: FaultConfig = {};

  set(cfg: FaultConfig): void {
    this.cfg = { ...this.cfg, ...cfg };
  }
  clear(): void {
    this.cfg = {};
  }

  private matches(prefix: string | undefined, path: string): boolean {
    return !prefix || path.startsWith(prefix);
  }

  latencyMs(path: string): number {
    const l = this.cfg.latency;
    if (!l || !this.matches(l.pathPrefix, path)) return 0;
    return l.minMs + Math.random() * Math.max(0, l.maxMs - l.minMs);
  }

  takeBurst(path: string): { status: number; retryAfterSeconds?: number } | undefined {
    const b = this.cfg.burst;
    if (!b || b.count <= 0 || !this.matches(b.pathPrefix, path)) return undefined;
    b.count--;
    return { status: b.status, retryAfterSeconds: b.retryAfterSeconds };
  }

  takeSubRequestBurst(path: string): { status: number; retryAfterSeconds?: number } | undefined {
    const b = this.cfg.subRequestBurst;
    if (!b || b.count <= 0 || !this.matches(b.pathPrefix, path)) return undefined;
    b.count--;
    return { status: b.status, retryAfterSeconds: b.retryAfterSeconds };
  }

  takeReset(path: string): boolean {
    const r = this.cfg.resets;
    if (!r || r.count <= 0 || !this.matches(r.pathPrefix, path)) return false;
    r.count--;
    return true;
  }

  takeDropAfterWrite(method: string, path: string): boolean {
    const d = this.cfg.dropAfterWrite;
    if (!d || d.count <= 0 || method === 'GET' || !this.matches(d.pathPrefix, path)) return false;
    d.count--;
    return true;
  }

  takeEwsServerBusy(mailbox: string): { backOffMs?: number } | undefined {
    const b = this.cfg.ewsServerBusy;
    if (!b || b.count <= 0) return undefined;
    if (b.mailbox && b.mailbox.toLowerCase() !== mailbox.toLowerCase()) return undefined;
    b.count--;
    return { backOffMs: b.backOffMs };
  }

  tokenOutage(): boolean {
    const t = this.cfg.tokenOutage;
    if (!t) return false;
    if (t.untilEpochMs && Date.now() < t.untilEpochMs) return true;
    if (t.count && t.count > 0) {
      t.count--;
      return true;
    }
    return false;
  }
}
