import {
  buildDesiredContacts,
  contactPolicyFingerprint,
  groupIdsInFilterRules,
  type SourceRecords,
} from '@app/domain';
import type { LogStore } from '@app/logstore';
import { MicrosoftError, type DirectoryReader, type TenantRef } from '@app/microsoft';
import type {
  ContactListEntity,
  ContactListRepository,
  MailboxStateRepository,
  TargetRepository,
  TenantRepository,
} from '@app/persistence';
import type { PlanRunPayload, SyncMailboxPayload } from '@app/queue';
import { parseContactListSettings } from '../settings/contact-list-settings';
import type { DirectoryCache } from '../sources/directory-cache';
import type { ProfilePhotos } from '../sources/profile-photos';
import type { ListSourceReader } from '../sources/read-list-sources';
import type { SyncQueues } from '@app/queue';
import type { Entitlements } from './entitlements';
import { principalName } from './principal-name';
import { resolveTargets } from './resolve-targets';
import type { RunLedger } from './run-ledger';
import { snapshotKey } from './snapshot-key';

/** Where plan-run puts a directory user's photo hash on the record, for the mapping to read. */
const PHOTO_HASH_ATTRIBUTE = '__photoHash';

/** The SQL plan-run reads and writes besides the run ledger. */
export interface PlanRunRepositories {
  tenants: TenantRepository;
  contactLists: ContactListRepository;
  targets: TargetRepository;
  mailboxStates: MailboxStateRepository;
}

export type PlanRunResult =
  | { outcome: 'planned'; runId: string; mailboxes: number; cleanups: number; contacts: number }
  | { outcome: 'merged'; runId: string }
  | { outcome: 'skipped'; reason: string }
  | { outcome: 'failed'; runId: string; code: string };

/**
 * plan-run: read the list's sources, build the desired contacts, snapshot them, resolve the
 * targets, and fan out one sync-mailbox job per mailbox — plus clean-up jobs for mailboxes that
 * are no longer targeted, so they lose exactly our items.
 */
export class PlanRunUseCase {
  constructor(
    private readonly repositories: PlanRunRepositories,
    private readonly ledger: RunLedger,
    private readonly directory: DirectoryCache,
    private readonly directoryReader: DirectoryReader,
    private readonly sources: ListSourceReader,
    private readonly logStore: LogStore,
    private readonly queues: SyncQueues,
    private readonly entitlements: Entitlements,
    private readonly photos: ProfilePhotos,
    private readonly options: { runDeadlineMinutes: number },
  ) {}

