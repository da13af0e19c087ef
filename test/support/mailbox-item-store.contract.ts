import type { ItemWriteResult, MailboxItemStore, MailboxRef, MailboxSession } from '@app/domain';
import { randomUUID } from 'node:crypto';

/** What a mailbox port adapter under test brings to the shared contract. */
export interface MailboxItemStoreFixture<TPatch, TValues> {
  store: MailboxItemStore<TPatch, TValues>;
  /** A mailbox with nothing of ours in it. */
  mailbox: MailboxRef;
  /** A patch that gives an item the visible name `name`. */
  patch(name: string): TPatch;
  /** The visible name in an item's values (read with values). */
  nameOf(values: TValues | undefined): string | undefined;
  /** Creates an item in the container as the user would (no tags of ours); answers its id. */
  createUserItem(containerId: string, name: string): Promise<string>;
  /** Makes the transport apply the next write request but lose its response. */
  loseNextWriteResponse(): Promise<void>;
  /** A change token the transport no longer knows. */
  expiredToken(containerId: string): Promise<string>;
  /**
   * Deletes a container as its user would: `trash` as the mail client's delete does (Outlook
   * moves a folder to Deleted Items, where its id still resolves), `purge` for good.
   */
  deleteContainerAsUser(containerId: string, how: 'trash' | 'purge'): Promise<void>;
  /**
   * The adapter has no change feed with our tags (calendars): `readChanges` answers 'expired'
   * without asking the mailbox, and the engine lists our tagged items instead.
   */
  listsInsteadOfChanges?: boolean;
}

async function all<T>(pages: AsyncIterable<T[]>): Promise<T[]> {
  const items: T[] = [];
  for await (const page of pages) items.push(...page);
  return items;
}

async function writeAll<TPatch>(
  session: MailboxSession<TPatch, unknown>,
  containerId: string,
  listId: string,
  writes: Parameters<MailboxSession<TPatch, unknown>['write']>[2],
): Promise<ItemWriteResult<TPatch>[]> {
  const results: ItemWriteResult<TPatch>[] = [];
  await session.write(containerId, listId, writes, async (batch) => {
    results.push(...batch);
  });
  return results;
}

/**
 * The mailbox port's contract, run against each adapter on its real server (the simulator):
 * container, change feed, tagged listing, batch writes with per-item results, and recovery of
 * a lost write response through our tags. Every adapter (Graph contacts, EWS contacts, EWS
 * calendar items) must pass the same suite.
 */
