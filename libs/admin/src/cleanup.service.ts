import { APP_CONFIG, type AppConfig } from '@app/config';
import { LOG_STORE, type LogStore } from '@app/logstore';
import {
  AuditEventEntity,
  ContactListEntity,
  EwsConnectionEntity,
  MailboxStateEntity,
  ScheduleEntity,
  SourceStateEntity,
  SyncRunEntity,
  TenantEntity,
  withTransaction,
} from '@app/persistence';
import { RunLedger, SyncQueues } from '@app/sync';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, In, MoreThanOrEqual } from 'typeorm';
import { audit, type Actor } from './actor';
import { AlertsService } from './alerts.service';
import { Conflict, NotFound } from './validation';

export const CLEANUP_START_ACTION = 'tenant.cleanup_start';
export const REVOKED_ACTION = 'tenant.revoked';

export interface CleanupListProgress {
  listId: string;
  listName: string;
  /** The clean-up run of this list; null while an earlier run of the list is still active. */
  runId: string | null;
  status: SyncRunEntity['status'] | 'waiting';
  mailboxes: { done: number; total: number; failed: number };
  itemsDeleted: number;
}

export interface RemoveAppSteps {
  clientId: string | null;
  steps: string[];
  links: { enterpriseApps: string; adminConsentRevocation: string | null };
  graphRequest: string | null;
  powershell: string | null;
}

export interface CleanupProgress {
  /**
   * not_started; running (clean-up runs active); failed (a clean-up run did not succeed: fix
   * the cause, e.g. re-consent, then POST again); revoked (all clean, logs and caches deleted,
   * tenant suspended).
   */
  state: 'not_started' | 'running' | 'failed' | 'revoked';
  startedAt: Date | null;
  revokedAt: Date | null;
  lists: CleanupListProgress[];
  totals: { mailboxesDone: number; mailboxesTotal: number; itemsDeleted: number };
  /** Only once revoked: how to remove our enterprise app in Entra ID. */
  removeApp?: RemoveAppSteps;
  wiped?: {
    logs: number;
    snapshots: number;
    mapChunks: number;
    sourceStates: number;
    mailboxStates: number;
  };
}

/**
 * "Clean up and revoke": a clean-up run (mode cleanup) per list removes exactly our tagged
 * items from every mailbox that has state for the list — this needs the consent, so it runs
 * first. Once every clean-up run has succeeded, the tenant's logs, snapshots, maps and
 * directory state are deleted, the tenant is `suspended` (no run plans any more) and the admin
 * is told how to remove the enterprise app.
 */
