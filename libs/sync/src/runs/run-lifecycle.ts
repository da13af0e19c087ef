import { CodedError } from '@app/domain';
import type { SyncRunStatus } from '@app/persistence';

/** Who changes a run's status: the planner, the finisher (last mailbox or deadline), the sweeper, a cancel. */
export type RunActor = 'planner' | 'finisher' | 'sweeper' | 'cancel';

const ACTIVE: readonly SyncRunStatus[] = ['queued', 'running'];

/** to-status → from-statuses, per actor. A run that has ended never changes again. */
const TRANSITIONS: Record<RunActor, Partial<Record<SyncRunStatus, readonly SyncRunStatus[]>>> = {
  // Plans the run (queued → running), or ends it when it cannot go on (consent lost, sources unreadable).
  planner: { running: ['queued'], failed: ACTIVE, succeeded: ['running'] },
  // The last mailbox to report, or the deadline job, closes the run.
  finisher: { succeeded: ['running'], partial: ACTIVE, failed: ACTIVE },
  // The sweep closes a run no job serves any more, or one past its deadline.
  sweeper: { partial: ACTIVE, failed: ACTIVE },
  cancel: { cancelled: ACTIVE },
};

/**
 * The one statement of a sync run's lifecycle: queued → running → succeeded | partial | failed,
 * or cancelled while active. The ledger's SQL guards (status IN active) enforce it in the
 * database (run-lifecycle.int-spec.ts checks every ledger call against it); this class is what
 * callers ask before they try.
 */
export class RunLifecycle {
  static readonly ACTIVE = ACTIVE;

  static isActive(status: SyncRunStatus): boolean {
    return ACTIVE.includes(status);
  }

  static allows(actor: RunActor, from: SyncRunStatus, to: SyncRunStatus): boolean {
    return TRANSITIONS[actor][to]?.includes(from) ?? false;
  }

  /** Throws RUN_TRANSITION_REFUSED for a transition the lifecycle forbids. */
  static assert(actor: RunActor, from: SyncRunStatus, to: SyncRunStatus): void {
    if (!RunLifecycle.allows(actor, from, to))
      throw new CodedError(
        'RUN_TRANSITION_REFUSED',
        `RUN_TRANSITION_REFUSED: the ${actor} may not move a run from ${from} to ${to}`,
        { details: { actor, from, to } },
      );
  }
}
