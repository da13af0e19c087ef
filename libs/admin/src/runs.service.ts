import { LOG_STORE, type LogStore } from '@app/logstore';
import {
  CalendarListRepository,
  ContactListRepository,
  RunMailboxRepository,
  SyncRunRepository,
  UnitOfWork,
  type ListKind,
  type MailboxRunOutcome,
  type RunMailboxEntity,
  type SyncRunEntity,
} from '@app/persistence';
import type { RunMode } from '@app/queue';
import { RequestRunUseCase } from '@app/sync';
import { Inject, Injectable } from '@nestjs/common';
import type { Actor } from './actor';
import { keysetCursor } from './keyset-cursor';
import { ListsOfKind } from './lists-of-kind';
import type { MailboxRunsQuery, RunMailboxesQuery } from './run-queries';
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
    'Exchange refused our app this mailbox: it is outside the scope an Exchange admin gave the app (RBAC for Applications or an application access policy). Add the mailbox to that scope, or stop targeting it (docs/entra-app.md#least-privilege).',
  MAILBOX_ON_PREMISES:
    'The mailbox is on Exchange Server on-premises: configure the EWS connection.',
  THROTTLED:
    'Microsoft throttled the requests; the mailbox is retried automatically in the next run.',
  TRANSIENT:
    'A temporary Microsoft error; retried automatically. Persisting errors: check service health.',
  GRAPH_ERROR: 'Microsoft Graph refused a request; see the message, then sync again.',
  NOT_CONFIGURED: 'No Microsoft app registration is configured for this deployment.',
  RUN_CANCELLED:
    'An administrator cancelled the run; what it wrote is recorded, and the next run finishes the rest.',
  RUN_LOST:
    'The job was lost (Redis lost its data) before this mailbox reported; the next run syncs it.',
  WRITE_FAILED: 'Some writes to this mailbox failed; they are retried in the next run.',
  // EWS (Exchange Server on-premises): final for the run, the admin fixes the EWS connection
  EWS_SIGN_IN_FAILED:
    'Exchange refused the EWS service account: correct the user name or password under EWS settings (the refused password is not tried again for 30 minutes, so the account is not locked out).',
  EWS_IMPERSONATION_DENIED:
    'The EWS service account may not impersonate this mailbox: grant it the ApplicationImpersonation role with a scope that includes the mailbox.',
  EWS_CERTIFICATE_UNTRUSTED:
    "The Exchange server's certificate is not trusted: use a certificate from a public CA, or paste the CA that signed it into the EWS settings.",
  EWS_HOST_UNREACHABLE:
    'The Exchange server cannot be reached: check the host name of the EWS URL, DNS and the firewall (443).',
  EWS_ENDPOINT_NOT_FOUND:
    'The EWS URL is not the EWS endpoint: use https://<server>/EWS/Exchange.asmx.',
  EWS_HTTPS_REQUIRED:
    'The EWS URL must use https:// (EWS_ALLOW_HTTP allows http:// in a lab only).',
  EWS_REQUEST_REJECTED:
    'Exchange rejected a request as invalid; see the message. Persisting errors: report them with the run id.',
};

/** One mailbox's outcome in one run, as the run's outcomes and the mailbox's history show it. */
export interface MailboxOutcomeView {
  runId: string;
  listId: string;
  mailboxId: string;
  status: MailboxRunOutcome;
  code: string | null;
  message: string | null;
  advice: string | null;
  items: { created: number; updated: number; deleted: number };
  finishedAt: Date;
}

function outcomeView(o: RunMailboxEntity): MailboxOutcomeView {
  return {
    runId: o.runId,
    listId: o.listId,
    mailboxId: o.mailboxId,
    status: o.outcome,
    code: o.code,
    message: o.message,
    advice: (o.code && ERROR_ADVICE[o.code]) ?? null,
    items: { created: o.itemsCreated, updated: o.itemsUpdated, deleted: o.itemsDeleted },
    finishedAt: o.finishedAt,
  };
}

/** A page of a keyset listing: `nextCursor` is null on the last page. */
export interface CursorPage<T> {
  items: T[];
  nextCursor: string | null;
}

