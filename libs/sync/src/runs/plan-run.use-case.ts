import { CodedError } from '@app/domain';
import type { LogStore } from '@app/logstore';
import { MicrosoftError, type DirectoryReader, type TenantRef } from '@app/microsoft';
import type { MailboxStateRepository, TargetRepository, TenantRepository } from '@app/persistence';
import type { JobListKind, PlanRunPayload, SyncMailboxPayload } from '@app/queue';
import type { DirectoryCache } from '../sources/directory-cache';
import type { SyncQueues } from '@app/queue';
import type { Entitlements } from './entitlements';
import type { ListRunPlanner, PlannedList } from './list-run-planner';
import { principalName } from './principal-name';
import { resolveTargets } from './resolve-targets';
import type { RunLedger } from './run-ledger';
import { snapshotKey } from './snapshot-key';

/** Source failures no retry of the job can fix: the run ends with the reason, nothing written. */
const FINAL_SOURCE_CODES = new Set([
  'calendar_feed_invalid',
  'calendar_feed_refused',
  'calendar_feed_failed',
  'NOT_CONFIGURED',
  // An EWS-only organisation's directory (ADR 0047): a retry cannot fix these, and a wrong
  // password retried would lock the service account out.
  'EWS_DIRECTORY_NOT_CONFIGURED',
  'EWS_DIRECTORY_UNSUPPORTED',
  'EWS_DIRECTORY_PAGING_FAILED',
  'EWS_SIGN_IN_FAILED',
  'EWS_IMPERSONATION_DENIED',
  'EWS_CERTIFICATE_UNTRUSTED',
  'EWS_ENDPOINT_NOT_FOUND',
]);

/** The SQL plan-run reads and writes besides the run ledger. */
export interface PlanRunRepositories {
  tenants: TenantRepository;
  targets: TargetRepository;
  mailboxStates: MailboxStateRepository;
}

export type PlanRunResult =
  | { outcome: 'planned'; runId: string; mailboxes: number; cleanups: number; items: number }
  | { outcome: 'merged'; runId: string }
  | { outcome: 'skipped'; reason: string }
  | { outcome: 'failed'; runId: string; code: string };

/**
 * plan-run: read the list's sources and build its desired items (through the planner of the
 * list's kind), snapshot them, resolve the targets, and fan out one sync-mailbox job per mailbox
 * — plus clean-up jobs for mailboxes that are no longer targeted, so they lose exactly our items.
 */
export class PlanRunUseCase {
  constructor(
    private readonly repositories: PlanRunRepositories,
    private readonly ledger: RunLedger,
    private readonly directory: DirectoryCache,
    private readonly directoryReader: DirectoryReader,
    private readonly planners: readonly ListRunPlanner[],
    private readonly logStore: LogStore,
    private readonly queues: SyncQueues,
    private readonly entitlements: Entitlements,
    private readonly options: { runDeadlineMinutes: number },
  ) {}

  private plannerOf(kind: JobListKind | undefined): ListRunPlanner {
    const planner = this.planners.find((p) => p.kind === (kind ?? 'contacts'));
    if (!planner) throw new Error(`no planner for ${kind} lists`);
    return planner;
  }

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
    const planner = this.plannerOf(payload.listKind);
    const list = await planner.find(payload.tenantId, payload.listId);
    // A deleted list is still cleaned up: its mailbox states outlive it (its tombstone).
    if (!list && payload.mode !== 'cleanup') return skip('LIST_NOT_FOUND', 'list not found');
    if (list && !list.enabled && payload.mode !== 'cleanup')
      return skip('LIST_DISABLED', 'list disabled');

    let runId = resumeRunId;
    if (!runId) {
      const started = await this.ledger.start({
        tenantId: payload.tenantId,
        listId: payload.listId,
        listKind: planner.kind,
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
      return await this.plan(payload, runId, tenant, planner, list);
    } catch (error) {
      if (error instanceof CodedError && FINAL_SOURCE_CODES.has(error.code)) {
        await this.ledger.fail(runId, error.code, error.message);
        await this.logStore.appendLogs(tenant.id, [
          { runId, level: 'error', code: error.code, message: error.message },
        ]);
        return { outcome: 'failed', runId, code: error.code };
      }
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
    planner: ListRunPlanner,
    list: PlannedList | null,
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
    let items = 0;
    let noun = planner.kind === 'calendar' ? 'events' : 'contacts';
    if (payload.mode !== 'cleanup' && list) {
      const targets = await this.repositories.targets.listForList(tenant.id, list.id);
      const { users, changedIds, fullRead } = await this.directory.users(tenant);
      const plan = await planner.plan({
        tenant,
        list,
        runId,
        users,
        changed: fullRead ? 'all' : changedIds,
        groupMembers,
      });
      items = plan.items.length;
      noun = plan.noun;
      await this.logStore.putSnapshot(tenant.id, snapshotKey(list.id, runId, payload.mode), {
        runId,
        items: plan.items,
      });
      mailboxIds = await resolveTargets(targets, users, groupMembers, plan.reach);
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

    // Contact jobs keep their old shape (no kind): jobs queued before calendars read the same.
    const kind = planner.kind === 'calendar' ? { listKind: 'calendar' as const } : {};
    const jobs: SyncMailboxPayload[] = [
      ...mailboxIds.map((mailboxId) => ({
        tenantId: tenant.id,
        listId,
        ...kind,
        runId,
        mailboxId,
        mode: payload.mode,
      })),
      ...cleanups.map((mailboxId): SyncMailboxPayload =>
        payload.mode === 'dry_run'
          ? {
              tenantId: tenant.id,
              listId,
              ...kind,
              runId,
              mailboxId,
              mode: 'dry_run',
              untargeted: true,
            }
          : { tenantId: tenant.id, listId, ...kind, runId, mailboxId, mode: 'cleanup' },
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
        message: `${items} ${noun} for ${mailboxIds.length} mailboxes; ${cleanups.length} mailboxes no longer targeted ${payload.mode === 'dry_run' ? 'would be' : 'are'} cleaned up`,
      },
    ]);
    return {
      outcome: 'planned',
      runId,
      mailboxes: mailboxIds.length,
      cleanups: cleanups.length,
      items,
    };
  }

  private async markConsentRevoked(tenantId: string): Promise<void> {
    await this.repositories.tenants.markConsentRevoked(tenantId);
  }
}
