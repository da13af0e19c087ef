import type { OpenAPIObject } from '@nestjs/swagger';
import { join } from 'node:path';

/** Where the dashboard's generated API types live (committed; a test fails when they are stale). */
export const DASHBOARD_CLIENT_FILE = join(
  __dirname,
  '..',
  '..',
  '..',
  'dashboard',
  'src',
  'api',
  'admin-api.d.ts',
);

const HEADER =
  "// Generated from the admin API's OpenAPI document by `npm run dashboard:client`: do not edit.\n" +
  '// test/dashboard-client-current.e2e-spec.ts fails when this file is not current.\n\n';

/** The TypeScript types of the admin API (paths, operations, schemas) for openapi-fetch. */
export async function dashboardClientSource(doc: OpenAPIObject): Promise<string> {
  const { default: openapiTS, astToString } = await import('openapi-typescript');
  const ast = await openapiTS(doc as unknown as Parameters<typeof openapiTS>[0], {
    alphabetize: true,
  });
  return HEADER + astToString(ast);
}