export interface RunView {
  id: string;
  listId: string;
  /** The kind of list the run serves. */
  listKind: ListKind;
  mode: SyncRunEntity['mode'];
  trigger: SyncRunEntity['trigger'];
  status: SyncRunEntity['status'];
  startedAt: Date;
  finishedAt: Date | null;
  deadlineAt: Date | null;
  /** `unentitled`: targeted mailboxes beyond the tenant's seats, left as they are (ADR 0037). */
  mailboxes: { total: number; succeeded: number; failed: number; unentitled: number };
  items: { created: number; updated: number; deleted: number };
  error: { code: string; message: string | null; advice?: string } | null;
  /** The tenant's billing status when the run was planned (null when billing is off). */
  billingStatus: string | null;
}

function runView(r: SyncRunEntity): RunView {
  return {
    id: r.id,
    listId: r.listId,
    listKind: r.listKind,
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
      unentitled: r.mailboxesUnentitled,
    },
    items: { created: r.itemsCreated, updated: r.itemsUpdated, deleted: r.itemsDeleted },
    error: r.errorCode
      ? { code: r.errorCode, message: r.errorMessage, advice: ERROR_ADVICE[r.errorCode] }
      : null,
    billingStatus: r.billingStatus,
  };
}

/** The run of a mailbox's outcome, in its history. */
export interface RunBrief {
  mode: SyncRunEntity['mode'];
  trigger: SyncRunEntity['trigger'];
  status: SyncRunEntity['status'];
  startedAt: Date;
}

export interface TriggerResult {
  /** The run the trigger started, or the list's active run it merged into. */
  runId: string;
  status: 'started' | 'merged';
}

/**
 * Run history of a tenant, and triggering runs ("sync now", dry-run preview) of contact and
 * calendar lists (by `kind`). Runs of both kinds are read from the same ledger.
 */
@Injectable()
export class RunsService {
  private readonly lists: ListsOfKind;

  constructor(
    @Inject(SyncRunRepository) private readonly runs: SyncRunRepository,
    @Inject(RunMailboxRepository) private readonly outcomes: RunMailboxRepository,
    @Inject(ContactListRepository) contactLists: ContactListRepository,
    @Inject(CalendarListRepository) calendarLists: CalendarListRepository,
    @Inject(UnitOfWork) private readonly unitOfWork: UnitOfWork,
    @Inject(RequestRunUseCase) private readonly requestRun: RequestRunUseCase,
    @Inject(LOG_STORE) private readonly logStore: LogStore,
  ) {
    this.lists = new ListsOfKind(contactLists, calendarLists);
  }

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

  /** The run history of one list of this kind, newest first (404 for an unknown list). */
  async listOf(
    tenantId: string,
    listId: string,
    kind: ListKind,
    page: { limit: number; offset: number },
  ): Promise<{ items: RunView[]; total: number }> {
    const list = await this.lists.get(tenantId, listId, kind);
    return this.list(tenantId, { ...page, listId: list.id });
  }

  /**
   * One run's summary: counts, how its mailboxes ended (by status), its error codes with what
   * to do about them. The per-mailbox outcomes are paged by `outcomesOf` (GET .../mailboxes).
   */
  async get(tenantId: string, runId: string) {
    const run = await this.runs.get(tenantId, runId.toLowerCase());
    if (!run) throw new NotFound('run');
    const [byStatus, errors] = await Promise.all([
      this.outcomes.outcomeCounts(tenantId, run.id),
      this.logStore.errorSummary(tenantId, { runId: run.id }),
    ]);
    const reported = Object.values(byStatus).reduce((a, b) => a + b, 0);
    return {
      ...runView(run),
      outcomes: { ...byStatus, notReported: Math.max(0, run.mailboxesTotal - reported) },
      errorCodes: errors.map((e) => ({ ...e, advice: ERROR_ADVICE[e.code] })),
    };
  }

  /** One run's per-mailbox outcomes by mailbox id, filtered by status and code. */
  async outcomesOf(
    tenantId: string,
    runId: string,
    query: RunMailboxesQuery,
  ): Promise<CursorPage<MailboxOutcomeView>> {
    const run = await this.runs.get(tenantId, runId.toLowerCase());
    if (!run) throw new NotFound('run');
    const after = query.cursor ? String(keysetCursor.decode(query.cursor, ['s'])[0]) : undefined;
    const rows = await this.outcomes.pageOfRun(tenantId, run.id, {
      limit: query.limit + 1,
      afterMailboxId: after,
      outcome: query.status,
      code: query.errorCode,
    });
    const items = rows.slice(0, query.limit);
    return {
      items: items.map(outcomeView),
      nextCursor:
        rows.length > query.limit ? keysetCursor.encode([items[items.length - 1].mailboxId]) : null,
    };
  }

