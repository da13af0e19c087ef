import type { AppConfig } from '@app/config';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { AdminApiModule } from './admin-api.module';

/**
 * The OpenAPI document of the admin API, generated from the controllers. Version 3.1, because the
 * request schemas are JSON Schema 2020-12 (generated from the zod validators), which 3.0 is not.
 */
export function buildOpenApi(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('Contact Sync Fleet admin API')
    .setDescription(
      'Tenant-scoped administration: sign-in with Microsoft, onboarding, contact lists, targets, schedules, runs, API tokens, audit log. ' +
        'Browser sessions send X-CSRF-Token (from GET /api/auth/me) on every state-changing request; scripts use Authorization: Bearer <API token>.',
    )
    .setVersion('1')
    .addCookieAuth('cs_session')
    .addBearerAuth()
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** Body limits, trust of the ingress proxy and the OpenAPI document at /api/docs (JSON at /api/docs-json). */
export function configureAdminApp(app: NestExpressApplication, config: AppConfig): void {
  app.useBodyParser('json', { limit: '256kb' });
  app.set('trust proxy', config.admin.publicUrl ? 1 : false);
  app.disable('x-powered-by');
  SwaggerModule.setup('api/docs', app, () => buildOpenApi(app), {
    jsonDocumentUrl: 'api/docs-json',
  });
}

export async function createAdminApp(
  config: AppConfig,
  options: { logger?: false; bufferLogs?: boolean; autoFlushLogs?: boolean } = {},
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AdminApiModule.forRoot(config), {
    rawBody: true, // Stripe webhook signatures are computed over the raw body
    ...options,
  });
  configureAdminApp(app, config);
  return app;
}
