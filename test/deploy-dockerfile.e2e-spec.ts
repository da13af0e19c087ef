import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// No Docker engine runs here, so the image cannot be built in a test: this parses
// deploy/Dockerfile and .dockerignore and holds the invariants of issue #24's images
// (docs/adr/0039-deployment-images-compose-kubernetes.md).
const ROOT = join(__dirname, '..');

interface Instruction {
  keyword: string;
  args: string;
}
interface Stage {
  from: string;
  name?: string;
  instructions: Instruction[];
}

/** Instructions (continuation lines joined, comments dropped), grouped by stage. */
function parseDockerfile(text: string): Stage[] {
  const logical = text
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const stages: Stage[] = [];
  for (const line of logical) {
    const [, keyword, args] = /^(\S+)\s*(.*)$/.exec(line)!;
    const upper = keyword.toUpperCase();
    if (upper === 'FROM') {
      const [, from, name] = /^(\S+)(?:\s+AS\s+(\S+))?/i.exec(args)!;
      stages.push({ from, name, instructions: [] });
    } else if (stages.length > 0) {
      stages.at(-1)!.instructions.push({ keyword: upper, args });
    }
  }
  return stages;
}

const text = readFileSync(join(ROOT, 'deploy/Dockerfile'), 'utf8');
const stages = parseDockerfile(text);
const build = stages.find((s) => s.name === 'build')!;
const runtime = stages.at(-1)!;
const args = (stage: Stage, keyword: string) =>
  stage.instructions.filter((i) => i.keyword === keyword).map((i) => i.args);
const json = (value: string) => JSON.parse(value) as string[];

describe('deploy/Dockerfile', () => {
  it('is multi-stage: a build stage and a separate runtime stage from the same Node base', () => {
    expect(stages.map((s) => s.name)).toEqual(['build', 'runtime']);
    expect(runtime.from).toBe(build.from);
    expect(text).toMatch(/^ARG NODE_IMAGE=node:20\.\d+-bookworm-slim$/m);
  });

  it('compiles in the build stage: npm run build, the dashboard, better-sqlite3 from source', () => {
    const runs = args(build, 'RUN').join('\n');
    expect(runs).toMatch(/apt-get install .*python3 make g\+\+/);
    expect(runs).toContain('npm ci');
    expect(runs).toContain('npm rebuild better-sqlite3 --build-from-source');
    expect(runs).toContain('npm run build');
    expect(runs).toContain('npm run dashboard:build');
    expect(runs).toContain('npm prune --omit=dev');
  });

  it('has no compiler, package manager or source in the runtime stage', () => {
    const runs = args(runtime, 'RUN').join('\n');
    for (const tool of ['gcc', 'g++', 'make', 'python', 'build-essential', 'npm ci', 'npm install'])
      expect(runs).not.toContain(tool);
    // npm itself is removed: nothing in the runtime installs packages
    expect(runs).toContain('rm -rf /usr/local/lib/node_modules/npm');
    const copies = args(runtime, 'COPY');
    const fromBuild = copies.filter((c) => c.startsWith('--from=build'));
    expect(fromBuild.map((c) => c.split(/\s+/)[1])).toEqual([
      '/src/package.json',
      '/src/node_modules',
      '/src/dist',
      '/src/apps/dashboard/dist',
    ]);
    // the only file from the context is the health check script; no `COPY . .`
    expect(copies.filter((c) => !c.startsWith('--from='))).toEqual([
      'deploy/healthcheck.js ./healthcheck.js',
    ]);
  });

  it('runs compiled JavaScript as a numeric non-root user under an init process', () => {
    const [user] = args(runtime, 'USER');
    expect(user).toMatch(/^[1-9]\d*:[1-9]\d*$/);
    expect(json(args(runtime, 'ENTRYPOINT')[0])).toEqual(['/usr/bin/tini', '--']);
    expect(args(runtime, 'RUN').join('\n')).toMatch(/apt-get install .*\btini\b/);
    const cmd = json(args(runtime, 'CMD')[0]);
    expect(cmd).toEqual(['node', 'dist/apps/admin-api/src/main.js']);
    expect(text).not.toContain('run-ts.js');
    expect(args(runtime, 'ENV').join(' ')).toContain('NODE_ENV=production');
  });

  it('serves the dashboard build from the image and declares a health check', () => {
    expect(args(runtime, 'ENV').join(' ')).toContain('DASHBOARD_DIST_DIR=/app/dashboard');
    const [health] = args(runtime, 'HEALTHCHECK');
    expect(health).toMatch(/--interval=\d+s/);
    expect(health).toMatch(/CMD \["node", "\/app\/healthcheck\.js"\]$/);
  });

  it('keeps local data, secrets, installed and built output out of the build context', () => {
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    for (const entry of ['.git', '**/node_modules', 'dist', 'data', '.env', '*.pem', '*.key'])
      expect(ignored).toContain(entry);
    // what the build stage needs stays in
    for (const needed of ['apps', 'libs', 'scripts', 'package.json', 'tsconfig.json'])
      expect(ignored).not.toContain(needed);
  });
});