  /** One mailbox's outcomes across the tenant's runs, newest first; 404 for a mailbox it never had. */
  async mailboxHistory(
    tenantId: string,
    userId: string,
    query: MailboxRunsQuery,
  ): Promise<CursorPage<MailboxOutcomeView & { run: RunBrief | null }>> {
    const mailboxId = userId.toLowerCase();
    if (!(await this.outcomes.knowsMailbox(tenantId, mailboxId))) throw new NotFound('mailbox');
    let before: { at: Date; id: string } | undefined;
    if (query.cursor) {
      const [at, id] = keysetCursor.decode(query.cursor, ['n', 's']);
      before = { at: new Date(at as number), id: id as string };
    }
    const rows = await this.outcomes.historyOfMailbox(tenantId, mailboxId, {
      limit: query.limit + 1,
      before,
      ...(query.listId ? { listId: query.listId.toLowerCase() } : {}),
    });
    const items = rows.slice(0, query.limit);
    const runs = new Map(
      (
        await this.runs.getMany(
          tenantId,
          items.map((o) => o.runId),
        )
      ).map((r) => [r.id, r]),
    );
    const last = items[items.length - 1];
    return {
      items: items.map((o) => {
        const run = runs.get(o.runId);
        return {
          ...outcomeView(o),
          run: run
            ? { mode: run.mode, trigger: run.trigger, status: run.status, startedAt: run.startedAt }
            : null,
        };
      }),
      nextCursor:
        rows.length > query.limit
          ? keysetCursor.encode([last.finishedAt.getTime(), last.id])
          : null,
    };
  }

  /**
   * Cancels an active run: it ends as cancelled at once (the list may run again); its mailbox
   * jobs stop between two write batches, recording what they wrote, and the ones not started
   * do nothing. A clean-up run cannot be cancelled (the clean-up waits on it).
   */
  async cancel(actor: Actor, runId: string): Promise<RunView> {
    const run = await this.runs.get(actor.tenantId, runId.toLowerCase());
    if (!run) throw new NotFound('run');
    if (run.mode === 'cleanup')
      throw new Conflict('a clean-up run cannot be cancelled', [
        { field: 'id', message: 'a clean-up run' },
      ]);
    if (!(await this.runs.cancel(actor.tenantId, run.id)))
      throw new Conflict(
        `the run has ended (${(await this.runs.get(actor.tenantId, run.id))?.status})`,
        [{ field: 'id', message: 'the run is not queued or running' }],
      );
    await this.unitOfWork.run((tx) =>
      tx.audit.record(actor, 'run.cancel', { type: 'sync_run', id: run.id }),
    );
    await this.logStore.appendLogs(actor.tenantId, [
      {
        runId: run.id,
        level: 'warn',
        code: 'RUN_CANCELLED',
        message: 'the run was cancelled; mailbox jobs stop between two write batches',
      },
    ]);
    return runView((await this.runs.get(actor.tenantId, run.id))!);
  }

  /**
   * Starts a run (or merges into the list's active one) and answers with its id at once; the
   * plan-run job resumes that run. Previews never merge: each gets its own run.
   */
  async trigger(
    actor: Actor,
    listId: string,
    mode: Extract<RunMode, 'sync' | 'dry_run'>,
    kind: ListKind = 'contacts',
  ): Promise<TriggerResult> {
    const list = await this.lists.get(actor.tenantId, listId, kind);
    if (!list.enabled) throw new Conflict('the list is disabled: enable it first');
    const { runId, merged } = await this.requestRun.execute({
      tenantId: actor.tenantId,
      listId: list.id,
      listKind: kind,
      trigger: actor.type === 'api_token' ? 'api' : 'manual',
      mode,
    });
    await this.unitOfWork.run((tx) =>
      tx.audit.record(actor, mode === 'sync' ? 'run.sync_now' : 'run.preview', {
        type: kind === 'calendar' ? 'calendar_list' : 'contact_list',
        id: list.id,
      }),
    );
    return { runId, status: merged ? 'merged' : 'started' };
  }
}
