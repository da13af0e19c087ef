import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { openApiDocument } from '../apps/admin-api/src/openapi/openapi-document';

const ROOT = join(__dirname, '..');

/** The generator's check, as CI runs it (openapi-typescript is loaded by Node, not jest's VM). */
async function check(...args: string[]): Promise<{ code: number; output: string }> {
  return promisify(execFile)(
    process.execPath,
    [
      'scripts/run-ts.js',
      'apps/admin-api/src/openapi/generate-dashboard-client.ts',
      '--check',
      ...args,
    ],
    { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 },
  ).then(
    (r) => ({ code: 0, output: r.stdout + r.stderr }),
    (e: { code?: number; stdout?: string; stderr?: string }) => ({
      code: e.code ?? 1,
      output: `${e.stdout ?? ''}${e.stderr ?? ''}`,
    }),
  );
}

/**
 * Issue #22, acceptance 5: the dashboard's typed client is generated from the admin API's
 * OpenAPI document; CI fails when the document changed and the client was not regenerated
 * (`npm run dashboard:client`), so the UI and the API cannot drift apart.
 */
describe('the dashboard’s generated API client', () => {
  it('is what the current OpenAPI document generates', async () => {
    expect(await check()).toEqual({
      code: 0,
      output: 'apps/dashboard/src/api/admin-api.d.ts is current\n',
    });
  }, 60_000);

  it('is reported stale when a route changes without regenerating it', async () => {
    const doc = await openApiDocument();
    const paths = doc.paths as Record<string, Record<string, unknown>>;
    paths['/api/lists/{id}/targets'].get = {
      ...(paths['/api/lists/{id}/targets'].get as object),
      summary: 'renamed in this test',
    };
    const file = join(mkdtempSync(join(tmpdir(), 'openapi-')), 'openapi.json');
    writeFileSync(file, JSON.stringify(doc));
    const result = await check('--from', file);
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/admin-api\.d\.ts is stale: .*npm run dashboard:client/);
  }, 60_000);
});
