import {
  computeContactPatch,
  contactDiffStrategy,
  decodeFieldHashes,
  encodeFieldHashes,
  planDiff,
  type Contact,
  type ContactPatchResult,
  type DesiredItem,
  type DiffOp,
  type MailboxContactState,
  type MailboxItem,
} from '@app/domain';
import { LogStoreError, type LogStore, type MapEntry } from '@app/logstore';
import {
  MailboxGate,
  MailboxPaceHints,
  MicrosoftError,
  toGraphContact,
  type ContactWrite,
  type GraphContactsMailbox,
  type TaggedItem,
  type TenantRef,
  type WriteResult,
} from '@app/microsoft';
import { ContactListEntity, MailboxStateEntity, TenantEntity } from '@app/persistence';
import type { SyncMailboxPayload } from '@app/queue';
import { In, type DataSource } from 'typeorm';
import type { MailboxLease } from '../coordination/mailbox-lease';
import type { ProfilePhotos } from '../sources/profile-photos';
import type { RunLedger } from '../runs/run-ledger';
import { snapshotKey } from '../runs/snapshot-key';
import {
  parseContactListSettings,
  type ContactListSettings,
} from '../settings/contact-list-settings';
import { appliedFingerprint } from './applied-fingerprint';
import type { MailboxResult } from './mailbox-result';
import { RescheduleError } from './reschedule.error';
import { RunRowsCache, type RunRows } from './run-rows-cache';
import type { SnapshotCache } from './snapshot-cache';
import { WorkingMap } from './working-map';

type ContactOp = DiffOp<Contact, ContactPatchResult>;
type FolderDelta = Awaited<ReturnType<GraphContactsMailbox['readDelta']>>;

interface Context {
  payload: SyncMailboxPayload;
  tenant: TenantRef;
  state: MailboxStateEntity;
  list: ContactListEntity | null;
  settings: ContactListSettings | undefined;
  gate: MailboxGate;
  /** state changes saved with the outcome (one UPDATE instead of two) */
  unsaved: Partial<MailboxStateEntity>;
}

const NO_COUNTS = { created: 0, updated: 0, deleted: 0 };
/** Mailbox failures a retry cannot fix: recorded at once, never retried in a loop. */
const FINAL_CODES = new Set([
  'CONSENT_REVOKED',
  'PERMISSION_MISSING',
  'MAILBOX_NOT_FOUND',
  'MAILBOX_ON_PREMISES',
  'NOT_CONFIGURED',
]);

/**
 * sync-mailbox: bring one mailbox in line with its list's snapshot. Holds the fleet-wide lock
 * of the mailbox and one of the tenant's slots; reads what changed cheaply (map cache + folder
 * delta), diffs, writes through $batch with one batch in flight, and records the outcome once.
 */
