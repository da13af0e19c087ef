import type { Clock } from './clock';

/** A clock that only moves when told to; for tests. */
export class ManualClock implements Clock {
  private current: number;

  constructor(start: Date = new Date('2025-01-01T00:00:00Z')) {
    this.current = start.getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  advanceDays(days: number): void {
    this.current += days * 86_400_000;
  }

  advanceMs(ms: number): void {
    this.current += ms;
  }
}
