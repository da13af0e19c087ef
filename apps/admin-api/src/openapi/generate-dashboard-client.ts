import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { DASHBOARD_CLIENT_FILE, dashboardClientSource } from './dashboard-client-source';
import { openApiDocument } from './openapi-document';

/** `npm run dashboard:client`: regenerates apps/dashboard/src/api/admin-api.d.ts from the controllers. */
async function main(): Promise<void> {
  const source = await dashboardClientSource(await openApiDocument());
  mkdirSync(dirname(DASHBOARD_CLIENT_FILE), { recursive: true });
  writeFileSync(DASHBOARD_CLIENT_FILE, source);
  process.stdout.write(`wrote ${relative(process.cwd(), DASHBOARD_CLIENT_FILE)}\n`);
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    process.stderr.write(`dashboard client generation failed: ${error.stack ?? error.message}\n`);
    process.exit(1);
  },
);