@Injectable()
export class CleanupService {
  private readonly logger = new Logger('TenantCleanup');
  private readonly ledger: RunLedger;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(SyncQueues) private readonly queues: SyncQueues,
    @Inject(LOG_STORE) private readonly logStore: LogStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(AlertsService) private readonly alerts: AlertsService,
  ) {
    this.ledger = new RunLedger(dataSource);
  }

  private async tenant(tenantId: string): Promise<TenantEntity> {
    const t = await this.dataSource
      .getRepository(TenantEntity)
      .findOne({ where: { id: tenantId } });
    if (!t) throw new NotFound('tenant');
    return t;
  }

  async start(actor: Actor): Promise<CleanupProgress> {
    const tenant = await this.tenant(actor.tenantId);
    if (tenant.status === 'consent_revoked' || tenant.status === 'orphaned')
      throw new Conflict(
        'The consent of our app is gone, so mailboxes cannot be cleaned up: an administrator must consent again (GET /api/onboarding/consent), then start the clean-up.',
      );
    if (tenant.status === 'suspended')
      throw new Conflict('This tenant is already cleaned up and revoked.');
    if (tenant.status !== 'active') throw new Conflict(`the tenant is ${tenant.status}`);
    const lists = await this.dataSource
      .getRepository(ContactListEntity)
      .find({ where: { tenantId: actor.tenantId }, order: { createdAt: 'ASC' } });
    const schedules = await this.dataSource
      .getRepository(ScheduleEntity)
      .find({ where: { tenantId: actor.tenantId } });
    await withTransaction(this.dataSource, async (manager) => {
      // Disabled lists plan no sync any more (scheduled or manual); clean-up runs still plan.
      if (lists.length)
        await manager
          .getRepository(ContactListEntity)
          .update({ tenantId: actor.tenantId, id: In(lists.map((l) => l.id)) }, { enabled: false });
      if (schedules.length)
        await manager.getRepository(ScheduleEntity).update(
          { tenantId: actor.tenantId, id: In(schedules.map((s) => s.id)) },
          {
            enabled: false,
          },
        );
      await audit(
        manager,
        actor,
        CLEANUP_START_ACTION,
        { type: 'tenant', id: actor.tenantId },
        { listIds: lists.map((l) => l.id) },
      );
    });
    for (const s of schedules) await this.queues.removeSchedule(s.id);
    const since = new Date(Date.now() - 1000);
    for (const list of lists) await this.startRun(actor.tenantId, list.id, since);
    return this.progress(actor.tenantId);
  }

  /** Starts the list's clean-up run unless one started since `since`; waits if a sync run is active. */
  private async startRun(tenantId: string, listId: string, since: Date): Promise<void> {
    const { run, merged } = await this.ledger.start({
      tenantId,
      listId,
      listKind: 'contacts',
      trigger: 'cleanup',
      mode: 'cleanup',
      deadlineAt: new Date(Date.now() + this.config.sync.runDeadlineMinutes * 60_000),
    });
    if (merged) {
      // An active sync run of the list: clean-up starts when it has ended (next progress call).
      // An active clean-up run started after the request is ours already.
      if (run.mode === 'cleanup' && run.startedAt >= since) return;
      return;
    }
    await this.queues.triggerRun({
      tenantId,
      listId,
      trigger: 'cleanup',
      mode: 'cleanup',
      runId: run.id,
    });
  }

  /** Progress of the latest clean-up; finishes the revocation once every clean-up run succeeded. */
  async progress(tenantId: string): Promise<CleanupProgress> {
    const events = this.dataSource.getRepository(AuditEventEntity);
    const started = await events.findOne({
      where: { tenantId, action: CLEANUP_START_ACTION },
      order: { createdAt: 'DESC' },
    });
    const empty = { mailboxesDone: 0, mailboxesTotal: 0, itemsDeleted: 0 };
    if (!started)
      return { state: 'not_started', startedAt: null, revokedAt: null, lists: [], totals: empty };
    const since = new Date(started.createdAt.getTime() - 1000);
    const listIds = (JSON.parse(started.details ?? '{}') as { listIds?: string[] }).listIds ?? [];
    const names = new Map(
      (
        await this.dataSource
          .getRepository(ContactListEntity)
          .find({ where: { tenantId, id: In(listIds) }, select: { id: true, name: true } })
      ).map((l) => [l.id, l.name]),
    );
    const runs = this.dataSource.getRepository(SyncRunEntity);
    const lists: CleanupListProgress[] = [];
    for (const listId of listIds) {
      let run = await runs.findOne({
        where: { tenantId, listId, mode: 'cleanup', startedAt: MoreThanOrEqual(since) },
        order: { startedAt: 'DESC' },
      });
      if (!run && names.has(listId)) {
        await this.startRun(tenantId, listId, since);
        run = await runs.findOne({
          where: { tenantId, listId, mode: 'cleanup', startedAt: MoreThanOrEqual(since) },
          order: { startedAt: 'DESC' },
        });
      }
      lists.push({
        listId,
        listName: names.get(listId) ?? '(deleted list)',
        runId: run?.id ?? null,
        status: run ? run.status : names.has(listId) ? 'waiting' : 'succeeded',
        mailboxes: {
          done: run ? run.mailboxesSucceeded + run.mailboxesFailed : 0,
          total: run?.mailboxesTotal ?? 0,
          failed: run?.mailboxesFailed ?? 0,
        },
        itemsDeleted: run?.itemsDeleted ?? 0,
      });
    }
    const totals = {
      mailboxesDone: lists.reduce((n, l) => n + l.mailboxes.done, 0),
      mailboxesTotal: lists.reduce((n, l) => n + l.mailboxes.total, 0),
      itemsDeleted: lists.reduce((n, l) => n + l.itemsDeleted, 0),
    };
    const base = { startedAt: started.createdAt, lists, totals };
    const revoked = await events.findOne({
      where: { tenantId, action: REVOKED_ACTION, createdAt: MoreThanOrEqual(started.createdAt) },
      order: { createdAt: 'DESC' },
    });
    if (revoked) {
      const details = JSON.parse(revoked.details ?? '{}') as { wiped?: CleanupProgress['wiped'] };
      return {
        ...base,
        state: 'revoked',
        revokedAt: revoked.createdAt,
        removeApp: this.removeAppSteps(await this.tenant(tenantId)),
        wiped: details.wiped,
      };
    }
    if (lists.some((l) => ['failed', 'partial', 'cancelled'].includes(l.status)))
      return { ...base, state: 'failed', revokedAt: null };
    if (lists.some((l) => l.status !== 'succeeded'))
      return { ...base, state: 'running', revokedAt: null };
    return this.finish(tenantId, started, base);
  }

  private async finish(
    tenantId: string,
    started: AuditEventEntity,
    base: Pick<CleanupProgress, 'startedAt' | 'lists' | 'totals'>,
  ): Promise<CleanupProgress> {
    const tenant = await this.tenant(tenantId);
    const wipe = await this.logStore.deleteTenant(tenantId);
    await this.alerts.deleteTenant(tenantId);
    const sourceStates = await this.dataSource
      .getRepository(SourceStateEntity)
      .delete({ tenantId });
    // Mailboxes the engine could not reach (no mailbox, unlicensed) keep a state row; it goes too.
    const mailboxStates = await this.dataSource
      .getRepository(MailboxStateEntity)
      .delete({ tenantId });
    // The EWS password is the tenant's secret: it goes with the revocation.
    await this.dataSource.getRepository(EwsConnectionEntity).delete({ tenantId });
    const wiped = {
      ...wipe,
      sourceStates: sourceStates.affected ?? 0,
      mailboxStates: mailboxStates.affected ?? 0,
    };
    const revokedAt = await withTransaction(this.dataSource, async (manager) => {
      const changed = await manager
        .getRepository(TenantEntity)
        .update({ id: tenantId, status: 'active' }, { status: 'suspended' });
      if (!changed.affected) return null;
      await audit(
        manager,
        { tenantId, type: started.actorType as Actor['type'], id: started.actorId },
        REVOKED_ACTION,
        { type: 'tenant', id: tenantId },
        { wiped, itemsDeleted: base.totals.itemsDeleted },
      );
      return new Date();
    });
    if (!revokedAt && tenant.status !== 'suspended') {
      // The consent vanished between the last run and now: show the failure, not a revocation.
      return { ...base, state: 'failed', revokedAt: null };
    }
    this.logger.log({ tenantId, wiped }, 'tenant cleaned up and revoked');
    return {
      ...base,
      state: 'revoked',
      revokedAt: revokedAt ?? new Date(),
      removeApp: this.removeAppSteps(tenant),
      wiped,
    };
  }

  removeAppSteps(tenant: TenantEntity): RemoveAppSteps {
    const clientId = this.config.microsoft?.clientId ?? null;
    const tid = tenant.azureTenantId;
    const enterpriseApps = `https://entra.microsoft.com/${tid}/#view/Microsoft_AAD_IAM/StartboardApplicationsMenuBlade/~/AppAppsPreview`;
    return {
      clientId,
      steps: [
        `Sign in to the Microsoft Entra admin center (https://entra.microsoft.com) as a Global Administrator, Cloud Application Administrator or Application Administrator of tenant ${tid}.`,
        'Go to Identity → Applications → Enterprise applications, set the "Application type" filter to "All applications".',
        clientId
          ? `Search for the application ID ${clientId} and open the application.`
          : 'Search for our application by name and open it.',
        'Optional — to revoke the admin consent only: Security → Permissions → "Review permissions" and follow the revocation script, or remove the permission grants.',
        'To remove the app entirely (this also revokes the admin consent): Manage → Properties → Delete → Yes.',
        'Nothing of ours remains in your mailboxes; our logs and caches for your organization are deleted.',
      ],
      links: {
        enterpriseApps,
        adminConsentRevocation: clientId
          ? `https://entra.microsoft.com/${tid}/#view/Microsoft_AAD_IAM/ManagedAppMenuBlade/~/Permissions/appId/${clientId}`
          : null,
      },
      graphRequest: clientId
        ? `DELETE https://graph.microsoft.com/v1.0/servicePrincipals(appId='${clientId}')`
        : null,
      powershell: clientId
        ? `Connect-MgGraph -TenantId ${tid} -Scopes Application.ReadWrite.All; Remove-MgServicePrincipal -ServicePrincipalId (Get-MgServicePrincipal -Filter "appId eq '${clientId}'").Id`
        : null,
    };
  }
}
