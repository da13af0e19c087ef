import { loadConfigOrExit } from '@app/config';
import { runService, startHttpService } from '@app/runtime';
import { AdminApiModule } from './admin-api.module';

runService('admin-api', async () => {
  const config = loadConfigOrExit();
  await startHttpService({
    name: 'admin-api',
    module: AdminApiModule.forRoot(config),
    config,
    port: config.api.port,
    host: config.api.host,
    rawBody: true, // Stripe webhook signatures are computed over the raw body
  });
});
