import { ERROR_CODE_PATTERN } from '@app/domain';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { API_ERROR_CODES } from './api-error-codes';
import { apiErrorTable } from './api-error-table';

const ROOT = join(__dirname, '../../../..');
const DOC = readFileSync(join(ROOT, 'docs/errors.md'), 'utf8');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sources(path);
    return /\.ts$/.test(name) && !/\.(spec|int-spec|e2e-spec)\.ts$/.test(name) ? [path] : [];
  });
}

describe('error codes', () => {
  it('docs/errors.md holds the API table exactly as API_ERROR_CODES says', () => {
    // On failure, paste apiErrorTable()'s output into docs/errors.md (prettier may align it).
    const rows = (table: string) =>
      table
        .split('\n')
        .map((line) => line.split('|').map((cell) => cell.trim()))
        .filter((cells) => /^`[a-z_0-9]+`$/.test(cells[1] ?? '') && /^\d{3}$/.test(cells[2] ?? ''))
        .map((cells) => cells.slice(1, 4).join(' | '));
    const section = DOC.slice(DOC.indexOf('## API error codes'), DOC.indexOf('## Internal codes'));
    expect(rows(section)).toEqual(rows(apiErrorTable()));
  });

  it("docs/errors.md lists every code POST /api/ews/test answers, in the test's own casing", () => {
    const ews = join(ROOT, 'libs/microsoft/src/ews');
    const test = readFileSync(join(ews, 'ews-connection-test.ts'), 'utf8');
    const mapped = readFileSync(join(ews, 'ews-mailbox-error.ts'), 'utf8');
    const codes = new Set([
      ...[...test.matchAll(/\bcode: '([a-z_]+)'/g)].map((m) => m[1]!),
      ...[...mapped.matchAll(/new MicrosoftError\(\s*'([A-Z_]+)'/g)].map((m) =>
        m[1]!.toLowerCase(),
      ),
    ]);
    expect(codes).toContain('ews_https_required');
    expect(codes).toContain('ews_sign_in_failed');
    const start = DOC.indexOf('## EWS connection test results');
    expect(start).toBeGreaterThan(0);
    const next = DOC.indexOf('\n## ', start + 1);
    const section = DOC.slice(start, next < 0 ? undefined : next);
    const listed = new Set([...section.matchAll(/^\| `([a-z_]+)`/gm)].map((m) => m[1]!));
    expect([...codes].filter((c) => !listed.has(c)).sort()).toEqual([]);
  });

  it('every API code is in the one casing', () => {
    for (const code of Object.keys(API_ERROR_CODES)) expect(code).toMatch(ERROR_CODE_PATTERN);
  });

  it('every code the API code writes by hand or raises as a CodedError is documented', () => {
    const files = [...sources(join(ROOT, 'apps/admin-api/src')), ...sources(join(ROOT, 'libs'))];
    const found = new Map<string, string>();
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/new (?:CodedError|Forbidden)\(\s*'([^']+)'/g))
        found.set(m[1]!, file);
      if (file.includes('apps/admin-api/'))
        for (const m of text.matchAll(/\berror: '([^']+)'/g)) found.set(m[1]!, file);
    }
    expect(found.size).toBeGreaterThan(10);
    const undocumented = [...found].filter(([code]) => !DOC.includes(`\`${code}\``));
    expect(undocumented).toEqual([]);
  });
});
