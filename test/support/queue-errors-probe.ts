// A process holding SyncQueues on the Redis its argument names, for test/queue-connection-errors:
// one JSON line per Nest log entry, per 'uncaughtException' or 'unhandledRejection' it sees,
// and once its queues are connected ('ready'). SIGTERM ends it (exit 0).
import { createRedisClient, SyncQueues } from '@app/queue';
import { Logger, type LoggerService } from '@nestjs/common';

const write = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line)}\n`);
const entry =
  (level: string) =>
  (message: unknown, ...params: unknown[]) =>
    write({ kind: 'log', level, message, params });
const capture: LoggerService = {
  log: entry('log'),
  error: entry('error'),
  warn: entry('warn'),
  debug: entry('debug'),
  verbose: entry('verbose'),
  fatal: entry('fatal'),
};
Logger.overrideLogger(capture);
process.on('uncaughtException', (error) =>
  write({ kind: 'uncaughtException', message: String(error) }),
);
process.on('unhandledRejection', (reason) =>
  write({ kind: 'unhandledRejection', message: String(reason) }),
);
process.once('SIGTERM', () => process.exit(0));

async function main(): Promise<void> {
  const connection = createRedisClient(process.argv[2], {
    maxRetriesPerRequest: null,
    enableOfflineQueue: true,
  });
  const queues = new SyncQueues(connection, `probe-${process.pid}:`);
  await Promise.all(
    [
      queues.planRun,
      queues.syncMailbox,
      queues.finishRun,
      queues.importCsv,
      queues.advanceCleanup,
      queues.stripeEvent,
    ].map((q) => q.waitUntilReady()),
  );
  write({ kind: 'ready' });
}

main().catch((error) => {
  write({ kind: 'failed', message: String(error) });
  process.exit(1);
});
