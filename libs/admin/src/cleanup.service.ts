import { APP_CONFIG, type AppConfig } from '@app/config';
import {
  CalendarListRepository,
  ContactListRepository,
  ListTombstoneRepository,
  SyncRunRepository,
  TenantCleanupRepository,
  TenantRepository,
  type SyncRunEntity,
  type TenantCleanupState,
  type TenantEntity,
} from '@app/persistence';
import { SyncQueues } from '@app/queue';
import { Inject, Injectable } from '@nestjs/common';
import type { Actor } from './actor';
import { ListsOfKind } from './lists-of-kind';
import { Conflict, NotFound } from './validation';

export const CLEANUP_START_ACTION = TenantCleanupRepository.CLEANUP_START_ACTION;
export const REVOKED_ACTION = TenantCleanupRepository.REVOKED_ACTION;

export interface CleanupListProgress {
  listId: string;
  listName: string;
  /** The clean-up run of this list; null until the worker has started it (a sync run of the list may still be active). */
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
  /** The worker's step: requested, cleaning, wiping, revoked or failed (null: not started). */
  phase: TenantCleanupState | null;
  /** 1 for the first request, one more per retry of a failed clean-up. */
  attempt: number;
  /** Why it failed (coded), while failed. */
  error: { code: string; message: string } | null;
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
 * "Clean up and revoke", the API side: POST records the request (tenant_cleanup row, lists and
 * schedules disabled, audit event) and wakes the worker, which advances it to revoked
 * (CleanupAdvancer) whether or not anybody polls; GET only reads its progress.
 */
@Injectable()
export class CleanupService {
  private readonly lists: ListsOfKind;

  constructor(
    @Inject(TenantCleanupRepository) private readonly cleanups: TenantCleanupRepository,
    @Inject(TenantRepository) private readonly tenants: TenantRepository,
    @Inject(SyncRunRepository) private readonly runs: SyncRunRepository,
    @Inject(ContactListRepository) contactLists: ContactListRepository,
    @Inject(CalendarListRepository) calendarLists: CalendarListRepository,
    @Inject(ListTombstoneRepository) private readonly tombstones: ListTombstoneRepository,
    @Inject(SyncQueues) private readonly queues: SyncQueues,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.lists = new ListsOfKind(contactLists, calendarLists);
  }

  private async tenant(tenantId: string): Promise<TenantEntity> {
    const t = await this.tenants.findById(tenantId);
    if (!t) throw new NotFound('tenant');
    return t;
  }

  /** Records the request (or the retry of a failed one) and enqueues the worker's first step. */
  async start(actor: Actor): Promise<CleanupProgress> {
    const tenant = await this.tenant(actor.tenantId);
    if (tenant.status === 'consent_revoked' || tenant.status === 'orphaned')
      throw new Conflict(
        'The consent of our app is gone, so mailboxes cannot be cleaned up: an administrator must consent again (GET /api/onboarding/consent), then start the clean-up.',
      );
    if (tenant.status === 'suspended')
      throw new Conflict('This tenant is already cleaned up and revoked.');
    if (tenant.status !== 'active') throw new Conflict(`the tenant is ${tenant.status}`);
    const { scheduleIds } = await this.cleanups.request(actor);
    for (const id of scheduleIds) await this.queues.removeSchedule(id);
    // SQL holds the request: if Redis loses this job, the worker's sweep advances it anyway.
    await this.queues.advanceCleanupAfter({ tenantId: actor.tenantId });
    return this.progress(actor.tenantId);
  }

  /** Progress of the latest clean-up; reads only (the worker advances it). */
  async progress(tenantId: string): Promise<CleanupProgress> {
    const cleanup = await this.cleanups.get(tenantId);
    const empty = { mailboxesDone: 0, mailboxesTotal: 0, itemsDeleted: 0 };
    if (!cleanup)
      return {
        state: 'not_started',
        phase: null,
        attempt: 0,
        error: null,
        startedAt: null,
        revokedAt: null,
        lists: [],
        totals: empty,
      };
    const listIds = JSON.parse(cleanup.listIds) as string[];
    const runIds = JSON.parse(cleanup.runIds) as Record<string, string>;
    const lists: CleanupListProgress[] = [];
    for (const listId of listIds) {
      const list = await this.lists.findAny(tenantId, listId);
      // A deleted list still to be cleaned has a tombstone (with its name) until it is clean.
      const tombstone = list ? null : await this.tombstones.get(tenantId, listId);
      const pending = !!list || (!!tombstone && tombstone.state !== 'done');
      const run = runIds[listId] ? await this.runs.get(tenantId, runIds[listId]) : null;
      lists.push({
        listId,
        listName: list?.name ?? (tombstone ? `${tombstone.name} (deleted list)` : '(deleted list)'),
        runId: run?.id ?? null,
        status: run ? run.status : pending ? 'waiting' : 'succeeded',
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
    const base = {
      phase: cleanup.state,
      attempt: cleanup.attempt,
      error:
        cleanup.state === 'failed' && cleanup.errorCode
          ? { code: cleanup.errorCode, message: cleanup.errorMessage ?? '' }
          : null,
      startedAt: cleanup.requestedAt,
      lists,
      totals,
    };
    if (cleanup.state === 'revoked')
      return {
        ...base,
        state: 'revoked',
        revokedAt: cleanup.revokedAt,
        removeApp: this.removeAppSteps(await this.tenant(tenantId)),
        wiped: cleanup.wiped ? (JSON.parse(cleanup.wiped) as CleanupProgress['wiped']) : undefined,
      };
    if (cleanup.state === 'failed') return { ...base, state: 'failed', revokedAt: null };
    return { ...base, state: 'running', revokedAt: null };
  }

  removeAppSteps(tenant: TenantEntity): RemoveAppSteps {
    const clientId = this.config.microsoft?.clientId ?? null;
    const tid = tenant.azureTenantId;
    // An EWS-only organisation (ADR 0047) has no app of ours in Entra ID: what it gave us is
    // the EWS service account and its impersonation right.
    if (!tid)
      return {
        clientId: null,
        steps: [
          'Open the Exchange Management Shell on a server of your organization as an Organization Management member.',
          "Remove the service account's impersonation right: Get-ManagementRoleAssignment -Role ApplicationImpersonation -RoleAssignee <service account> | Remove-ManagementRoleAssignment.",
          'Disable or delete the service account in Active Directory, or at least change its password.',
          'Nothing of ours remains in your mailboxes; our logs, caches and the stored EWS password are deleted.',
        ],
        links: {
          enterpriseApps:
            'https://learn.microsoft.com/exchange/client-developer/exchange-web-services/impersonation-and-ews-in-exchange',
          adminConsentRevocation: null,
        },
        graphRequest: null,
        powershell:
          'Get-ManagementRoleAssignment -Role ApplicationImpersonation -RoleAssignee <service account> | Remove-ManagementRoleAssignment',
      };
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
