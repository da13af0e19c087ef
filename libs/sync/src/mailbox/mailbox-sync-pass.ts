import {
  planDiff,
  type ChangeSet,
  type DesiredItem,
  type ItemWrite,
  type ItemWriteResult,
  type MailboxItem,
} from '@app/domain';
import { LogStoreError, type LogStore, type MapEntry } from '@app/logstore';
import { RunCancelledError } from '../runs/run-cancelled.error';
import type { MailboxCounts } from '../runs/run-ledger';
import { appliedFingerprint } from './applied-fingerprint';
import { applyWriteResult } from './apply-write-result';
import type { ChangeReconciler } from './change-reconciler';
import type { ItemKindTypes, OpOf, StrategyOf } from './item-kind-types';
import type { MailboxJob } from './mailbox-job';
import type { MailboxOutcomeRecorder } from './mailbox-outcome-recorder';
import type { MailboxResult } from './mailbox-result';
import { PHOTO_PENDING } from './photo-pending';
import type { PhotoStep } from './photo-step';
import { previewOfOps } from './preview-sample';
import { toItemWrite } from './to-item-write';
import { WorkingMap } from './working-map';

const NO_COUNTS: MailboxCounts = { created: 0, updated: 0, deleted: 0 };

/**
 * One sync of a mailbox against the list's snapshot, in the container the job resolved: read
 * what changed cheaply (map cache + change feed), diff, write in batches through the port,
 * and keep map and token so the next sync with nothing to do costs one request.
 */
export class MailboxSyncPass<K extends ItemKindTypes> {
  constructor(
    private readonly kind: StrategyOf<K>,
    private readonly changes: ChangeReconciler<K>,
    private readonly logStore: LogStore,
    private readonly recorder: MailboxOutcomeRecorder,
    private readonly photos?: PhotoStep<K>,
  ) {}

