import type { Queue } from 'bullmq';

/**
 * Waits until a queue holds no job that is still to be considered (waiting, delayed,
 * prioritized, active): the positive signal that every job added so far has been processed,
 * after which a test may assert that something did NOT happen.
 */
export async function waitForQueueIdle(queue: Queue, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const counts = await queue.getJobCounts(
      'waiting',
      'delayed',
      'prioritized',
      'active',
      'waiting-children',
      'paused',
    );
    if (Object.values(counts).every((n) => n === 0)) return;
    if (Date.now() > deadline)
      throw new Error(`queue ${queue.name} not idle in ${timeoutMs} ms: ${JSON.stringify(counts)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
