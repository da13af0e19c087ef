import type { ListKind } from '@app/persistence';
import type { RunMode, RunTrigger, SyncQueues } from '@app/queue';
import type { RunLedger } from './run-ledger';
import type { RunSweep } from './run-sweep';

export interface RequestedRun {
  runId: string;
  /** A run of the list was already active: this request merged into it. */
  merged: boolean;
}

/**
 * "Sync now" and previews from the API: the run row is created here, so the caller gets its id
 * at once (or the id of the active run it merged into), and the plan-run job resumes that run.
 */
export class RequestRunUseCase {
  constructor(
    private readonly ledger: RunLedger,
    private readonly queues: SyncQueues,
    private readonly options: { runDeadlineMinutes: number },
    private readonly sweep?: RunSweep,
  ) {}

  async execute(input: {
    tenantId: string;
    listId: string;
    listKind?: ListKind;
    trigger: RunTrigger;
    mode: RunMode;
  }): Promise<RequestedRun> {
    const start = () =>
      this.ledger.start({
        tenantId: input.tenantId,
        listId: input.listId,
        listKind: input.listKind ?? 'contacts',
        trigger: input.trigger,
        mode: input.mode,
        deadlineAt: new Date(Date.now() + this.options.runDeadlineMinutes * 60_000),
      });
    let { run, merged } = await start();
    // Never merge into a run no live job serves (Redis lost them): close it and start anew.
    if (merged && this.sweep && !(await this.sweep.isServed(run))) {
      await this.sweep.closeLost(run);
      ({ run, merged } = await start());
    }
    if (!merged) {
      await this.queues.triggerRun({
        tenantId: input.tenantId,
        listId: input.listId,
        ...(input.listKind === 'calendar' ? { listKind: 'calendar' as const } : {}),
        trigger: input.trigger,
        mode: input.mode,
        runId: run.id,
      });
    }
    return { runId: run.id, merged };
  }
}
