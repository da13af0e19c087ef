import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

interface LintMessage {
  ruleId: string | null;
  message: string;
  line: number;
}
interface LintReport {
  fixtures: Record<string, { lintAs: string; messages: LintMessage[] }>;
  code: { file: string; messages: LintMessage[] }[];
}

const ROOT = join(__dirname, '..');
const BOUNDARY_RULES = [
  'no-restricted-imports',
  'no-restricted-syntax',
  'no-restricted-properties',
  'local/relative-imports-stay-in-package',
];

/** Each boundary of DESIGN.md §2, the fixture that breaks it, and what lint must say about it. */
const EXPECTED: Record<string, { ruleId: string; says: string }[]> = {
  'domain-imports-nest.fixture': [{ ruleId: 'no-restricted-imports', says: 'libs/domain is pure' }],
  'domain-imports-io.fixture': [
    { ruleId: 'no-restricted-imports', says: "'node:fs' import is restricted" },
    { ruleId: 'no-restricted-imports', says: "'ioredis' import is restricted" },
    { ruleId: 'no-restricted-imports', says: "'undici' import is restricted" },
  ],
  'domain-imports-other-lib.fixture': [
    { ruleId: 'no-restricted-imports', says: 'libs/domain depends on nothing' },
  ],
  'app-imports-app.fixture': [
    { ruleId: 'local/relative-imports-stay-in-package', says: 'apps never import apps' },
  ],
  'app-imports-simulator.fixture': [
    { ruleId: 'no-restricted-imports', says: 'The product never imports the simulator' },
  ],
  'lib-imports-simulator.fixture': [
    { ruleId: 'no-restricted-imports', says: 'The product never imports the simulator' },
  ],
  'simulator-imports-product-alias.fixture': [
    { ruleId: 'no-restricted-imports', says: 'The simulator imports nothing of the product' },
  ],
  'simulator-imports-product-path.fixture': [
    { ruleId: 'no-restricted-imports', says: 'The simulator imports nothing of the product' },
  ],
  'get-repository-outside-persistence.fixture': [
    { ruleId: 'no-restricted-syntax', says: 'no getRepository' },
  ],
  'typeorm-outside-persistence.fixture': [
    { ruleId: 'no-restricted-imports', says: 'Only libs/persistence uses TypeORM' },
  ],
  'transaction-outside-persistence.fixture': [
    { ruleId: 'no-restricted-imports', says: 'withTransaction hands out an EntityManager' },
  ],
  'engine-imports-transport.fixture': [
    { ruleId: 'no-restricted-imports', says: 'never a transport' },
  ],
  'entity-manager-outside-persistence.fixture': [
    { ruleId: 'no-restricted-imports', says: 'Only libs/persistence uses TypeORM' },
  ],
  'process-env-outside-config.fixture': [
    { ruleId: 'no-restricted-properties', says: 'Only libs/config reads process.env' },
  ],
  'process-env-in-simulator.fixture': [
    { ruleId: 'no-restricted-properties', says: 'Only libs/config reads process.env' },
  ],
};

describe('boundaries in lint (DESIGN.md §2, issue #17 Build 6)', () => {
  let report: LintReport;

  beforeAll(() => {
    // ESLint's API runs in a child process: Jest's VM cannot import the ESM eslint.config.mjs.
    const out = execFileSync(process.execPath, [join(ROOT, 'test/support/lint-boundaries.mjs')], {
      cwd: ROOT,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    report = JSON.parse(out) as LintReport;
  }, 120_000);

  it('has an expectation for every fixture on disk, and a fixture for every expectation', () => {
    const onDisk = readdirSync(join(ROOT, 'test/lint-fixtures')).filter((f) =>
      f.endsWith('.fixture'),
    );
    expect(onDisk.sort()).toEqual(Object.keys(EXPECTED).sort());
    expect(Object.keys(report.fixtures).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.entries(EXPECTED))('%s fails lint for its boundary', (fixture, expected) => {
    const { messages } = report.fixtures[fixture];
    for (const { ruleId, says } of expected)
      expect(messages).toContainEqual(
        expect.objectContaining({ ruleId, message: expect.stringContaining(says) }),
      );
    // The fixture breaks its boundary and nothing else, so the failure is the boundary's.
    for (const message of messages) expect(BOUNDARY_RULES).toContain(message.ruleId);
  });

  it('passes on the code: no boundary (or other lint rule) is broken outside the fixtures', () => {
    expect(report.code).toEqual([]);
  });
});
