import { LOG_STORE, type LogStore } from '@app/logstore';
import { SyncRunRepository } from '@app/persistence';
import { previewKey, type PreviewChange } from '@app/sync';
import { Inject, Injectable } from '@nestjs/common';
import { Conflict, NotFound } from './validation';

/** One mailbox of a preview: what the next run does there (counts, and a sample of the changes). */
export interface MailboxPreviewView {
  mailboxId: string;
  /** DRY_RUN_PLAN when planned; otherwise why the mailbox has no plan (skipped, failed). */
  code: string | null;
  message: string;
  counts: { created: number; updated: number; deleted: number } | null;
  changes: PreviewChange[];
  /** More changes than the sample holds (the counts cover them all). */
  truncated: boolean;
}

export interface RunPreviewView {
  runId: string;
  listId: string;
  status: string;
  finished: boolean;
  /** Totals over every mailbox. */
  items: { created: number; updated: number; deleted: number };
  mailboxes: { items: MailboxPreviewView[]; total: number };
}

/** A preview's result per mailbox. Reads only: a GET never changes anything. */
@Injectable()
export class RunPreviewService {
  constructor(
    @Inject(SyncRunRepository) private readonly runs: SyncRunRepository,
    @Inject(LOG_STORE) private readonly logStore: LogStore,
  ) {}

  async get(
    tenantId: string,
    runId: string,
    page: { limit: number; offset: number },
  ): Promise<RunPreviewView> {
    const run = await this.runs.get(tenantId, runId.toLowerCase());
    if (!run) throw new NotFound('run');
    if (run.mode !== 'dry_run') throw new Conflict('the run is not a preview');
    const outcomes = await this.logStore.mailboxOutcomes(tenantId, run.id);
    const items = await Promise.all(
      outcomes.slice(page.offset, page.offset + page.limit).map(async (o) => {
        const snapshot = await this.logStore.getSnapshot(
          tenantId,
          previewKey(run.listId, run.id, o.mailboxId),
        );
        const stored = snapshot?.items[0]?.content as
          (Pick<MailboxPreviewView, 'counts' | 'changes' | 'truncated'> & object) | undefined;
        return {
          mailboxId: o.mailboxId,
          code: o.lastCode ?? null,
          message: o.lastMessage,
          counts: stored?.counts ?? null,
          changes: stored?.changes ?? [],
          truncated: stored?.truncated ?? false,
        };
      }),
    );
    return {
      runId: run.id,
      listId: run.listId,
      status: run.status,
      finished: run.finishedAt !== null,
      items: { created: run.itemsCreated, updated: run.itemsUpdated, deleted: run.itemsDeleted },
      mailboxes: { items, total: outcomes.length },
    };
  }
}
