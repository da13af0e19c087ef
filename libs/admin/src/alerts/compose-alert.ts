import type { SyncRunEntity, TenantEntity } from '@app/persistence';
import { randomUUID } from 'node:crypto';
import { ERROR_ADVICE } from '../runs.service';
import type { AlertEvent } from './alert-event';

/** An alert about a run that ended failed or partial. */
export function composeRunAlert(
  run: SyncRunEntity,
  tenant: TenantEntity,
  listName: string | undefined,
): AlertEvent {
  const error = run.errorCode
    ? { code: run.errorCode, message: run.errorMessage, advice: ERROR_ADVICE[run.errorCode] }
    : null;
  const name = listName ?? run.listId;
  return {
    id: randomUUID(),
    kind: run.status === 'partial' ? 'run_partial' : 'run_failed',
    tenantId: run.tenantId,
    azureTenantId: tenant.azureTenantId,
    at: (run.finishedAt ?? new Date()).toISOString(),
    summary:
      run.status === 'partial'
        ? `The ${run.mode} run of "${name}" ended partly failed: ${run.mailboxesFailed} of ${run.mailboxesTotal} mailboxes failed.`
        : `The ${run.mode} run of "${name}" failed${error ? ` (${error.code})` : ''}.`,
    list: { id: run.listId, name },
    run: {
      id: run.id,
      mode: run.mode,
      trigger: run.trigger,
      status: run.status,
      mailboxes: {
        total: run.mailboxesTotal,
        succeeded: run.mailboxesSucceeded,
        failed: run.mailboxesFailed,
      },
      error,
    },
    whatToDo:
      error?.advice ??
      'Open the run (GET /api/runs/{id}) for the per-mailbox errors and what to do about them.',
  };
}

/** An alert about a tenant whose consent was revoked or whose app registration is gone. */
export function composeConsentAlert(tenant: TenantEntity, now: Date): AlertEvent {
  return {
    id: randomUUID(),
    kind: 'consent_lost',
    tenantId: tenant.id,
    azureTenantId: tenant.azureTenantId,
    at: now.toISOString(),
    summary:
      'The consent of the contact sync app was revoked or the app was removed in Entra ID: syncing has stopped.',
    whatToDo: ERROR_ADVICE.CONSENT_REVOKED,
  };
}
