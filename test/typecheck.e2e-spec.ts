import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

// Type-level checks (a misordered provider, a processor bound to the wrong payload) are
// `@ts-expect-error` lines: they hold only if the whole project type-checks, so CI runs tsc.
it.each([
  ['the project', 'tsconfig.json'],
  ['the dashboard', 'apps/dashboard/tsconfig.json'],
])(
  '%s type-checks (tsc --noEmit)',
  async (_name, project) => {
    const root = join(__dirname, '..');
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    const result = await promisify(execFile)(process.execPath, [tsc, '-p', project, '--noEmit'], {
      cwd: root,
      maxBuffer: 16 * 1024 * 1024,
    }).then(
      () => ({ code: 0, output: '' }),
      (error: { code?: number; stdout?: string }) => ({
        code: error.code ?? 1,
        output: error.stdout ?? '',
      }),
    );
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  },
  180_000,
);
