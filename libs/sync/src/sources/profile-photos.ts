import type { LogStore } from '@app/logstore';
import type { DirectoryReader, TenantRef } from '@app/microsoft';
import { createHash } from 'node:crypto';

const CACHE_ID = '__photo-hashes';

/** Short, stable hash of a photo's bytes: what a contact's `photoHash` holds. */
export function photoHashOf(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('base64url').slice(0, 22);
}

/**
 * Directory users' profile photos. Their hashes are kept in the log store between runs and read
 * again only for users the directory reports as changed, so photos cost nothing on a quiet run;
 * the bytes are fetched when a mailbox needs them, once per worker process and user.
 */
export class ProfilePhotos {
  private readonly bytesCache = new Map<string, Promise<Buffer | undefined>>();

  constructor(
    private readonly reader: DirectoryReader,
    private readonly logStore: LogStore,
    private readonly capacity = 256,
  ) {}

  /** Hash per user who has a photo; `changed` = users to read again ('all' after a full read). */
  async hashes(
    tenant: TenantRef,
    userIds: readonly string[],
    changed: ReadonlySet<string> | 'all',
  ): Promise<Map<string, string>> {
    const snapshot = await this.logStore.getSnapshot(tenant.id, CACHE_ID);
    const known = new Map(
      (snapshot?.items ?? []).map((item) => [item.sourceKey, item.contentHash]),
    );
    const stale = userIds.filter((id) => changed === 'all' || changed.has(id) || !known.has(id));
    for (let start = 0; start < stale.length; start += 8) {
      await Promise.all(
        stale.slice(start, start + 8).map(async (id) => {
          const bytes = await this.reader.userPhoto(tenant, id);
          known.set(id, bytes ? photoHashOf(bytes) : '');
        }),
      );
    }
    if (stale.length > 0) {
      await this.logStore.putSnapshot(tenant.id, CACHE_ID, {
        items: [...known].map(([sourceKey, contentHash]) => ({
          sourceKey,
          contentHash,
          content: null,
        })),
      });
    }
    return new Map([...known].filter(([id, hash]) => hash !== '' && userIds.includes(id)));
  }

  /**
   * A user's photo bytes; `hash` (the planned `photoHash`) is part of the cache key, so a
   * long-lived worker never uploads a photo the user has since replaced.
   */
  bytes(tenant: TenantRef, userId: string, hash?: string): Promise<Buffer | undefined> {
    const key = `${tenant.id}/${userId}/${hash ?? ''}`;
    let found = this.bytesCache.get(key);
    if (!found) {
      found = this.reader.userPhoto(tenant, userId);
      this.bytesCache.set(key, found);
      found.catch(() => this.bytesCache.delete(key));
      while (this.bytesCache.size > this.capacity)
        this.bytesCache.delete(this.bytesCache.keys().next().value!);
    }
    return found;
  }
}