export class SyncMailboxUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly ledger: RunLedger,
    private readonly mailbox: GraphContactsMailbox,
    private readonly logStore: LogStore,
    private readonly snapshots: SnapshotCache,
    private readonly lease: MailboxLease,
    private readonly photos: ProfilePhotos,
    private readonly options: { tenantMailboxLimit: number; lockRenewMs?: number },
    /** Mailbox paces learned by this process's jobs, per tenant (see MailboxGate). */
    private readonly paceHints = new MailboxPaceHints(),
    private readonly runRows = new RunRowsCache(),
  ) {}

  async execute(payload: SyncMailboxPayload, holder: string): Promise<MailboxResult | undefined> {
    const [{ tenant: tenantRow, list, settings }, state] = await Promise.all([
      this.runRows.get(`${payload.tenantId}/${payload.listId}/${payload.runId}`, () =>
        this.readRunRows(payload),
      ),
      this.dataSource.getRepository(MailboxStateEntity).findOne({
        where: { tenantId: payload.tenantId, listId: payload.listId, mailboxId: payload.mailboxId },
      }),
    ]);
    // Checked before any write: the mailbox must belong to this tenant and list.
    if (!tenantRow || !state) return undefined;
    if (state.lastRunId === payload.runId) return undefined; // this run already counted it
    if (tenantRow.status !== 'active') {
      const code =
        tenantRow.status === 'consent_revoked' || tenantRow.status === 'orphaned'
          ? 'CONSENT_REVOKED'
          : 'TENANT_INACTIVE';
      return this.finish(payload, state, {
        outcome: 'failed',
        counts: NO_COUNTS,
        code,
        message: `the tenant is ${tenantRow.status}`,
      });
    }
    const ctx: Context = {
      payload,
      tenant: { id: tenantRow.id, azureTenantId: tenantRow.azureTenantId },
      state,
      list,
      settings,
      gate: new MailboxGate({ pace: this.paceHints.forTenant(tenantRow.id) }),
      unsaved: {},
    };

    const lease = await this.lease.acquire(
      payload.tenantId,
      payload.mailboxId,
      holder,
      this.options.tenantMailboxLimit,
    );
    if (lease === 'tenant_full') {
      throw new RescheduleError(
        1_000 + Math.floor(Math.random() * 2_000),
        'the tenant has its maximum of mailboxes in progress',
      );
    }
    if (lease === 'mailbox_busy') {
      throw new RescheduleError(
        2_000 + Math.floor(Math.random() * 2_000),
        'another job is writing to this mailbox',
      );
    }
    const renew = setInterval(() => {
      void this.lease.renew(payload.tenantId, payload.mailboxId, holder).catch(() => undefined);
    }, this.options.lockRenewMs ?? 10_000);
    try {
      const result = await this.run(ctx);
      return await this.finish(
        payload,
        state,
        { ...result, requests: ctx.gate.retries },
        ctx.unsaved,
      );
    } catch (error) {
      if (error instanceof MicrosoftError && error.code === 'THROTTLED') {
        throw new RescheduleError(
          Math.max(1_000, error.details.retryAfterMs ?? 5_000),
          error.message,
        );
      }
      if (error instanceof MicrosoftError && FINAL_CODES.has(error.code)) {
        if (error.code === 'CONSENT_REVOKED') await this.markConsentRevoked(payload.tenantId);
        const outcome = error.code === 'MAILBOX_ON_PREMISES' ? 'skipped' : 'failed';
        return await this.finish(payload, state, {
          outcome,
          counts: NO_COUNTS,
          code: error.code,
          message: error.message,
        });
      }
      throw error;
    } finally {
      clearInterval(renew);
      // Given back before the job completes: a slot released late would turn the next job away.
      await this.lease.release(payload.tenantId, payload.mailboxId, holder).catch(() => undefined);
    }
  }

  private async readRunRows(payload: SyncMailboxPayload): Promise<RunRows> {
    const [tenant, list] = await Promise.all([
      this.dataSource.getRepository(TenantEntity).findOne({ where: { id: payload.tenantId } }),
      this.dataSource
        .getRepository(ContactListEntity)
        .findOne({ where: { id: payload.listId, tenantId: payload.tenantId } }),
    ]);
    return {
      tenant,
      list,
      settings: list ? parseContactListSettings(JSON.parse(list.settings)) : undefined,
    };
  }

  /** The job's last attempt failed: count the mailbox as failed with the reason. */
  async recordFailure(
    payload: SyncMailboxPayload,
    error: Error & { code?: string },
  ): Promise<void> {
    const state = await this.dataSource.getRepository(MailboxStateEntity).findOne({
      where: { tenantId: payload.tenantId, listId: payload.listId, mailboxId: payload.mailboxId },
    });
    if (!state) return;
    await this.finish(payload, state, {
      outcome: 'failed',
      counts: NO_COUNTS,
      code: error.code ?? 'SYNC_FAILED',
      message: error.message,
    });
  }

  private async run(ctx: Context): Promise<MailboxResult> {
    const { payload, state } = ctx;
    await this.knowMailboxKind(ctx);
    if (payload.mode === 'cleanup' || !ctx.list || !ctx.settings) return this.cleanup(ctx);
    if (state.mailboxKind === 'shared' && !ctx.settings.includeSharedMailboxes) {
      return {
        outcome: 'skipped',
        counts: NO_COUNTS,
        code: 'SHARED_MAILBOX_EXCLUDED',
        message: 'shared mailbox; the list does not include shared mailboxes',
      };
    }
    if (state.mailboxKind === 'room' || state.mailboxKind === 'equipment') {
      return {
        outcome: 'skipped',
        counts: NO_COUNTS,
        code: 'RESOURCE_MAILBOX',
        message: `${state.mailboxKind} mailbox`,
      };
    }
    const desired = await this.snapshots.get(
      payload.tenantId,
      snapshotKey(payload.listId, payload.runId, payload.mode),
      payload.runId,
    );
    if (!desired)
      return {
        outcome: 'skipped',
        counts: NO_COUNTS,
        code: 'RUN_SUPERSEDED',
        message: 'a newer run of the list replaced this one',
      };

    const folderId = await this.folder(ctx);
    if (!folderId) {
      const count = desired.length;
      // One entry per mailbox (written by finish), so the outcome's last message is the plan.
      return {
        outcome: 'succeeded',
        counts: { created: count, updated: 0, deleted: 0 },
        code: 'DRY_RUN_PLAN',
        message: `would create the folder; would change: ${count} created, 0 updated, 0 deleted`,
      };
    }
    const fingerprint =
      payload.mode === 'sync' ? appliedFingerprint(desired, ctx.list.settings, folderId) : null;
    let delta: FolderDelta | undefined;
    if (fingerprint && state.deltaLink && state.appliedFingerprint === fingerprint) {
      // The last complete sync applied this very snapshot: with the folder unchanged since,
      // the plan is empty, and the map need not be read (a 10,000-mailbox no-op is mostly this).
      delta = await this.mailbox.readDelta(
        ctx.tenant,
        payload.mailboxId,
        folderId,
        state.deltaLink,
        ctx.gate,
      );
      if (
        delta !== 'expired' &&
        delta.changes.length === 0 &&
        (await this.logStore.touchMap(payload.tenantId, payload.listId, payload.mailboxId))
      ) {
        if (delta.deltaLink !== state.deltaLink) ctx.unsaved.deltaLink = delta.deltaLink;
        return { outcome: 'succeeded', counts: NO_COUNTS };
      }
    }
    const map = await this.loadMap(ctx);
    const currents = new Map<string, MailboxContactState>();
    const read = await this.readChanges(ctx, folderId, map, currents, delta);

    const policy = ctx.settings.policy;
    const plan = planDiff(
      {
        listId: payload.listId,
        desired,
        actual: map.live().map((e): MailboxItem<MailboxContactState> => ({
          itemId: e.itemId,
          listId: payload.listId,
          sourceKey: e.sourceKey,
          contentHash: e.contentHash,
          // Unread items: the notes hash we wrote is enough to know our notes section is unchanged.
          current:
            currents.get(e.itemId) ??
            (e.notesHash ? { fieldHashes: { personalNotes: e.notesHash } } : undefined),
        })),
        deletedByUser: map.deletedByUser(),
        recreateDeleted: ctx.settings.recreateDeleted,
        neverDelete: ctx.settings.neverDelete,
      },
      contactDiffStrategy(policy),
    );
    const ops = await this.completeUpdates(ctx, plan.ops, currents);

    if (payload.mode === 'dry_run') {
      // Logged once, by finish: a second entry in the same millisecond made the mailbox's
      // "last" message (and code) of the preview a coin toss.
      return { outcome: 'succeeded', counts: countOps(ops), code: 'DRY_RUN_PLAN' };
    }

    const counts = { created: 0, updated: 0, deleted: 0 };
    const failures: WriteResult[] = [];
    const photos = ctx.settings.photos ? this.photoWork(ops, map) : new Set<ContactOp>();
    const writes = ops.map((op) => toWrite(op, photos.has(op)));
    const created: WriteResult[] = [];
    const onBatch = async (results: WriteResult[]) => {
      for (const r of results) {
        applyResult(map, r, counts, failures);
        if (
          r.outcome === 'done' &&
          r.write.kind === 'create' &&
          r.write.contentHash === PHOTO_PENDING
        )
          created.push(r);
      }
    };
    try {
      // An existing item gets its new photo before the write that tags it as up to date.
      for (const op of photos)
        if (op.kind === 'update') await this.uploadPhoto(ctx, op.itemId, op.sourceKey);
      await this.mailbox.write(
        ctx.tenant,
        payload.mailboxId,
        folderId,
        payload.listId,
        writes,
        ctx.gate,
        onBatch,
      );
      // A new item is created tagged "photo pending" (a crash here is repaired next run), then
      // gets its photo, then its real content hash.
      const finish: ContactWrite[] = [];
      for (const r of created) {
        const op = ops.find(
          (o) => o.kind === 'create' && o.sourceKey === r.write.sourceKey,
        ) as Extract<ContactOp, { kind: 'create' }>;
        if ((await this.uploadPhoto(ctx, r.itemId!, op.sourceKey)) === 'gone') continue;
        finish.push({
          kind: 'update',
          itemId: r.itemId!,
          sourceKey: op.sourceKey,
          contentHash: op.contentHash,
          fieldHashes: encodeFieldHashes(op.plan.fieldHashes),
          body: {},
        });
      }
      await this.mailbox.write(
        ctx.tenant,
        payload.mailboxId,
        folderId,
        payload.listId,
        finish,
        ctx.gate,
        async (results) => {
          for (const r of results)
            if (r.outcome === 'done' && r.write.kind === 'update')
              map.set({
                ...map.get(r.write.itemId)!,
                contentHash: r.write.contentHash,
                changeKey: r.changeKey,
              });
        },
      );
    } catch (error) {
      // Keep what was done (the map) and the delta link from before our writes: the next
      // attempt replays our own changes, recognises them, and goes on where this one stopped.
      await this.saveProgress(ctx, map, read.linkBeforeWrites, folderId, null);
      throw error;
    }

    let deltaLink = read.linkBeforeWrites;
    if (writes.length > 0)
      deltaLink = await this.advanceDelta(ctx, folderId, read.linkBeforeWrites, map);
    // Only a sync that left nothing to do may let the next one skip the map.
    const complete =
      failures.length === 0 && !map.live().some((e) => e.contentHash === PHOTO_PENDING);
    await this.saveProgress(ctx, map, deltaLink, folderId, complete ? fingerprint : null);

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
   * What kind of mailbox this is, asked once: a mailbox Graph cannot reach is asked again only
   * after a day (it may have moved to the cloud), so it does not cost a request every run.
   */
  private async knowMailboxKind(ctx: Context): Promise<void> {
    const { state } = ctx;
    const unreachable = state.mailboxKind === 'on_premises' || state.mailboxKind === 'none';
    if (
      unreachable &&
      state.mailboxKindCheckedAt &&
      Date.now() - state.mailboxKindCheckedAt.getTime() < 24 * 3600_000
    ) {
      const code = state.mailboxKind === 'none' ? 'MAILBOX_NOT_FOUND' : 'MAILBOX_ON_PREMISES';
      throw new MicrosoftError(
        code,
        state.lastErrorMessage ?? `mailbox ${ctx.payload.mailboxId} is not reachable through Graph`,
      );
    }
    if (state.mailboxKind && !unreachable) return;
    try {
      state.mailboxKind = await this.mailbox.probe(ctx.tenant, ctx.payload.mailboxId, ctx.gate);
    } catch (error) {
      if (
        error instanceof MicrosoftError &&
        (error.code === 'MAILBOX_ON_PREMISES' || error.code === 'MAILBOX_NOT_FOUND')
      ) {
        await this.saveState(state, {
          mailboxKind: error.code === 'MAILBOX_ON_PREMISES' ? 'on_premises' : 'none',
          mailboxKindCheckedAt: new Date(),
          lastErrorMessage: error.message,
        });
      }
      throw error;
    }
    await this.saveState(state, {
      mailboxKind: state.mailboxKind,
      mailboxKindCheckedAt: new Date(),
    });
  }

  /** Our folder's id; undefined only for a preview whose dedicated folder does not exist yet. */
  private async folder(ctx: Context): Promise<string | undefined> {
    if (ctx.state.folderId) return ctx.state.folderId;
    const settings = ctx.settings!;
    const folderId =
      settings.folder.mode === 'dedicated'
        ? await this.mailbox.ensureFolder(
            ctx.tenant,
            ctx.payload.mailboxId,
            settings.folder.name!,
            ctx.gate,
            { create: ctx.payload.mode !== 'dry_run' },
          )
        : await this.mailbox.defaultFolderId(ctx.tenant, ctx.payload.mailboxId, ctx.gate);
    if (!folderId) return undefined;
    ctx.state.folderId = folderId;
    await this.saveState(ctx.state, { folderId });
    return folderId;
  }

  private async loadMap(ctx: Context): Promise<WorkingMap> {
    const entries: MapEntry[] = [];
    try {
      for await (const page of this.logStore.readMap(
        ctx.payload.tenantId,
        ctx.payload.listId,
        ctx.payload.mailboxId,
      ))
        entries.push(...page);
    } catch (error) {
      if (!(error instanceof LogStoreError)) throw error;
      return new WorkingMap(); // a map that vanished mid-read is rebuilt from the mailbox
    }
    return new WorkingMap(entries);
  }

  /**
   * Brings `map` up to date with the mailbox: from the delta since the last sync when we have
   * both a map and a link, or by listing our tagged items when either is gone.
   */
  private async readChanges(
    ctx: Context,
    folderId: string,
    map: WorkingMap,
    currents: Map<string, MailboxContactState>,
    /** The delta from `state.deltaLink`, when the caller has read it already. */
    known?: FolderDelta,
  ): Promise<{ linkBeforeWrites: string }> {
    const { tenant, payload, gate } = ctx;
    const link = ctx.state.deltaLink;
    if (link && map.size > 0) {
      const delta =
        known ?? (await this.mailbox.readDelta(tenant, payload.mailboxId, folderId, link, gate));
      if (delta !== 'expired') {
        const toRead: string[] = [];
        for (const change of delta.changes) {
          const entry = map.get(change.id);
          if (change.removed) {
            if (entry) map.markUserDeleted(change.id);
          } else if (
            !entry ||
            entry.userDeleted ||
            !entry.changeKey ||
            entry.changeKey !== change.changeKey
          ) {
            // Unknown id: a user's own contact, or ours whose create response was lost.
            // Known id with another change key: the user edited our contact.
            toRead.push(change.id);
          }
        }
        await this.absorb(ctx, toRead, map, currents);
        return { linkBeforeWrites: delta.deltaLink };
      }
    }
    // Rebuild: take the delta link first, so anything changing while we list is replayed next time.
    const fresh = await this.mailbox.readDelta(
      tenant,
      payload.mailboxId,
      folderId,
      undefined,
      gate,
    );
    if (fresh === 'expired')
      throw new MicrosoftError('GRAPH_ERROR', 'a new delta query cannot be expired');
    const deleted = map.entries().filter((e) => e.userDeleted);
    const rebuilt = new WorkingMap(deleted);
    for await (const page of this.mailbox.listTagged(
      tenant,
      payload.mailboxId,
      folderId,
      payload.listId,
      gate,
    )) {
      for (const item of page) this.remember(rebuilt, item, payload.listId);
    }
    for (const entry of rebuilt.live()) rebuilt.forgetDeletion(entry.sourceKey);
    replaceMap(map, rebuilt);
    return { linkBeforeWrites: fresh.deltaLink };
  }

  /** Reads the given items and records those that are ours; user-owned items are left alone. */
  private async absorb(
    ctx: Context,
    ids: string[],
    map: WorkingMap,
    currents: Map<string, MailboxContactState>,
  ): Promise<void> {
    if (ids.length === 0) return;
    const items = await this.mailbox.readItems(ctx.tenant, ctx.payload.mailboxId, ids, ctx.gate, {
      withValues: true,
    });
    for (const [id, item] of items) {
      if (item === null) {
        if (map.get(id)) map.markUserDeleted(id);
        continue;
      }
      if (!this.remember(map, item, ctx.payload.listId)) continue;
      currents.set(id, { values: item.values, fieldHashes: decodeFieldHashes(item.fieldHashes) });
    }
  }

  private remember(map: WorkingMap, item: TaggedItem, listId: string): boolean {
    if (item.listId !== listId || !item.sourceKey) return false;
    map.set({
      itemId: item.itemId,
      sourceKey: item.sourceKey,
      contentHash: item.contentHash ?? '',
      changeKey: item.changeKey,
      notesHash: notesHashOf(item.fieldHashes),
    });
    map.forgetDeletion(item.sourceKey);
    return true;
  }

  /** Creates and updates that carry a new photo, and items a crash left "photo pending". */
  private photoWork(ops: readonly ContactOp[], map: WorkingMap): Set<ContactOp> {
    const pending = new Set(
      map
        .live()
        .filter((e) => e.contentHash === PHOTO_PENDING)
        .map((e) => e.itemId),
    );
    return new Set(
      ops.filter(
        (op) =>
          op.kind !== 'delete' &&
          op.sourceKey.startsWith('user:') &&
          ((typeof op.plan.patch.photoHash === 'string' && op.plan.patch.photoHash !== '') ||
            (op.kind === 'update' && pending.has(op.itemId) && !!op.desired.photoHash)),
      ),
    );
  }

  private async uploadPhoto(
    ctx: Context,
    itemId: string,
    sourceKey: string,
  ): Promise<'done' | 'gone'> {
    const bytes = await this.photos.bytes(ctx.tenant, sourceKey.slice('user:'.length));
    if (!bytes) return 'done'; // the photo went away since the plan: nothing to upload
    return this.mailbox.putPhoto(ctx.tenant, ctx.payload.mailboxId, itemId, bytes, ctx.gate);
  }

  /** Updates whose policy needs the item's current values (WRITE, notes, kept edits) are finished here. */
  private async completeUpdates(
    ctx: Context,
    ops: readonly ContactOp[],
    currents: Map<string, MailboxContactState>,
  ): Promise<ContactOp[]> {
    const missing = ops
      .filter(
        (op) => op.kind === 'update' && op.plan.needsCurrentValues && !currents.has(op.itemId),
      )
      .map((op) => (op as { itemId: string }).itemId);
    if (missing.length > 0) {
      const items = await this.mailbox.readItems(
        ctx.tenant,
        ctx.payload.mailboxId,
        missing,
        ctx.gate,
        { withValues: true },
      );
      for (const [id, item] of items)
        if (item)
          currents.set(id, {
            values: item.values,
            fieldHashes: decodeFieldHashes(item.fieldHashes),
          });
    }
    return ops.map((op) => {
      if (op.kind !== 'update' || !op.plan.needsCurrentValues) return op;
      const current = currents.get(op.itemId);
      return current
        ? { ...op, plan: computeContactPatch(op.desired, current, ctx.settings!.policy) }
        : op;
    });
  }

  /**
   * After our writes the folder's delta link is moved past them, so the next sync with nothing
   * to do costs one request. If someone else changed the folder meanwhile, we keep the earlier
   * link: the next sync then sees their change (and replays ours, harmlessly).
   */
  private async advanceDelta(
    ctx: Context,
    folderId: string,
    link: string,
    map: WorkingMap,
  ): Promise<string> {
    const delta = await this.mailbox.readDelta(
      ctx.tenant,
      ctx.payload.mailboxId,
      folderId,
      link,
      ctx.gate,
    );
    if (delta === 'expired') return link;
    const foreign = delta.changes.some((change) => {
      const entry = map.get(change.id);
      if (change.removed) return entry !== undefined && !entry.userDeleted;
      return !entry || entry.changeKey !== change.changeKey;
    });
    return foreign ? link : delta.deltaLink;
  }

  private async cleanup(ctx: Context): Promise<MailboxResult> {
    const { payload, state, tenant, gate } = ctx;
    const counts = { created: 0, updated: 0, deleted: 0 };
    if (state.folderId) {
      const writes: ContactWrite[] = [];
      for await (const page of this.mailbox.listTagged(
        tenant,
        payload.mailboxId,
        state.folderId,
        payload.listId,
        gate,
      )) {
        for (const item of page)
          if (item.listId === payload.listId)
            writes.push({ kind: 'delete', itemId: item.itemId, sourceKey: item.sourceKey ?? '' });
      }
      const failures: WriteResult[] = [];
      await this.mailbox.write(
        tenant,
        payload.mailboxId,
        state.folderId,
        payload.listId,
        writes,
        gate,
        async (results) => {
          for (const r of results) {
            if (r.outcome === 'failed') failures.push(r);
            else counts.deleted += r.outcome === 'done' ? 1 : 0;
          }
        },
      );
      if (failures.length > 0) {
        return {
          outcome: 'failed',
          counts,
          code: 'CLEANUP_FAILED',
          message: `${failures.length} deletes failed: ${failures[0].error?.message}`,
        };
      }
    }
    await this.logStore.deleteMap(payload.tenantId, payload.listId, payload.mailboxId);
    return { outcome: 'succeeded', counts, code: 'CLEANED_UP' };
  }

  private async saveProgress(
    ctx: Context,
    map: WorkingMap,
    deltaLink: string,
    folderId: string,
    appliedFingerprint: string | null,
  ): Promise<void> {
    const { payload } = ctx;
    await this.logStore.writeMap(
      payload.tenantId,
      payload.listId,
      payload.mailboxId,
      map.entries(),
    );
    await this.saveState(ctx.state, {
      deltaLink,
      folderId,
      itemCount: map.live().length,
      appliedFingerprint,
    });
  }

  private async finish(
    payload: SyncMailboxPayload,
    state: MailboxStateEntity,
    result: MailboxResult,
    unsaved: Partial<MailboxStateEntity> = {},
  ): Promise<MailboxResult> {
    const status =
      result.outcome === 'failed'
        ? 'failed'
        : result.code === 'MAILBOX_ON_PREMISES'
          ? 'needs_on_premises'
          : result.outcome === 'skipped'
            ? 'skipped'
            : 'in_sync';
    const changes: Partial<MailboxStateEntity> | undefined =
      payload.mode === 'dry_run'
        ? undefined
        : {
            ...unsaved,
            status,
            lastSyncedAt: result.outcome === 'succeeded' ? new Date() : state.lastSyncedAt,
            lastErrorCode: result.outcome === 'succeeded' ? null : (result.code ?? null),
            lastErrorMessage: result.outcome === 'succeeded' ? null : (result.message ?? null),
            updatedAt: new Date(),
          };
    // The mailbox's state is saved with the claim that counts it in the run, in one UPDATE
    // (a no-op sync is mostly these statements); a mailbox counted already is saved alone.
    const { counted } = await this.ledger.recordMailbox(
      {
        runId: payload.runId,
        tenantId: payload.tenantId,
        listId: payload.listId,
        mailboxId: payload.mailboxId,
        outcome: result.outcome,
        counts: result.counts,
      },
      changes,
    );
    if (changes) {
      if (counted) Object.assign(state, changes);
      else await this.saveState(state, changes);
      if (payload.mode === 'cleanup' && result.outcome === 'succeeded') {
        await this.dataSource.getRepository(MailboxStateEntity).delete({ id: state.id });
      }
    }
    const level =
      result.outcome === 'failed' ? 'error' : result.outcome === 'skipped' ? 'warn' : 'info';
    await this.logStore.appendLogs(payload.tenantId, [
      {
        runId: payload.runId,
        mailboxId: payload.mailboxId,
        level,
        code: result.code ?? (result.outcome === 'succeeded' ? 'MAILBOX_SYNCED' : undefined),
        message:
          result.message ??
          `${payload.mode === 'dry_run' ? 'would change' : 'changed'}: ${result.counts.created} created, ${result.counts.updated} updated, ${result.counts.deleted} deleted`,
      },
    ]);
    return result;
  }

  private async saveState(
    state: MailboxStateEntity,
    changes: Partial<MailboxStateEntity>,
  ): Promise<void> {
    Object.assign(state, changes);
    await this.dataSource
      .getRepository(MailboxStateEntity)
      .update({ id: state.id }, { ...changes, updatedAt: new Date() });
  }

  private async markConsentRevoked(tenantId: string): Promise<void> {
    await this.dataSource
      .getRepository(TenantEntity)
      .update({ id: tenantId, status: In(['active', 'pending']) }, { status: 'consent_revoked' });
  }
}

