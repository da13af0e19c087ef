import { adminApiConfigProblems, loadConfigOrExit } from '@app/config';
import { runService, serveMetrics } from '@app/runtime';
import { Logger } from 'nestjs-pino';
import { createAdminApp } from './admin-app';

runService('admin-api', async () => {
  const config = loadConfigOrExit(adminApiConfigProblems);
  const app = await createAdminApp(config, { bufferLogs: true });
  const logger = app.get(Logger);
  app.useLogger(logger);
  let stopMetrics: (() => Promise<void>) | undefined;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      logger.log({ signal }, 'admin-api shutting down');
      setTimeout(() => {
        logger.error({ timeoutMs: config.shutdownTimeoutMs }, 'graceful shutdown timed out');
        process.exit(1);
      }, config.shutdownTimeoutMs).unref();
      Promise.all([stopMetrics?.(), app.close()]).then(
        () => {
          logger.log('admin-api stopped');
          process.exit(0);
        },
        (error: Error) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
  await app.listen(config.api.port, config.api.host);
  if (config.metrics.apiPort)
    stopMetrics = await serveMetrics(app, logger, config.metrics.host, config.metrics.apiPort);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.api.port;
  logger.log(
    { port, host: config.api.host },
    `admin-api listening on http://${config.api.host}:${port}`,
  );
});
