import { LOG_STORE, type LogStore } from '@app/logstore';
import {
  ContactListRepository,
  SyncRunRepository,
  UnitOfWork,
  type SyncRunEntity,
} from '@app/persistence';
import type { RunMode } from '@app/queue';
import { RequestRunUseCase } from '@app/sync';
import { Inject, Injectable } from '@nestjs/common';
import type { Actor } from './actor';
import { Conflict, NotFound } from './validation';

/** What to do about an error code a run or a mailbox reports. */
export const ERROR_ADVICE: Record<string, string> = {
  CONSENT_REVOKED:
    'Our app was removed from the tenant or its consent was revoked: run the onboarding consent again.',
  PERMISSION_MISSING:
    'A required application permission is not granted: re-run admin consent so every permission is granted.',
  MAILBOX_NOT_FOUND:
    'The user has no Exchange Online mailbox (unlicensed or deleted): no action unless unexpected.',
  MAILBOX_OUT_OF_SCOPE:
    "Exchange refused our app this mailbox: it is outside the scope an Exchange admin gave the app (RBAC for Applications or an application access policy). Add the mailbox to that scope, or stop targeting it (docs/entra-app.md#least-privilege).",
  MAILBOX_ON_PREMISES:
    'The mailbox is on Exchange Server on-premises: configure the EWS connection.',
  THROTTLED:
    'Microsoft throttled the requests; the mailbox is retried automatically in the next run.',
  TRANSIENT:
    'A temporary Microsoft error; retried automatically. Persisting errors: check service health.',
  GRAPH_ERROR: 'Microsoft Graph refused a request; see the message, then sync again.',
  NOT_CONFIGURED: 'No Microsoft app registration is configured for this deployment.',
};

export interface RunView {
  id: string;
  listId: string;
  mode: SyncRunEntity['mode'];
  trigger: SyncRunEntity['trigger'];
  status: SyncRunEntity['status'];
  startedAt: Date;
  finishedAt: Date | null;
  deadlineAt: Date | null;
  mailboxes: { total: number; succeeded: number; failed: number };
  items: { created: number; updated: number; deleted: number };
  error: { code: string; message: string | null; advice?: string } | null;
}

function runView(r: SyncRunEntity): RunView {
  return {
    id: r.id,
    listId: r.listId,
    mode: r.mode,
    trigger: r.trigger,
    status: r.status,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    deadlineAt: r.deadlineAt,
    mailboxes: {
      total: r.mailboxesTotal,
      succeeded: r.mailboxesSucceeded,
      failed: r.mailboxesFailed,
    },
    items: { created: r.itemsCreated, updated: r.itemsUpdated, deleted: r.itemsDeleted },
    error: r.errorCode
      ? { code: r.errorCode, message: r.errorMessage, advice: ERROR_ADVICE[r.errorCode] }
      : null,
  };
}

export interface TriggerResult {
  /** The run the trigger started, or the list's active run it merged into. */
  runId: string;
  status: 'started' | 'merged';
}

/** Run history of a tenant, and triggering runs ("sync now", dry-run preview). */
@Injectable()
export class RunsService {
  constructor(
    @Inject(SyncRunRepository) private readonly runs: SyncRunRepository,
    @Inject(ContactListRepository) private readonly lists: ContactListRepository,
    @Inject(UnitOfWork) private readonly unitOfWork: UnitOfWork,
    @Inject(RequestRunUseCase) private readonly requestRun: RequestRunUseCase,
    @Inject(LOG_STORE) private readonly logStore: LogStore,
  ) {}

  async list(
    tenantId: string,
    query: { limit: number; offset: number; listId?: string },
  ): Promise<{ items: RunView[]; total: number }> {
    const [rows, total] = await this.runs.page(tenantId, {
      limit: query.limit,
      offset: query.offset,
      ...(query.listId ? { listId: query.listId.toLowerCase() } : {}),
    });
    return { items: rows.map(runView), total };
  }

  async get(tenantId: string, runId: string) {
    const run = await this.runs.get(tenantId, runId.toLowerCase());
    if (!run) throw new NotFound('run');
    const [outcomes, errors] = await Promise.all([
      this.logStore.mailboxOutcomes(tenantId, run.id),
      this.logStore.errorSummary(tenantId, { runId: run.id }),
    ]);
    return {
      ...runView(run),
      mailboxOutcomes: outcomes.map((o) => ({
        mailboxId: o.mailboxId,
        status: o.status,
        errors: o.errors,
        warnings: o.warnings,
        lastAt: o.lastAt,
        lastMessage: o.lastMessage,
        lastCode: o.lastCode ?? null,
        lastError: o.lastError
          ? {
              ...o.lastError,
              advice: o.lastError.code ? ERROR_ADVICE[o.lastError.code] : undefined,
            }
          : null,
      })),
      errorCodes: errors.map((e) => ({ ...e, advice: ERROR_ADVICE[e.code] })),
    };
  }

  /**
   * Starts a run (or merges into the list's active one) and answers with its id at once; the
   * plan-run job resumes that run. Previews never merge: each gets its own run.
   */
  async trigger(
    actor: Actor,
    listId: string,
    mode: Extract<RunMode, 'sync' | 'dry_run'>,
  ): Promise<TriggerResult> {
    const list = await this.lists.findInTenant(actor.tenantId, listId.toLowerCase());
    if (!list) throw new NotFound('list');
    if (!list.enabled) throw new Conflict('the list is disabled: enable it first');
    const { runId, merged } = await this.requestRun.execute({
      tenantId: actor.tenantId,
      listId: list.id,
      trigger: actor.type === 'api_token' ? 'api' : 'manual',
      mode,
    });
    await this.unitOfWork.run((tx) =>
      tx.audit.record(actor, mode === 'sync' ? 'run.sync_now' : 'run.preview', {
        type: 'contact_list',
        id: list.id,
      }),
    );
    return { runId, status: merged ? 'merged' : 'started' };
  }
}