  async run(
    job: MailboxJob<K>,
    desired: readonly DesiredItem<K['value']>[],
    containerId: string,
  ): Promise<MailboxResult> {
    const { payload, state, session } = job;
    const settings = job.settings!;
    const fingerprint =
      payload.mode === 'sync'
        ? appliedFingerprint(desired, job.listSettingsJson ?? '', containerId)
        : null;
    let known: ChangeSet | 'expired' | undefined;
    if (fingerprint && state.deltaLink && state.appliedFingerprint === fingerprint) {
      // The last complete sync applied this very snapshot: with the container unchanged since,
      // the plan is empty, and the map need not be read (a 10,000-mailbox no-op is mostly this).
      known = await session.readChanges(containerId, state.deltaLink);
      if (
        known !== 'expired' &&
        known.changes.length === 0 &&
        (await this.logStore.touchMap(payload.tenantId, payload.listId, payload.mailboxId))
      ) {
        if (known.token !== state.deltaLink) job.unsaved.deltaLink = known.token;
        return { outcome: 'succeeded', counts: NO_COUNTS };
      }
    }
    const map = await this.loadMap(job);
    const currents = new Map<string, K['current']>();
    const read = await this.changes.reconcile(job, containerId, map, currents, known);

    const plan = planDiff(
      {
        listId: payload.listId,
        desired,
        actual: map.live().map((e): MailboxItem<K['current']> => ({
          itemId: e.itemId,
          listId: payload.listId,
          sourceKey: e.sourceKey,
          contentHash: e.contentHash,
          // Unread items: the hash kept in the map (contacts: notes) stands for what we wrote.
          current:
            currents.get(e.itemId) ??
            (e.notesHash ? this.kind.currentFromMapHash(e.notesHash) : undefined),
        })),
        deletedByUser: map.deletedByUser(),
        recreateDeleted: settings.recreateDeleted,
        neverDelete: settings.neverDelete,
      },
      this.kind.diff(settings.policy),
    );
    const ops = await this.completeUpdates(job, plan.ops, currents);
    // Photos that must go (the source has none any more, or photos were turned off): removed
    // through the port where it can, else the item is re-created without its photo.
    const removals = this.photos ? this.photos.removals(ops) : new Set<OpOf<K>>();
    const recreate = session.photos?.remove ? new Set<OpOf<K>>() : removals;

    if (payload.mode === 'dry_run') {
      // Logged once, by the recorder: a second entry in the same millisecond made the mailbox's
      // "last" message (and code) of the preview a coin toss.
      return {
        outcome: 'succeeded',
        counts: countOps(ops),
        code: 'DRY_RUN_PLAN',
        preview: await previewOfOps(
          this.kind,
          session,
          ops,
          recreate,
          await this.lastApplied(job, ops),
        ),
      };
    }

    // Items an earlier attempt created without recording them are counted by the run that adopts them.
    const counts: MailboxCounts = { created: read.adopted, updated: 0, deleted: 0 };
    const failures: ItemWriteResult<K['patch']>[] = [];
    const photoOps =
      settings.photos && this.photos && session.photos
        ? this.photos.select(ops, map)
        : new Set<OpOf<K>>();
    // A re-created item: the create replaces the update; the old item goes once it exists.
    const replaced = new Map<string, string>();
    const writes = ops.map((op) => {
      if (op.kind !== 'update' || !recreate.has(op))
        return toItemWrite(this.kind, op, photoOps.has(op));
      replaced.set(op.sourceKey, op.itemId);
      return this.recreateWrite(op, settings.policy);
    });
    const created: ItemWriteResult<K['patch']>[] = [];
    const swapped: ItemWrite<K['patch']>[] = [];
    try {
      // A cancelled run writes nothing more: checked before the first batch and after each
      // one, once its results are in the map (so nothing written goes unrecorded).
      if (writes.length > 0 && (await job.cancelled()))
        throw new RunCancelledError(payload.runId, counts);
      // An existing item gets its new photo (or loses it) before the write that tags it as up to date.
      for (const op of photoOps)
        if (op.kind === 'update') await this.photos!.upload(job, op.itemId, op);
      for (const op of removals)
        if (op.kind === 'update' && !recreate.has(op)) await session.photos!.remove!(op.itemId);
      await session.write(containerId, payload.listId, writes, async (results) => {
        for (const r of results) {
          applyWriteResult(map, r, counts, failures, this.kind.mapHashOf);
          if (r.outcome === 'done' && r.write.kind === 'create') {
            const old = replaced.get(r.write.sourceKey);
            if (old) swapped.push({ kind: 'delete', itemId: old, sourceKey: r.write.sourceKey });
            if (r.write.contentHash === PHOTO_PENDING) created.push(r);
          }
        }
        if (await job.cancelled()) throw new RunCancelledError(payload.runId, counts);
      });
      if (created.length > 0) await this.finishPhotos(job, containerId, ops, created, map);
      // Created first, so the mailbox never holds neither; a crash before this delete leaves two
      // items of one key, and the next run's diff keeps one of them.
      if (swapped.length > 0)
        await session.write(containerId, payload.listId, swapped, async (results) => {
          for (const r of results) {
            applyWriteResult(map, r, counts, failures, this.kind.mapHashOf);
            if (r.outcome === 'failed') continue;
            // To the admin a swap is one update, as the preview said.
            counts.created--;
            counts.updated++;
            if (r.outcome === 'done') counts.deleted--;
          }
        });
    } catch (error) {
      // Keep what was done (the map) and the token from before our writes: the next attempt
      // replays our own changes, recognises them, and goes on where this one stopped.
      await this.saveProgress(job, map, read.tokenBeforeWrites, containerId, null, counts);
      throw error;
    }

    let token = read.tokenBeforeWrites;
    if (writes.length > 0) token = await this.changes.advance(job, containerId, token, map);
    // Only a sync that left nothing to do may let the next one skip the map.
    const complete =
      failures.length === 0 && !map.live().some((e) => e.contentHash === PHOTO_PENDING);
    await this.saveProgress(job, map, token, containerId, complete ? fingerprint : null, counts);

    if (failures.length > 0) {
      const first = failures[0].error!;
      return {
        outcome: 'failed',
        counts,
        code: 'WRITE_FAILED',
        message: `${failures.length} writes failed; first: ${first.status} ${first.message}`,
      };
    }
    return { outcome: 'succeeded', counts };
  }

  /**
   * A new item is created tagged "photo pending" (a crash here is repaired next run), then
   * gets its photo, then its real content hash.
   */
  private async finishPhotos(
    job: MailboxJob<K>,
    containerId: string,
    ops: readonly OpOf<K>[],
    created: readonly ItemWriteResult<K['patch']>[],
    map: WorkingMap,
  ): Promise<void> {
    const finish = [];
    for (const r of created) {
      const op = ops.find(
        (o) => o.kind === 'create' && o.sourceKey === r.write.sourceKey,
      ) as Extract<OpOf<K>, { kind: 'create' }>;
      if ((await this.photos!.upload(job, r.itemId!, op)) === 'gone') continue;
      finish.push({
        kind: 'update' as const,
        itemId: r.itemId!,
        sourceKey: op.sourceKey,
        contentHash: op.contentHash,
        fieldHashes: this.kind.fieldHashesOf(op.plan),
        patch: {} as K['patch'],
      });
    }
    await job.session.write(containerId, job.payload.listId, finish, async (results) => {
      for (const r of results)
        if (r.outcome === 'done' && r.write.kind === 'update')
          map.set({
            ...map.get(r.write.itemId)!,
            contentHash: r.write.contentHash,
            changeKey: r.changeKey,
          });
    });
  }

