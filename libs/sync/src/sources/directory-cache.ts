import type { LogStore } from '@app/logstore';
import { DirectoryReader, type DirectoryRecord, type TenantRef } from '@app/microsoft';
import type { SourceStateEntity, SourceStateRepository } from '@app/persistence';

/** The log store snapshot that holds the tenant's users between runs. */
export const DIRECTORY_CACHE_ID = '__directory-users';
const CACHE_ID = DIRECTORY_CACHE_ID;
const SOURCE_KEY = 'directory-users';

export interface DirectoryUsers {
  users: Map<string, DirectoryRecord>;
  /** Users added, changed or removed since the last read (empty on a full read: see fullRead). */
  changedIds: ReadonlySet<string>;
  fullRead: boolean;
}

/**
 * The tenant's users, kept between runs: the records in the log store (encrypted, expiring with
 * the other caches) and the `/users/delta` link in SQL. An unchanged directory then costs one
 * request per run; a lost cache or an expired link costs one full read.
 */
export class DirectoryCache {
  constructor(
    private readonly reader: DirectoryReader,
    private readonly logStore: LogStore,
    private readonly sourceStates: SourceStateRepository,
  ) {}

  async users(tenant: TenantRef): Promise<DirectoryUsers> {
    const state = await this.sourceStates.find(tenant.id, SOURCE_KEY);
    const cached = state?.deltaLink
      ? await this.logStore.getSnapshot(tenant.id, CACHE_ID)
      : undefined;

    if (state?.deltaLink && cached) {
      const delta = await this.reader.readUsers(tenant, state.deltaLink);
      if (delta !== 'expired') {
        const users = new Map(
          cached.items.map((item) => [item.sourceKey, item.content as DirectoryRecord]),
        );
        for (const id of delta.removedIds) users.delete(id);
        // Delta carries at least the changed properties of a changed user: merge them in.
        for (const change of delta.changed)
          users.set(change.id, { ...(users.get(change.id) ?? {}), ...change });
        const changedIds = new Set([...delta.changed.map((u) => u.id), ...delta.removedIds]);
        if (changedIds.size > 0) await this.store(tenant.id, users);
        await this.saveLink(state, tenant.id, delta.deltaLink);
        return { users, changedIds, fullRead: false };
      }
    }

    const full = await this.reader.readUsers(tenant, undefined);
    if (full === 'expired') throw new Error('a full directory read cannot expire');
    const users = new Map(full.changed.map((user) => [user.id, user]));
    await this.store(tenant.id, users);
    await this.saveLink(state, tenant.id, full.deltaLink);
    return { users, changedIds: new Set(), fullRead: true };
  }

  private async store(tenantId: string, users: Map<string, DirectoryRecord>): Promise<void> {
    await this.logStore.putSnapshot(tenantId, CACHE_ID, {
      items: [...users.values()].map((user) => ({
        sourceKey: user.id,
        contentHash: '',
        content: user,
      })),
    });
  }

  private async saveLink(
    state: SourceStateEntity | null,
    tenantId: string,
    deltaLink: string,
  ): Promise<void> {
    await this.sourceStates.saveDeltaLink(state, tenantId, SOURCE_KEY, deltaLink);
  }
}
