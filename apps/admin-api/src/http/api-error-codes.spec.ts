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
