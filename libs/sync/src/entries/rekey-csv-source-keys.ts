import type { BlindIndex } from '@app/crypto';
import { ListEntryEntity, withTransaction } from '@app/persistence';
import { Like, type DataSource } from 'typeorm';
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
    private readonly dataSource: DataSource,
    private readonly blindIndex: BlindIndex,
  ) {}

  async execute(): Promise<{ rewritten: number }> {
    let rewritten = 0;
    for (;;) {
      const batch = await this.dataSource.getRepository(ListEntryEntity).find({
        select: { id: true, tenantId: true, sourceKey: true },
        where: { sourceKey: Like(`${LEGACY_CSV_SOURCE_KEY_PREFIX}%`) },
        take: BATCH,
      });
      if (batch.length === 0) return { rewritten };
      await withTransaction(this.dataSource, async (manager) => {
        for (const entry of batch) {
          const key = entry.sourceKey.slice(LEGACY_CSV_SOURCE_KEY_PREFIX.length);
          await manager
            .getRepository(ListEntryEntity)
            .update(
              { id: entry.id, sourceKey: entry.sourceKey },
              { sourceKey: csvSourceKey(this.blindIndex, entry.tenantId, key) },
            );
        }
      });
      rewritten += batch.length;
    }
  }
}
