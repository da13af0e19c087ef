import type { LogStore } from '@app/logstore';
import type { MailboxStateEntity, MailboxStateRepository } from '@app/persistence';
import type { SyncMailboxPayload } from '@app/queue';
import type { MailboxCounts, RunLedger } from '../runs/run-ledger';
import { previewKey } from '../runs/snapshot-key';
import type { ItemKindTypes } from './item-kind-types';
import type { MailboxJob } from './mailbox-job';
import type { MailboxResult } from './mailbox-result';

/**
 * Records a mailbox job's outcome once: the mailbox's state, its count in the run (one UPDATE
 * with the claim that counts it) and one log entry — the entry the run history shows.
 */
export class MailboxOutcomeRecorder {
  constructor(
    private readonly ledger: RunLedger,
    private readonly states: MailboxStateRepository,
    private readonly logStore: LogStore,
  ) {}

  async record(
    payload: SyncMailboxPayload,
    state: MailboxStateEntity,
    result: MailboxResult,
    unsaved: Partial<MailboxStateEntity> = {},
    /** Of `result.counts`, what the attempt saved as progress already (the ledger adds it). */
    saved: MailboxCounts = { created: 0, updated: 0, deleted: 0 },
  ): Promise<MailboxResult> {
    if (payload.mode === 'dry_run' && result.preview) {
      // The sample names contacts: kept as a snapshot (encrypted at rest), never in a log line;
      // written before the mailbox counts in the run, so a finished preview has every sample.
      await this.logStore.putSnapshot(
        payload.tenantId,
        previewKey(payload.listId, payload.runId, payload.mailboxId),
        {
          runId: payload.runId,
          items: [
            {
              sourceKey: payload.mailboxId,
              contentHash: 'preview',
              content: { counts: result.counts, ...result.preview },
            },
          ],
        },
      );
    }
    const status =
      result.outcome === 'failed'
        ? 'failed'
        : result.outcome === 'cancelled'
          ? 'pending'
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
    const code = result.code ?? (result.outcome === 'succeeded' ? 'MAILBOX_SYNCED' : undefined);
    // The run history shows the mailbox's counts over all the run's attempts.
    const describe = (counts: MailboxCounts) =>
      result.message ??
      `${payload.mode === 'dry_run' ? 'would change' : 'changed'}: ${counts.created} created, ${counts.updated} updated, ${counts.deleted} deleted`;
    const fresh: MailboxCounts = {
      created: result.counts.created - saved.created,
      updated: result.counts.updated - saved.updated,
      deleted: result.counts.deleted - saved.deleted,
    };
    // The mailbox's state is saved with the claim that counts it in the run, in one UPDATE
    // (a no-op sync is mostly these statements); a mailbox counted already is saved alone.
    const recorded = await this.ledger.recordMailbox(
      {
        runId: payload.runId,
        tenantId: payload.tenantId,
        listId: payload.listId,
        mailboxId: payload.mailboxId,
        mode: payload.mode,
        outcome: result.outcome,
        counts: fresh,
        code,
        message: describe,
      },
      changes,
    );
    const { counted } = recorded;
    if (recorded.counts) result = { ...result, counts: recorded.counts };
    const message = describe(result.counts);
    if (changes) {
      if (counted) Object.assign(state, changes);
      else await this.saveState(state, changes);
      if (payload.mode === 'cleanup' && result.outcome === 'succeeded') {
        await this.states.delete(state.id);
      }
    }
    const level =
      result.outcome === 'failed'
        ? 'error'
        : result.outcome === 'skipped' || result.outcome === 'cancelled'
          ? 'warn'
          : 'info';
    await this.logStore.appendLogs(payload.tenantId, [
      {
        runId: payload.runId,
        mailboxId: payload.mailboxId,
        level,
        code,
        message,
      },
    ]);
    return result;
  }

  /**
   * Saves state changes with what the attempt wrote since it last saved (its counts so far
   * minus `job.savedCounts`) as the mailbox's progress in the run, in one UPDATE.
   */
  async saveProgress(
    job: Pick<MailboxJob<ItemKindTypes>, 'payload' | 'state' | 'savedCounts'>,
    changes: Partial<MailboxStateEntity>,
    counts: MailboxCounts,
  ): Promise<void> {
    const { payload, state } = job;
    const delta: MailboxCounts = {
      created: counts.created - job.savedCounts.created,
      updated: counts.updated - job.savedCounts.updated,
      deleted: counts.deleted - job.savedCounts.deleted,
    };
    Object.assign(state, changes);
    await this.states.updateWithProgress(state.id, changes, payload.runId, delta);
    job.savedCounts = { ...counts };
  }

  /** Saves state changes now and keeps the entity in step. */
  async saveState(state: MailboxStateEntity, changes: Partial<MailboxStateEntity>): Promise<void> {
    Object.assign(state, changes);
    await this.states.update(state.id, changes);
  }
}