  /** `resumeRunId`: the run an earlier attempt of the same job, or the API, started. */
  async execute(
    payload: PlanRunPayload,
    resumeRunId?: string,
    onRunStarted?: (runId: string) => Promise<void>,
  ): Promise<PlanRunResult> {
    const skip = async (code: string, reason: string): Promise<PlanRunResult> => {
      // A run the API already created must not stay open: it ends with the reason.
      if (resumeRunId) await this.ledger.fail(resumeRunId, code, reason);
      return { outcome: 'skipped', reason };
    };
    const tenantRow = await this.repositories.tenants.findById(payload.tenantId);
    if (!tenantRow || tenantRow.status !== 'active')
      return skip('TENANT_INACTIVE', `tenant is ${tenantRow?.status ?? 'unknown'}`);
    const list = await this.repositories.contactLists.findInTenant(
      payload.tenantId,
      payload.listId,
    );
    // A deleted list is still cleaned up: its mailbox states outlive it (its tombstone).
    if (!list && payload.mode !== 'cleanup') return skip('LIST_NOT_FOUND', 'list not found');
    if (list && !list.enabled && payload.mode !== 'cleanup')
      return skip('LIST_DISABLED', 'list disabled');

    let runId = resumeRunId;
    if (!runId) {
      const started = await this.ledger.start({
        tenantId: payload.tenantId,
        listId: payload.listId,
        listKind: 'contacts',
        trigger: payload.trigger,
        mode: payload.mode,
        deadlineAt: new Date(Date.now() + this.options.runDeadlineMinutes * 60_000),
      });
      if (started.merged) return { outcome: 'merged', runId: started.run.id };
      runId = started.run.id;
      await onRunStarted?.(runId);
      await this.queues.scheduleDeadline(
        { tenantId: payload.tenantId, runId, reason: 'deadline' },
        started.run.deadlineAt!,
      );
    }

    if (resumeRunId) {
      // A run requested through the API (or an earlier attempt of this job): it may have ended
      // meanwhile (deadline), and it needs its deadline job (idempotent by run id).
      const run = await this.ledger.get(payload.tenantId, runId!);
      if (!run || run.finishedAt)
        return { outcome: 'skipped', reason: 'the run has already ended' };
      if (run.deadlineAt)
        await this.queues.scheduleDeadline(
          { tenantId: payload.tenantId, runId: run.id, reason: 'deadline' },
          run.deadlineAt,
        );
    }
    const tenant: TenantRef = { id: tenantRow.id, azureTenantId: tenantRow.azureTenantId };
    try {
      return await this.plan(payload, runId, tenant, list);
    } catch (error) {
      if (
        error instanceof MicrosoftError &&
        (error.code === 'CONSENT_REVOKED' || error.code === 'PERMISSION_MISSING')
      ) {
        if (error.code === 'CONSENT_REVOKED') await this.markConsentRevoked(tenant.id);
        await this.ledger.fail(runId, error.code, error.message);
        return { outcome: 'failed', runId, code: error.code };
      }
      throw error;
    }
  }

  /** Called when the job's last attempt failed: the run ends with the reason. */
  async failRun(runId: string, error: Error & { code?: string }): Promise<void> {
    await this.ledger.fail(runId, error.code ?? 'PLAN_FAILED', error.message);
  }

