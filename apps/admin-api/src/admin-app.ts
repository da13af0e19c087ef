import type { AppConfig } from '@app/config';
import type { Clock } from '@app/logstore';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { AdminApiModule } from './admin-api.module';
import { NO_OPERATOR_HEADER } from './auth/principal';
import type { NextFunction, Request, Response } from 'express';
import { dashboardStatic } from './http/dashboard-static';
import { QUEUE_BOARD_PATH, QueueBoard } from './queue-board/queue-board';

const OPERATOR_HEADER = {
  name: 'X-Tenant-Id',
  in: 'header',
  required: false,
  description:
    "MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. " +
    'No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400.',
  schema: { type: 'string', format: 'uuid' },
} as const;

/**
 * X-Tenant-Id on every signed-in operation except those marked as taking none (own-tenant-only
 * routes, the operator's own tenant list), so a new route is documented for operators by default.
 */
function documentOperatorHeader(doc: OpenAPIObject): OpenAPIObject {
  for (const methods of Object.values(doc.paths))
    for (const op of Object.values(methods as Record<string, Record<string, unknown>>)) {
      if (typeof op !== 'object' || !op || !Array.isArray(op.security)) continue;
      if (op[NO_OPERATOR_HEADER] === false) continue;
      const params = (op.parameters ??= []) as unknown[];
      params.push({ ...OPERATOR_HEADER });
    }
  return doc;
}

/**
 * The OpenAPI document of the admin API, generated from the controllers. Version 3.1, because the
 * request schemas are JSON Schema 2020-12 (generated from the zod validators), which 3.0 is not.
 */
export function buildOpenApi(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('Contact Sync Fleet admin API')
    .setDescription(
      'Tenant-scoped administration: sign-in with Microsoft, onboarding, contact lists, targets, schedules, runs, API tokens, MSP operators, audit log. ' +
        'Browser sessions send X-CSRF-Token (from GET /api/auth/me) on every state-changing request; scripts use Authorization: Bearer <API token>. ' +
        'An MSP operator (a user of another organization granted by its admins, POST /api/tenant/operators) signs in, lists the tenants it may manage (GET /api/operator/tenants) and sends X-Tenant-Id on each request.',
    )
    .setVersion('1')
    .addCookieAuth('cs_session')
    .addBearerAuth()
    .build();
  return documentOperatorHeader(SwaggerModule.createDocument(app, config));
}

/** Body limits, trust of the ingress proxy, the OpenAPI document at /api/docs (JSON at /api/docs-json) and the dashboard at /. */
export function configureAdminApp(app: NestExpressApplication, config: AppConfig): void {
  app.useBodyParser('json', { limit: '256kb' });
  app.set('trust proxy', config.admin.publicUrl ? 1 : false);
  app.disable('x-powered-by');
  SwaggerModule.setup('api/docs', app, () => buildOpenApi(app), {
    jsonDocumentUrl: 'api/docs-json',
  });
  // Bull Board for the installation's operators (OPERATOR_TOKEN), before the dashboard's fallback.
  // Resolved per request: the OpenAPI generator builds this app in preview mode, with no providers.
  app.use(QUEUE_BOARD_PATH, (req: Request, res: Response, next: NextFunction) =>
    app.get(QueueBoard).handle(req, res, next),
  );
  // The dashboard (apps/dashboard, built to static files) at `/`; the API stays under /api.
  app.use(dashboardStatic(config.dashboard.distDir));
}

export async function createAdminApp(
  config: AppConfig,
  options: {
    logger?: false;
    bufferLogs?: boolean;
    autoFlushLogs?: boolean;
    clock?: Clock;
    /** Module graph only, no provider instantiated (no database, Redis or Microsoft connection). */
    preview?: boolean;
  } = {},
): Promise<NestExpressApplication> {
  const { clock, ...nestOptions } = options;
  const app = await NestFactory.create<NestExpressApplication>(
    AdminApiModule.forRoot(config, { clock }),
    {
      rawBody: true, // Stripe webhook signatures are computed over the raw body
      ...nestOptions,
    },
  );
  configureAdminApp(app, config);
  return app;
}
