import type { SyncRunStatus } from '@app/persistence';
import { RunCancellation } from './run-cancellation';

describe('RunCancellation', () => {
  it('reads the run status once per moment for all jobs, and sees a cancel after it', async () => {
    let now = 1_000;
    let status: SyncRunStatus = 'running';
    const reads: string[] = [];
    const cancellation = new RunCancellation(
      async (runId) => {
        reads.push(runId);
        return status;
      },
      500,
      () => now,
    );
    const answers = await Promise.all([1, 2, 3].map(() => cancellation.isCancelled('r1')));
    expect(answers).toEqual([false, false, false]);
    expect(reads).toEqual(['r1']);
    status = 'cancelled';
    now += 499;
    expect(await cancellation.isCancelled('r1')).toBe(false); // still the moment's answer
    now += 1;
    expect(await cancellation.isCancelled('r1')).toBe(true);
    expect(await cancellation.isCancelled('r2')).toBe(true);
    expect(reads).toEqual(['r1', 'r1', 'r2']);
  });

  it('reads afresh when asked between write batches, and shares that answer with the next job start', async () => {
    let status: SyncRunStatus = 'running';
    let reads = 0;
    const cancellation = new RunCancellation(
      async () => {
        reads++;
        return status;
      },
      500,
      () => 1_000,
    );
    expect(await cancellation.isCancelled('r')).toBe(false);
    status = 'cancelled';
    expect(await cancellation.isCancelled('r')).toBe(false); // the moment's answer
    expect(await cancellation.isCancelled('r', { fresh: true })).toBe(true);
    expect(await cancellation.isCancelled('r')).toBe(true);
    expect(reads).toBe(2);
  });

  it('treats an unknown or otherwise ended run as not cancelled', async () => {
    const ended = new RunCancellation(async () => 'partial');
    expect(await ended.isCancelled('r')).toBe(false);
    const unknown = new RunCancellation(async () => undefined);
    expect(await unknown.isCancelled('r')).toBe(false);
  });
});
