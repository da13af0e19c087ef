import type { LogStore } from '@app/logstore';
import type { MailboxStateEntity, MailboxStateRepository } from '@app/persistence';
import type { SyncMailboxPayload } from '@app/queue';
import type { RunLedger } from '../runs/run-ledger';
import { previewKey } from '../runs/snapshot-key';
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
        await this.states.delete(state.id);
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

  /** Saves state changes now and keeps the entity in step. */
  async saveState(state: MailboxStateEntity, changes: Partial<MailboxStateEntity>): Promise<void> {
    Object.assign(state, changes);
    await this.states.update(state.id, changes);
  }
}
