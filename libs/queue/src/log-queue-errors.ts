import type { Logger } from '@nestjs/common';

/** What BullMQ's queues and workers share for this: they emit 'error'. */
interface ErrorEmitter {
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/**
 * Logs what a BullMQ queue or worker emits as 'error' (its Redis connection dropping, Redis
 * restarting, a command failing) as a warning naming the queue: BullMQ reconnects by itself.
 * Without a listener BullMQ drops connection errors and prints others with console.error, out
 * of the structured log and without the queue's name. The message and code only: never the
 * error object, whose command arguments may hold a job's data.
 */
export function logQueueErrors(
  emitter: ErrorEmitter,
  queue: string,
  role: 'queue' | 'worker',
  logger: Logger,
): void {
  emitter.on('error', (error: Error) => {
    const code = (error as { code?: unknown }).code;
    logger.warn(
      { queue, role, ...(typeof code === 'string' ? { code } : {}) },
      `queue ${queue}: ${role} connection error: ${error.message}`,
    );
  });
}
