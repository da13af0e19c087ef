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
const ALLOWED: Record<string, string> = {
};

function sourceFiles(dir: string, keep: (path: string) => boolean): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(path, keep));
    else if (keep(path)) out.push(path);
  }
  return out;
}

describe('no fixed sleeps as waits in tests', () => {
  it('finds literal, constant and computed-constant delays above the limit, and only those', () => {
    const found = findFixedSleeps(
      'sample.ts',
      `const PAUSE = 2 * 1_000;
       const SHORT = 50;
       await new Promise((r) => setTimeout(r, 2_500));
       await new Promise((r) => setTimeout(r, PAUSE));
       await sleep(300);
       await timers.setTimeout(1000);
       await new Promise((r) => setTimeout(r, 200));
       await new Promise((r) => setTimeout(r, SHORT));
       await new Promise((r) => setTimeout(r, Math.max(0, deadline - Date.now())));
       setTimeout(() => reject(new Error('late')), timeoutMs);`,
      LIMIT_MS,
    );
    expect(found.map((f) => [f.line, f.ms])).toEqual([
      [3, 2500],
      [4, 2000],
      [5, 300],
      [6, 1000],
    ]);
  });

  it(`no test in test/** or libs/**/*.int-spec.ts sleeps longer than ${LIMIT_MS} ms`, () => {
    const files = [
      ...sourceFiles(join(ROOT, 'test'), (p) => p.endsWith('.ts') && !p.includes('lint-fixtures')),
      ...sourceFiles(join(ROOT, 'libs'), (p) => p.endsWith('.int-spec.ts')),
    ];
    expect(files.length).toBeGreaterThan(20);
    const offenders = files.flatMap((path) => {
      const rel = relative(ROOT, path).split('\\').join('/');
      if (ALLOWED[rel]) return [];
      return findFixedSleeps(rel, readFileSync(path, 'utf8'), LIMIT_MS).map(
        (f) => `${rel}:${f.line} waits ${f.ms} ms: ${f.text}`,
      );
    });
    expect(offenders).toEqual([]);
  });
});
