/**
 * A bounded in-memory cache: an entry serves for `ttlMs` after it was set, and at most
 * `maxEntries` are kept (the oldest go first). Entries are kept in the order they were set
 * (set moves a key to the end), so expired ones are removed from the front on every get and
 * set: nothing stays in memory after it expired once the map is used again.
 */
export class ExpiringMap<K, V> {
  private readonly entries = new Map<K, { at: number; value: V }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: K): V | undefined {
    this.prune(this.now());
    return this.entries.get(key)?.value;
  }

  set(key: K, value: V): void {
    const now = this.now();
    this.entries.delete(key);
    this.entries.set(key, { at: now, value });
    this.prune(now);
  }

  delete(key: K): void {
    this.entries.delete(key);
  }

  /** Removes expired entries and those over the bound, oldest first (they are at the front). */
  private prune(now: number): void {
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= this.maxEntries && now - entry.at < this.ttlMs) return;
      this.entries.delete(key);
    }
  }
}