/** The content hash of an item created without its photo yet: it never matches, so it is repaired. */
const PHOTO_PENDING = 'photo-pending';

function toWrite(op: ContactOp, photoPending = false): ContactWrite {
  switch (op.kind) {
    case 'create':
      return {
        kind: 'create',
        sourceKey: op.sourceKey,
        contentHash: photoPending ? PHOTO_PENDING : op.contentHash,
        fieldHashes: encodeFieldHashes(op.plan.fieldHashes),
        body: toGraphContact(op.plan.patch),
      };
    case 'update':
      return {
        kind: 'update',
        itemId: op.itemId,
        sourceKey: op.sourceKey,
        contentHash: op.contentHash,
        fieldHashes: encodeFieldHashes(op.plan.fieldHashes),
        body: toGraphContact(op.plan.patch),
      };
    case 'delete':
      return { kind: 'delete', itemId: op.itemId, sourceKey: op.sourceKey };
  }
}

function applyResult(
  map: WorkingMap,
  result: WriteResult,
  counts: { created: number; updated: number; deleted: number },
  failures: WriteResult[],
): void {
  const write = result.write;
  if (result.outcome === 'failed') {
    failures.push(result);
    return;
  }
  switch (write.kind) {
    case 'create':
      map.forgetDeletion(write.sourceKey);
      map.set({
        itemId: result.itemId!,
        sourceKey: write.sourceKey,
        contentHash: write.contentHash,
        changeKey: result.changeKey,
        notesHash: notesHashOf(write.fieldHashes),
      });
      counts.created++;
      return;
    case 'update':
      if (result.outcome === 'gone') {
        map.markUserDeleted(write.itemId);
        return;
      }
      map.set({
        itemId: write.itemId,
        sourceKey: write.sourceKey,
        contentHash: write.contentHash,
        changeKey: result.changeKey,
        notesHash: notesHashOf(write.fieldHashes),
      });
      counts.updated++;
      return;
    case 'delete':
      map.delete(write.itemId);
      if (result.outcome === 'done') counts.deleted++;
      return;
  }
}

/** The notes field's hash in an item's (or a write's) encoded field hashes, if known. */
function notesHashOf(fieldHashes: string | undefined): string | undefined {
  return decodeFieldHashes(fieldHashes)?.personalNotes;
}

function replaceMap(target: WorkingMap, source: WorkingMap): void {
  for (const entry of target.entries()) target.delete(entry.itemId);
  for (const entry of source.entries()) target.set(entry);
}

function countOps(ops: readonly ContactOp[]): {
  created: number;
  updated: number;
  deleted: number;
} {
  return {
    created: ops.filter((o) => o.kind === 'create').length,
    updated: ops.filter((o) => o.kind === 'update').length,
    deleted: ops.filter((o) => o.kind === 'delete').length,
  };
}

export type { DesiredItem };
