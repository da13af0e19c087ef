/**
 * The tenant and list rows every mailbox job of a run reads, shared by the jobs of one process
 * for a moment (2 s) rather than read and parsed once per mailbox. Keyed by run, so a new run
 * always reads afresh; within a run a change shows within the moment. The rows are read-only.
 */
export class RunRowsCache<RunRows> {
  private readonly entries = new Map<string, { until: number; rows: Promise<RunRows> }>();

  constructor(
    private readonly ttlMs = 2_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string, load: () => Promise<RunRows>): Promise<RunRows> {
    const found = this.entries.get(key);
    if (found && found.until > this.now()) return found.rows;
    return this.refresh(key, load);
  }

  /** Loads the rows now (whatever is cached) and keeps them for the moment. */
  refresh(key: string, load: () => Promise<RunRows>): Promise<RunRows> {
    const at = this.now();
    if (this.entries.size >= 64)
      for (const [k, e] of this.entries) if (e.until <= at) this.entries.delete(k);
    const rows = load();
    this.entries.set(key, { until: at + this.ttlMs, rows });
    rows.catch(() => this.entries.delete(key));
    return rows;
  }
}
