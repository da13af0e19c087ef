import type { LogStore } from '@app/logstore';
import type { FinishRunPayload } from '@app/queue';
import type { RunLedger } from './run-ledger';

/** At a run's deadline: close it if mailboxes are still outstanding, so the list can run again. */
export class FinishRunUseCase {
  constructor(
    private readonly ledger: RunLedger,
    private readonly logStore: LogStore,
  ) {}

  async execute(payload: FinishRunPayload): Promise<boolean> {
    const closed = await this.ledger.closeAtDeadline(payload.runId);
    if (closed) {
      await this.logStore.appendLogs(payload.tenantId, [
        {
          runId: payload.runId,
          level: 'warn',
          code: 'DEADLINE_EXCEEDED',
          message: 'the run reached its deadline; outstanding mailboxes continue in the next run',
        },
      ]);
    }
    return closed;
  }
}