  private async plan(
    payload: PlanRunPayload,
    runId: string,
    tenant: TenantRef,
    list: ContactListEntity | null,
  ): Promise<PlanRunResult> {
    const listId = payload.listId;
    const members = new Map<string, Promise<ReadonlySet<string>>>();
    const groupMembers = (groupId: string) => {
      let found = members.get(groupId);
      if (!found) {
        found = this.directoryReader.groupMemberIds(tenant, groupId);
        members.set(groupId, found);
      }
      return found;
    };

    let mailboxIds: string[] = [];
    let frozen: string[] = [];
    let contacts = 0;
    if (payload.mode !== 'cleanup' && list) {
      const settings = parseContactListSettings(JSON.parse(list.settings));
      const targets = await this.repositories.targets.listForList(tenant.id, list.id);
      const { users, changedIds, fullRead } = await this.directory.users(tenant);
      let records = await this.sources.read({
        tenant,
        listId: list.id,
        settings,
        users,
        groupMembers,
      });
      if (settings.photos)
        records = await this.withPhotoHashes(tenant, records, fullRead ? 'all' : changedIds);
      const filterGroups = new Map<string, ReadonlySet<string>>();
      for (const source of settings.sources) {
        for (const id of groupIdsInFilterRules(source.filter))
          filterGroups.set(id, await groupMembers(id));
      }
      const desired = buildDesiredContacts({
        sources: records,
        defaultRegion: list.defaultRegion,
        groupMembers: filterGroups,
        listCategories:
          settings.folder.mode === 'default' ? [settings.folder.category ?? list.name] : [],
        // A policy change re-reconciles every item once.
        hashSalt: contactPolicyFingerprint(settings.policy),
      });
      contacts = desired.items.length;
      await this.logStore.putSnapshot(tenant.id, snapshotKey(list.id, runId, payload.mode), {
        runId,
        items: desired.items.map((item) => ({
          sourceKey: item.sourceKey,
          contentHash: item.contentHash,
          content: item.value,
        })),
      });
      mailboxIds = await resolveTargets(targets, users, groupMembers, {
        shared: settings.includeSharedMailboxes,
        resources: settings.includeResourceMailboxes,
      });
      // Beyond the tenant's seats, mailboxes are frozen: not synced, and not cleaned up either.
      ({ entitled: mailboxIds, frozen } = await this.entitlements.select({
        tenantId: tenant.id,
        runId,
        mailboxIds,
        nameOf: (id) => principalName(users.get(id)),
      }));
    }

    const known = await this.repositories.mailboxStates.knownMailboxes(tenant.id, listId);
    const targeted = new Set([...mailboxIds, ...frozen]);
    // Mailboxes no longer targeted lose our items; a preview plans those deletions too.
    const cleanups = known.map((s) => s.mailboxId).filter((id) => !targeted.has(id));
    const knownIds = new Set(known.map((s) => s.mailboxId));
    const fresh = mailboxIds.filter((id) => !knownIds.has(id));
    await this.repositories.mailboxStates.insertPending(tenant.id, listId, fresh);

    const jobs: SyncMailboxPayload[] = [
      ...mailboxIds.map((mailboxId) => ({
        tenantId: tenant.id,
        listId,
        runId,
        mailboxId,
        mode: payload.mode,
      })),
      ...cleanups.map((mailboxId): SyncMailboxPayload =>
        payload.mode === 'dry_run'
          ? {
              tenantId: tenant.id,
              listId,
              runId,
              mailboxId,
              mode: 'dry_run',
              untargeted: true,
            }
          : { tenantId: tenant.id, listId, runId, mailboxId, mode: 'cleanup' },
      ),
    ];
    // A run cancelled while it was planned enqueues nothing.
    if (!(await this.ledger.planned(runId, jobs.length)))
      return { outcome: 'skipped', reason: 'the run ended while it was planned (cancelled)' };
    await this.queues.enqueueMailboxes(jobs);
    await this.logStore.appendLogs(tenant.id, [
      {
        runId,
        level: 'info',
        code: 'RUN_PLANNED',
        message: `${contacts} contacts for ${mailboxIds.length} mailboxes; ${cleanups.length} mailboxes no longer targeted ${payload.mode === 'dry_run' ? 'would be' : 'are'} cleaned up`,
      },
    ]);
    return {
      outcome: 'planned',
      runId,
      mailboxes: mailboxIds.length,
      cleanups: cleanups.length,
      contacts,
    };
  }

  /**
   * Directory users' photos enter the contact as `photoHash` (the bytes are uploaded per mailbox
   * when the hash changes); read again only for users the directory reports as changed.
   */
  private async withPhotoHashes(
    tenant: TenantRef,
    records: SourceRecords[],
    changed: ReadonlySet<string> | 'all',
  ): Promise<SourceRecords[]> {
    const userSources = records.filter(
      (r) => r.source.kind === 'directory' || r.source.kind === 'group',
    );
    const ids = [
      ...new Set(userSources.flatMap((r) => r.records.map((record) => String(record.id)))),
    ];
    const hashes = await this.photos.hashes(tenant, ids, changed);
    return records.map((r) =>
      r.source.kind === 'directory' || r.source.kind === 'group'
        ? {
            source: {
              ...r.source,
              mapping: {
                ...r.source.mapping,
                fields: { ...r.source.mapping.fields, photoHash: PHOTO_HASH_ATTRIBUTE },
              },
            },
            records: r.records.map((record) => {
              const hash = hashes.get(String(record.id));
              return hash ? { ...record, [PHOTO_HASH_ATTRIBUTE]: hash } : record;
            }),
          }
        : r,
    );
  }

  private async markConsentRevoked(tenantId: string): Promise<void> {
    await this.repositories.tenants.markConsentRevoked(tenantId);
  }
}