export function describeMailboxItemStoreContract<TPatch, TValues>(
  name: string,
  setup: () => Promise<MailboxItemStoreFixture<TPatch, TValues>>,
): void {
  describe(`mailbox port contract: ${name}`, () => {
    let fx: MailboxItemStoreFixture<TPatch, TValues>;
    let session: MailboxSession<TPatch, TValues>;
    let containerId: string;
    const listId = randomUUID();
    const otherListId = randomUUID();

    beforeAll(async () => {
      fx = await setup();
      session = fx.store.open(fx.mailbox);
      containerId = (await session.ensureContainer(
        { kind: 'named', name: `Contract ${listId.slice(0, 8)}` },
        { create: true },
      ))!;
    });

    it('ensures a named container once, finds the default one, and a preview creates none', async () => {
      expect(containerId).toEqual(expect.any(String));
      const again = await session.ensureContainer(
        { kind: 'named', name: `contract ${listId.slice(0, 8)}` }, // names match case-insensitively
        { create: true },
      );
      expect(again).toBe(containerId);
      const preview = await session.ensureContainer(
        { kind: 'named', name: `Never ${randomUUID()}` },
        { create: false },
      );
      expect(preview).toBeUndefined();
      const defaultId = await session.ensureContainer({ kind: 'default' }, { create: false });
      expect(defaultId).toEqual(expect.any(String));
      expect(defaultId).not.toBe(containerId);
      expect(await session.probe()).toBe('user');
    });

    it('writes a batch with one final result per write, in order, and tags what it creates', async () => {
      const creates = ['Ada', 'Grace', 'Edsger'].map((n, i) => ({
        kind: 'create' as const,
        sourceKey: `key:${i}`,
        contentHash: `hash-${i}`,
        fieldHashes: `fh-${i}`,
        patch: fx.patch(n),
      }));
      const created = await writeAll(session, containerId, listId, creates);
      expect(created.map((r) => r.outcome)).toEqual(['done', 'done', 'done']);
      expect(created.map((r) => r.write.sourceKey)).toEqual(['key:0', 'key:1', 'key:2']);
      const ids = created.map((r) => r.itemId!);
      expect(new Set(ids).size).toBe(3);

      const mixed = await writeAll(session, containerId, listId, [
        {
          kind: 'update',
          itemId: ids[0],
          sourceKey: 'key:0',
          contentHash: 'hash-0b',
          fieldHashes: 'fh-0b',
          patch: fx.patch('Ada L.'),
        },
        { kind: 'delete', itemId: ids[2], sourceKey: 'key:2' },
        { kind: 'delete', itemId: ids[2], sourceKey: 'key:2' }, // already gone
      ]);
      expect(mixed.map((r) => r.outcome)).toEqual(['done', 'done', 'gone']);

      const tagged = await all(session.listTagged(containerId, listId));
      expect(
        tagged.map((t) => [t.itemId, t.listId, t.sourceKey, t.contentHash, t.fieldHashes]).sort(),
      ).toEqual(
        [
          [ids[0], listId, 'key:0', 'hash-0b', 'fh-0b'],
          [ids[1], listId, 'key:1', 'hash-1', 'fh-1'],
        ].sort(),
      );
      const read = await session.readItems([ids[0], ids[2]], { withValues: true });
      expect(fx.nameOf(read.get(ids[0])?.values)).toBe('Ada L.');
      expect(read.get(ids[0])?.sourceKey).toBe('key:0');
      expect(read.get(ids[2])).toBeNull();
    });

    it("lists only the list's items: another list's and the user's own are not ours", async () => {
      const userItem = await fx.createUserItem(containerId, 'My own contact');
      await writeAll(session, containerId, otherListId, [
        { kind: 'create', sourceKey: 'other:1', contentHash: 'h', patch: fx.patch('Other list') },
      ]);
      const mine = await all(session.listTagged(containerId, listId));
      expect(mine.every((t) => t.listId === listId)).toBe(true);
      expect(mine.map((t) => t.itemId)).not.toContain(userItem);
      const own = await session.readItems([userItem], { withValues: false });
      expect(own.get(userItem)?.listId).toBeUndefined();
      expect(own.get(userItem)?.sourceKey).toBeUndefined();
    });

    it('reports changes since a token, and an unknown token as expired', async () => {
      if (fx.listsInsteadOfChanges) {
        expect(session.changeTracking).toBe('none');
        expect(await session.readChanges(containerId, undefined)).toBe('expired');
        return;
      }
      const start = await session.readChanges(containerId, undefined);
      if (start === 'expired') throw new Error('a fresh change query answered expired');
      if (session.changeTracking === 'none') return;
      const [created] = await writeAll(session, containerId, listId, [
        { kind: 'create', sourceKey: 'key:new', contentHash: 'h', patch: fx.patch('Barbara') },
      ]);
      const [gone] = (await all(session.listTagged(containerId, listId))).filter(
        (t) => t.sourceKey === 'key:1',
      );
      await writeAll(session, containerId, listId, [
        { kind: 'delete', itemId: gone.itemId, sourceKey: 'key:1' },
      ]);
      const since = await session.readChanges(containerId, start.token);
      if (since === 'expired') throw new Error('a token just issued answered expired');
      const added = since.changes.find((c) => c.id === created.itemId);
      expect(added).toMatchObject({ removed: false, changeKey: created.changeKey });
      expect(since.changes.find((c) => c.id === gone.itemId)).toMatchObject({ removed: true });
      const quiet = await session.readChanges(containerId, since.token);
      expect(quiet !== 'expired' && quiet.changes).toEqual([]);
      expect(await session.readChanges(containerId, await fx.expiredToken(containerId))).toBe(
        'expired',
      );
    });

    it('renames a named container in place, keeping its items; a taken name is a conflict', async () => {
      const name = `Rename ${randomUUID().slice(0, 8)}`;
      const id = (await session.ensureContainer({ kind: 'named', name }, { create: true }))!;
      const [item] = await writeAll(session, id, listId, [
        { kind: 'create', sourceKey: 'stay:1', contentHash: 'h', patch: fx.patch('Stays') },
      ]);
      expect(await session.inspectContainer(id)).toEqual({ name });
      const renamed = `${name} (renamed)`;
      expect(await session.renameContainer(id, renamed)).toBe('done');
      expect(await session.inspectContainer(id)).toEqual({ name: renamed });
      expect(
        await session.ensureContainer({ kind: 'named', name: renamed }, { create: false }),
      ).toBe(id);
      const items = await all(session.listTagged(id, listId));
      expect(items.map((i) => i.itemId)).toEqual([item.itemId]);
      const other = `Other ${randomUUID().slice(0, 8)}`;
      await session.ensureContainer({ kind: 'named', name: other }, { create: true });
      expect(await session.renameContainer(id, other)).toBe('conflict');
      expect(await session.inspectContainer(id)).toEqual({ name: renamed });
    });

    it('a container the user deleted is gone for the engine, whether trashed or purged', async () => {
      for (const how of ['trash', 'purge'] as const) {
        const name = `Deleted ${how} ${randomUUID().slice(0, 8)}`;
        const id = (await session.ensureContainer({ kind: 'named', name }, { create: true }))!;
        await writeAll(session, id, listId, [
          { kind: 'create', sourceKey: `${how}:1`, contentHash: 'h', patch: fx.patch(how) },
        ]);
        await fx.deleteContainerAsUser(id, how);
        expect([how, await session.inspectContainer(id)]).toEqual([how, null]);
        // A container of that name is a new one, never the deleted one.
        const again = await session.ensureContainer({ kind: 'named', name }, { create: true });
        expect(again).not.toBe(id);
        if (how === 'purge') {
          await expect(all(session.listTagged(id, listId))).rejects.toMatchObject({
            code: 'CONTAINER_NOT_FOUND',
          });
          if (!fx.listsInsteadOfChanges)
            await expect(session.readChanges(id, undefined)).rejects.toMatchObject({
              code: 'CONTAINER_NOT_FOUND',
            });
          expect(await session.renameContainer(id, `${name} x`)).toBe('gone');
        }
      }
    });

    it('a write whose response was lost is found by its tags, not lost and not doubled', async () => {
      await fx.loseNextWriteResponse();
      const sourceKey = `lost:${randomUUID()}`;
      await expect(
        writeAll(session, containerId, listId, [
          { kind: 'create', sourceKey, contentHash: 'h-lost', patch: fx.patch('Lost response') },
        ]),
      ).rejects.toThrow();
      const found = (await all(session.listTagged(containerId, listId))).filter(
        (t) => t.sourceKey === sourceKey,
      );
      expect(found).toHaveLength(1);
      expect(found[0].contentHash).toBe('h-lost');
    });
  });
}
