import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import type { OpenAPIObject } from '@nestjs/swagger';
import { DASHBOARD_CLIENT_FILE, dashboardClientSource } from './dashboard-client-source';
import { openApiDocument } from './openapi-document';

/**
 * `npm run dashboard:client`: regenerates apps/dashboard/src/api/admin-api.d.ts from the
 * controllers. `--check` writes nothing and exits 1 when the committed file is not what the
 * document generates (CI: test/dashboard-client-current.e2e-spec.ts); `--from <openapi.json>`
 * reads a document from a file instead of the controllers.
 */
async function main(argv: string[]): Promise<number> {
  const from = argv.indexOf('--from');
  const doc =
    from >= 0
      ? (JSON.parse(readFileSync(argv[from + 1], 'utf8')) as OpenAPIObject)
      : await openApiDocument();
  const source = await dashboardClientSource(doc);
  const file = relative(process.cwd(), DASHBOARD_CLIENT_FILE);
  if (argv.includes('--check')) {
    let committed = '';
    try {
      committed = readFileSync(DASHBOARD_CLIENT_FILE, 'utf8');
    } catch {
      /* missing: stale */
    }
    if (committed === source) {
      process.stdout.write(`${file} is current\n`);
      return 0;
    }
    process.stderr.write(
      `${file} is stale: the admin API's OpenAPI document changed. Run \`npm run dashboard:client\` and commit it.\n`,
    );
    return 1;
  }
  mkdirSync(dirname(DASHBOARD_CLIENT_FILE), { recursive: true });
  writeFileSync(DASHBOARD_CLIENT_FILE, source);
  process.stdout.write(`wrote ${file}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`dashboard client generation failed: ${error.stack ?? error.message}\n`);
    process.exit(2);
  },
);
