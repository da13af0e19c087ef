// Runs ESLint's Node API outside Jest (Jest's VM cannot load the ESM eslint.config.mjs) and
// prints one JSON report: the messages of each boundary fixture, linted as if it sat at the path
// its first line names (`// lint-as: libs/domain/src/x.ts`), and the errors of the real code.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { URL, fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';

const root = fileURLToPath(new URL('../..', import.meta.url));
const fixturesDir = join(root, 'test/lint-fixtures');
const eslint = new ESLint({ cwd: root });

const fixtures = {};
for (const name of readdirSync(fixturesDir)
  .filter((f) => f.endsWith('.fixture'))
  .sort()) {
  const code = readFileSync(join(fixturesDir, name), 'utf8');
  const lintAs = /^\/\/ lint-as: (\S+)/.exec(code)?.[1];
  if (!lintAs) throw new Error(`${name}: the first line must be // lint-as: <path>`);
  const [result] = await eslint.lintText(code, { filePath: join(root, lintAs) });
  fixtures[name] = {
    lintAs,
    messages: result.messages.map(({ ruleId, message, line }) => ({ ruleId, message, line })),
  };
}

const code = (await eslint.lintFiles(['.']))
  .filter((r) => r.errorCount > 0)
  .map((r) => ({
    file: r.filePath.slice(root.length),
    messages: r.messages.map(({ ruleId, message, line }) => ({ ruleId, message, line })),
  }));

process.stdout.write(JSON.stringify({ fixtures, code }));
