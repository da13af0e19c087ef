import { loadConfigOrExit } from '@app/config';
import { runService, startHttpService } from '@app/runtime';
import { WorkerModule } from './worker.module';

runService('worker', async () => {
  const config = loadConfigOrExit();
  await startHttpService({
    name: 'worker',
    module: WorkerModule.forRoot(config),
    config,
    port: config.worker.healthPort,
    host: config.worker.host,
    metricsPort: config.metrics.workerPort,
  });
});
