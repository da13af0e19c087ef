import type { AppConfig } from '@app/config';
import { PrometheusMetrics, startMetricsServer } from '@app/metrics';
import type { DynamicModule, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';

export interface HttpServiceOptions {
  name: string;
  module: DynamicModule;
  config: AppConfig;
  port: number;
  host: string;
  rawBody?: boolean;
  /** Serve the module's metrics (MetricsModule) on this port of config.metrics.host; 0: off. */
  metricsPort?: number;
}

/**
 * Boots a Nest HTTP service with pino logs and graceful shutdown: on SIGTERM/SIGINT it stops
 * accepting connections, lets shutdown hooks close queues and the database, and exits 0;
 * a shutdown that takes longer than SHUTDOWN_TIMEOUT_MS is cut short with exit code 1.
 */
export async function startHttpService(options: HttpServiceOptions): Promise<INestApplication> {
  const app = await NestFactory.create(options.module, {
    bufferLogs: true,
    rawBody: options.rawBody,
  });
  const logger = app.get(Logger);
  app.useLogger(logger);
  let stopMetrics: (() => Promise<void>) | undefined;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      logger.log({ signal }, `${options.name} shutting down`);
      setTimeout(() => {
        logger.error(
          { timeoutMs: options.config.shutdownTimeoutMs },
          'graceful shutdown timed out',
        );
        process.exit(1);
      }, options.config.shutdownTimeoutMs).unref();
      // close() stops the HTTP server and runs every module's shutdown hook (queues, database).
      Promise.all([stopMetrics?.(), app.close()]).then(
        () => {
          logger.log(`${options.name} stopped`);
          process.exit(0);
        },
        (error: Error) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
  await app.listen(options.port, options.host);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  logger.log(
    { port, host: options.host },
    `${options.name} listening on http://${options.host}:${port}`,
  );
  if (options.metricsPort)
    stopMetrics = await serveMetrics(app, logger, options.config.metrics.host, options.metricsPort);
  return app;
}

/**
 * The process's /metrics on a listener of its own (never the public port). Logs "metrics on",
 * not "listening on": the latter announces the service's own port.
 */
export async function serveMetrics(
  app: INestApplication,
  logger: Logger,
  host: string,
  port: number,
): Promise<() => Promise<void>> {
  const server = await startMetricsServer(app.get(PrometheusMetrics), { host, port });
  logger.log({ port: server.port, host }, `metrics on http://${host}:${server.port}/metrics`);
  return () => server.close();
}
