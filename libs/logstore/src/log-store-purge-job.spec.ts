import { Logger } from '@nestjs/common';
import { LogStorePurgeJob } from './log-store-purge-job';
import { ManualClock } from './manual-clock';
import type { PurgeResult } from './purge-result';

const none: PurgeResult = { logs: 0, snapshots: 0, mapChunks: 0 };

describe('LogStorePurgeJob', () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterEach(() => jest.useRealTimers());

  it('purges every minute with the injected clock', async () => {
    jest.useFakeTimers();
    const clock = new ManualClock(new Date('2025-03-01T00:00:00Z'));
    const purgeExpired = jest.fn(async () => none);
    const job = new LogStorePurgeJob({ purgeExpired }, clock);
    job.start();
    job.start(); // idempotent
    expect(job.started).toBe(true);
    await jest.advanceTimersByTimeAsync(59_999);
    expect(purgeExpired).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1);
    expect(purgeExpired).toHaveBeenCalledTimes(1);
    expect(purgeExpired).toHaveBeenCalledWith(new Date('2025-03-01T00:00:00Z'));
    await jest.advanceTimersByTimeAsync(120_000);
    expect(purgeExpired).toHaveBeenCalledTimes(3);
    await job.stop();
    await jest.advanceTimersByTimeAsync(600_000);
    expect(purgeExpired).toHaveBeenCalledTimes(3);
    expect(job.started).toBe(false);
  });

  it('never overlaps runs, and stop() waits for the run in progress', async () => {
    let release!: (r: PurgeResult) => void;
    const purgeExpired = jest.fn(() => new Promise<PurgeResult>((resolve) => (release = resolve)));
    const job = new LogStorePurgeJob({ purgeExpired }, new ManualClock());
    const first = job.runOnce();
    expect(await job.runOnce()).toBeUndefined();
    expect(purgeExpired).toHaveBeenCalledTimes(1);
    let stopped = false;
    const stopping = job.stop().then(() => (stopped = true));
    await Promise.resolve();
    expect(stopped).toBe(false);
    release({ logs: 3, snapshots: 0, mapChunks: 0 });
    expect(await first).toEqual({ logs: 3, snapshots: 0, mapChunks: 0 });
    await stopping;
    expect(stopped).toBe(true);
  });

  it('survives a failing run and tries again next time', async () => {
    const purgeExpired = jest
      .fn<Promise<PurgeResult>, [Date]>()
      .mockRejectedValueOnce(new Error('SQLITE_BUSY'))
      .mockResolvedValueOnce(none);
    const job = new LogStorePurgeJob({ purgeExpired }, new ManualClock());
    expect(await job.runOnce()).toBeUndefined();
    expect(await job.runOnce()).toEqual(none);
  });
});
