import type { BlindIndex } from '@app/crypto';
import type { ListEntryRepository } from '@app/persistence';
import { csvSourceKey, LEGACY_CSV_SOURCE_KEY_PREFIX } from './csv-source-key';

const BATCH = 200;

/**
 * Rewrites legacy `csv:<key>` source keys to their blind index (ADR 0002). A migration cannot
 * do it (it has no access to the configured key), so the worker runs it at start. Idempotent:
 * only rows still in the legacy namespace are touched, in short transactions of BATCH rows.
 * The next sync sees the new key, removes the item tagged with the old one and creates its
 * replacement, so a mailbox never holds the contact twice.
 */
export class RekeyCsvSourceKeys {
  constructor(
    private readonly entries: ListEntryRepository,
    private readonly blindIndex: BlindIndex,
  ) {}

  async execute(): Promise<{ rewritten: number }> {
    let rewritten = 0;
    for (;;) {
      const batch = await this.entries.withSourceKeyPrefix(LEGACY_CSV_SOURCE_KEY_PREFIX, BATCH);
      if (batch.length === 0) return { rewritten };
      await this.entries.rewriteSourceKeys(
        batch.map((entry) => ({
          id: entry.id,
          from: entry.sourceKey,
          to: csvSourceKey(
            this.blindIndex,
            entry.tenantId,
            entry.sourceKey.slice(LEGACY_CSV_SOURCE_KEY_PREFIX.length),
          ),
        })),
      );
      rewritten += batch.length;
    }
  }
}
