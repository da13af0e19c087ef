import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { findFixedSleeps } from './support/find-fixed-sleeps';

// A test waits for the system by polling a state it can observe (a row, the API, the queue,
// the simulator's stats) with a deadline, or moves the simulator's clock: a fixed sleep is
// either too short on a slow machine (flaky) or too long everywhere (slow).
const LIMIT_MS = 200;
const ROOT = join(__dirname, '..');

/**
 * Files whose long fixed delays are not waits for the system, each with why. Keyed by the
 * path from the repository root.
 */
const ALLOWED: Record<string, string> = {};

function sourceFiles(dir: string, keep: (path: string) => boolean): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    // dependencies, build output (dist/, and the dashboard's dist.* builds)
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('dist.'))
      continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(path, keep));
    else if (keep(path)) out.push(path);
  }
  return out;
}

describe('no fixed sleeps as waits in tests', () => {
  it('finds literal, constant and computed-constant delays above the limit, and only those (not deadlines)', () => {
    const found = findFixedSleeps(
      'sample.ts',
      // The long delays are interpolated so this file itself holds no literal long sleep (a
      // text search would count it); the text the finder reads is the same.
      `const PAUSE = 2 * ${1_000};
       const SHORT = 50;
       await new Promise((r) => setTimeout(r, ${2_500}));
       await new Promise((r) => setTimeout(r, PAUSE));
       await sleep(${300});
       await timers.setTimeout(${1_000});
       await new Promise((r) => setTimeout(r, 200));
       await new Promise((r) => setTimeout(r, SHORT));
       await new Promise((r) => setTimeout(r, Math.max(0, deadline - Date.now())));
       setTimeout(() => reject(new Error('late')), timeoutMs);
       const deadline = setTimeout(() => reject(new Error('no banner')), ${30_000});
       setTimeout(() => { throw new Error('stuck'); }, ${5_000});
       setTimeout(() => { if (done) resolve(); else reject(new Error('x')); }, ${1_000});`,
      LIMIT_MS,
    );
    expect(found.map((f) => [f.line, f.ms])).toEqual([
      [3, 2500],
      [4, 2000],
      [5, 300],
      [6, 1000],
      // resolves on one path: a wait, not only a deadline
      [13, 1000],
    ]);
  });

  it(`no test in test/**, apps/**/test/**, apps/**/src/**/*.spec.ts or libs/**/*.spec.ts sleeps longer than ${LIMIT_MS} ms`, () => {
    const sep = (p: string) => p.split('\\').join('/');
    const files = [
      ...sourceFiles(join(ROOT, 'test'), (p) => p.endsWith('.ts') && !p.includes('lint-fixtures')),
      // apps/**/test/** (any .ts: helpers too) and apps/**/src/**/*.spec.ts (unit and
      // *.int-spec.ts)
      ...sourceFiles(join(ROOT, 'apps'), (p) => {
        const rel = sep(relative(join(ROOT, 'apps'), p));
        return (
          (/(^|\/)test\//.test(rel) && p.endsWith('.ts')) ||
          (/(^|\/)src\//.test(rel) && p.endsWith('.spec.ts'))
        );
      }),
      // libs/**/*.spec.ts, unit and *.int-spec.ts
      ...sourceFiles(join(ROOT, 'libs'), (p) => p.endsWith('.spec.ts')),
    ];
    const count = (prefix: string) =>
      files.filter((f) => sep(relative(ROOT, f)).startsWith(prefix));
    expect(count('test/').length).toBeGreaterThan(20);
    expect(count('apps/m365-sim/test/').length).toBeGreaterThan(5);
    expect(
      count('apps/').filter((f) => f.endsWith('.spec.ts') && f.includes('/src/')).length,
    ).toBeGreaterThan(5);
    expect(count('libs/').filter((f) => !f.endsWith('.int-spec.ts')).length).toBeGreaterThan(5);
    const offenders = files.flatMap((path) => {
      const rel = sep(relative(ROOT, path));
      if (ALLOWED[rel]) return [];
      return findFixedSleeps(rel, readFileSync(path, 'utf8'), LIMIT_MS).map(
        (f) => `${rel}:${f.line} waits ${f.ms} ms: ${f.text}`,
      );
    });
    expect(offenders).toEqual([]);
  });
});
