import { loadConfig } from '@app/config';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OpenAPIObject } from '@nestjs/swagger';
import { buildOpenApi, createAdminApp } from '../admin-app';

/**
 * The admin API's OpenAPI document without a running server: the app's module graph is built in
 * Nest's preview mode (no provider instantiated), so no database, Redis or Microsoft endpoint is
 * contacted. The dashboard's typed client is generated from it, billing routes included.
 */
export async function openApiDocument(): Promise<OpenAPIObject> {
  const dir = mkdtempSync(join(tmpdir(), 'openapi-'));
  try {
    const { config } = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATA_DIR: dir,
      DATABASE_URL: `sqlite:${join(dir, 'app.db')}`,
      ENCRYPTION_KEYS: `doc:${Buffer.alloc(32, 1).toString('base64')}`,
      MIGRATIONS_RUN_ON_START: 'false',
      // Billing's routes exist only where Stripe is configured; the dashboard's client needs
      // their types anyway (it hides billing on a 404). Placeholders: preview mode calls nothing.
      STRIPE_SECRET_KEY: 'sk_test_OpenApiDocumentOnly',
      STRIPE_WEBHOOK_SECRETS: 'whsec_OpenApiDocumentOnly',
      STRIPE_SEAT_PRICE_ID: 'price_OpenApiDocumentOnly',
    });
    const app = await createAdminApp(config, { logger: false, preview: true });
    try {
      return buildOpenApi(app);
    } finally {
      await app.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
