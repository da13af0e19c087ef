/** The job cannot go on now but will later (lock held, tenant at its cap, throttled): retry in `delayMs`, never fail. */
export class RescheduleError extends Error {
  readonly code = 'RESCHEDULE';

  constructor(
    readonly delayMs: number,
    readonly reason: string,
  ) {
    super(`rescheduled in ${delayMs} ms: ${reason}`);
  }
}