  /** The list's last real snapshot by source key, read only when a preview has updates. */
  private async lastApplied(
    job: MailboxJob<K>,
    ops: readonly OpOf<K>[],
  ): Promise<((sourceKey: string) => K['value'] | undefined) | undefined> {
    if (!ops.some((op) => op.kind === 'update')) return undefined;
    const snapshot = await this.logStore
      .getSnapshot(job.payload.tenantId, job.payload.listId)
      .catch(() => undefined);
    if (!snapshot) return undefined;
    const byKey = new Map(snapshot.items.map((i) => [i.sourceKey, i.content as K['value']]));
    return (sourceKey) => byKey.get(sourceKey);
  }

  /** The create that replaces an item which must lose its photo: the whole item, as new. */
  private recreateWrite(
    op: Extract<OpOf<K>, { kind: 'update' }>,
    policy: K['policy'],
  ): ItemWrite<K['patch']> {
    const plan = this.kind
      .diff(policy)
      .planCreate({ sourceKey: op.sourceKey, value: op.desired, contentHash: op.contentHash });
    return {
      kind: 'create',
      sourceKey: op.sourceKey,
      contentHash: op.contentHash,
      fieldHashes: this.kind.fieldHashesOf(plan),
      patch: this.kind.patchOf(plan),
    };
  }

  /** Updates whose policy needs the item's current values (WRITE, notes, kept edits) are finished here. */
  private async completeUpdates(
    job: MailboxJob<K>,
    ops: readonly OpOf<K>[],
    currents: Map<string, K['current']>,
  ): Promise<OpOf<K>[]> {
    const missing = ops
      .filter(
        (op) => op.kind === 'update' && this.kind.needsCurrent(op.plan) && !currents.has(op.itemId),
      )
      .map((op) => (op as { itemId: string }).itemId);
    if (missing.length > 0) {
      const items = await job.session.readItems(missing, { withValues: true });
      for (const [id, item] of items) if (item) currents.set(id, this.kind.currentOf(item));
    }
    return ops.map((op) => {
      if (op.kind !== 'update' || !this.kind.needsCurrent(op.plan)) return op;
      const current = currents.get(op.itemId);
      return current
        ? { ...op, plan: this.kind.replan(op.desired, current, job.settings!.policy) }
        : op;
    });
  }

  private async loadMap(job: MailboxJob<K>): Promise<WorkingMap> {
    const entries: MapEntry[] = [];
    try {
      for await (const page of this.logStore.readMap(
        job.payload.tenantId,
        job.payload.listId,
        job.payload.mailboxId,
      ))
        entries.push(...page);
    } catch (error) {
      if (!(error instanceof LogStoreError)) throw error;
      return new WorkingMap(); // a map that vanished mid-read is rebuilt from the mailbox
    }
    return new WorkingMap(entries);
  }

  private async saveProgress(
    job: MailboxJob<K>,
    map: WorkingMap,
    token: string,
    containerId: string,
    fingerprint: string | null,
    counts: MailboxCounts,
  ): Promise<void> {
    const { payload } = job;
    await this.logStore.writeMap(
      payload.tenantId,
      payload.listId,
      payload.mailboxId,
      map.entries(),
    );
    // The counts of what the map now holds are saved with the state, so an attempt that ends
    // here (throttled, retried, killed) does not take them along: a later attempt finds these
    // items in the map and would not count them again (ADR 0057).
    await this.recorder.saveProgress(
      job,
      {
        deltaLink: token,
        folderId: containerId,
        itemCount: map.live().length,
        appliedFingerprint: fingerprint,
      },
      counts,
    );
  }
}

function countOps(ops: readonly { kind: 'create' | 'update' | 'delete' }[]): MailboxCounts {
  return {
    created: ops.filter((o) => o.kind === 'create').length,
    updated: ops.filter((o) => o.kind === 'update').length,
    deleted: ops.filter((o) => o.kind === 'delete').length,
  };
}
