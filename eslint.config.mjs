import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { relativeImportsStayInPackage } from './eslint-rules/relative-imports-stay-in-package.mjs';

// Boundaries of DESIGN.md §2, enforced with ESLint's own rules (no-restricted-imports,
// no-restricted-syntax, no-restricted-properties) plus one small local rule that keeps relative
// imports inside their package, so every crossing between packages is an import by name that
// the restrictions below see. Each restriction has a fixture under test/lint-fixtures/ that must
// fail (test/lint-boundaries.e2e-spec.ts).
//
// ESLint does not merge the options of one rule across config objects (the last match wins), so
// each area below lists all the restrictions that apply to it, built from these pieces.

const PRODUCT_APPS = ['apps/admin-api/**/*.ts', 'apps/worker/**/*.ts', 'apps/launcher/**/*.ts'];
const TESTS = ['**/*.spec.ts', '**/*.int-spec.ts'];

/** The product never imports the simulator: it models Microsoft independently of our adapters. */
const noSimulator = [
  {
    group: ['**/m365-sim', '**/m365-sim/**'],
    message: 'The product never imports the simulator (apps/m365-sim).',
  },
];

/** Apps never import apps (only relatively possible: apps have no alias). */
const noOtherApps = [
  { group: ['**/apps/**'], message: 'Apps never import apps; shared code belongs in a lib.' },
];

/** Persistence only through repositories: TypeORM stays inside libs/persistence. */
const noTypeorm = [
  {
    group: ['typeorm', 'typeorm/**', '@nestjs/typeorm'],
    message:
      'Only libs/persistence uses TypeORM: go through a repository in libs/persistence/src/repositories.',
  },
];
const noRawTransaction = [
  {
    name: '@app/persistence',
    importNames: ['withTransaction', 'openDataSource'],
    message:
      'withTransaction hands out an EntityManager: use a repository method or unitOfWork (repositories bound to the transaction).',
  },
];
const sqlOutsideRepositories = [
  {
    selector:
      'CallExpression[callee.property.name=/^(getRepository|getTreeRepository|getMongoRepository|createQueryBuilder|createQueryRunner)$/]',
    message:
      'SQL only in repositories (libs/persistence/src/repositories): no getRepository/query builders outside the persistence layer.',
  },
];

/** The mailbox engine knows the mailbox port, never a transport (DESIGN.md §2). */
const engineKnowsPorts = [
  {
    group: ['@app/microsoft', '@app/microsoft/**'],
    message:
      'The sync-mailbox engine knows the mailbox port (@app/domain), never a transport: put transport code in an adapter in libs/microsoft.',
  },
];

/** libs/domain is pure code: no I/O, no Nest, no other lib. */
const domainPure = [
  {
    group: [
      '@nestjs/*',
      'typeorm',
      'typeorm/**',
      'ioredis',
      'bullmq',
      'mongodb',
      'pg',
      'pg/**',
      'mssql',
      'better-sqlite3',
      'undici',
      '@azure/*',
      '@microsoft/*',
      'nodemailer',
      'ews-javascript-api',
      'express',
      'pino',
    ],
    message: 'libs/domain is pure: no Nest, no database, queue, HTTP or mail client.',
  },
  {
    regex:
      '^(node:)?(fs|fs/promises|net|http|https|http2|tls|dgram|dns|dns/promises|child_process|cluster|worker_threads|readline)$',
    message: 'libs/domain does no I/O: no file system, network or process modules.',
  },
  {
    regex: '^@app/(?!domain(/|$))',
    message: 'libs/domain depends on nothing: no other @app lib.',
  },
];

/** The simulator imports nothing of the product. */
const simulatorAlone = [
  {
    group: ['@app/*', '@app/**', '**/libs/**', '**/apps/**'],
    message:
      'The simulator imports nothing of the product: it models Microsoft from the documentation.',
  },
];

const restrictImports = (...pieces) => [
  'error',
  { paths: pieces.flat().filter((p) => p.name), patterns: pieces.flat().filter((p) => !p.name) },
];

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      'data/**',
      'apps/dashboard/dist/**',
      'coverage/**',
      // Each fixture breaks one boundary on purpose; the lint boundaries test lints them.
      'test/lint-fixtures/**',
      // Third-party schemas and validators, vendored unchanged (deploy/vendor/README.md).
      'deploy/vendor/**',
      'tmp/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        __dirname: 'readonly',
        console: 'readonly',
      },
    },
    plugins: {
      local: { rules: { 'relative-imports-stay-in-package': relativeImportsStayInPackage } },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-require-imports': 'off',
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Only libs/config reads process.env.' },
      ],
    },
  },
  {
    // The configuration lib reads the environment. The simulator's options file is its only other
    // reader (its two reads carry an eslint-disable comment naming that). test/ and bench/ are
    // harnesses outside the product: they pass the environment on to the processes they start and
    // read their own BENCH_* knobs.
    files: ['libs/config/**', 'test/**', 'bench/**'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    rules: { 'local/relative-imports-stay-in-package': 'error' },
  },
  {
    files: ['libs/**/*.ts'],
    rules: {
      'no-restricted-imports': restrictImports(noSimulator, noTypeorm, noRawTransaction),
      'no-restricted-syntax': ['error', ...sqlOutsideRepositories],
    },
  },
  {
    files: PRODUCT_APPS,
    rules: {
      'no-restricted-imports': restrictImports(
        noSimulator,
        noOtherApps,
        noTypeorm,
        noRawTransaction,
      ),
      'no-restricted-syntax': ['error', ...sqlOutsideRepositories],
    },
  },
  {
    // Tests check the SQL truth directly, independently of the repositories under test.
    files: TESTS.map((t) => `libs/${t}`),
    rules: {
      'no-restricted-imports': restrictImports(noSimulator),
      'no-restricted-syntax': 'off',
    },
  },
  {
    files: TESTS.map((t) => `apps/{admin-api,worker,launcher}/${t}`),
    rules: {
      'no-restricted-imports': restrictImports(noSimulator, noOtherApps),
      'no-restricted-syntax': 'off',
    },
  },
  {
    files: ['libs/persistence/**/*.ts'],
    rules: {
      'no-restricted-imports': restrictImports(noSimulator),
      'no-restricted-syntax': 'off',
    },
  },
  {
    files: ['libs/domain/**/*.ts'],
    ignores: TESTS,
    rules: { 'no-restricted-imports': restrictImports(noSimulator, domainPure) },
  },
  {
    files: ['libs/sync/src/mailbox/**/*.ts'],
    ignores: TESTS,
    rules: {
      'no-restricted-imports': restrictImports(
        noSimulator,
        noTypeorm,
        noRawTransaction,
        engineKnowsPorts,
      ),
    },
  },
  {
    files: ['apps/m365-sim/**/*.ts'],
    rules: { 'no-restricted-imports': restrictImports(simulatorAlone) },
  },
);
