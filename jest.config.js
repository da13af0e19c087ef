'use strict';
const swcrc = require('./jest.swc.js');
const shared = {
  transform: { '^.+\\.(t|j)s$': ['@swc/jest', swcrc] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    '^@app/([a-z0-9-]+)$': '<rootDir>/libs/$1/src',
    '^@app/([a-z0-9-]+)/(.*)$': '<rootDir>/libs/$1/src/$2',
  },
  testEnvironment: 'node',
  rootDir: __dirname,
};
// Three tiers: unit specs beside the code, integration tests against real servers
// (*.int-spec.ts, also beside the code), end-to-end tests in test/.
module.exports = {
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts'] },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/{apps,libs}/**/*.int-spec.ts'],
    },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      // every EWS response a simulator of the file sent is checked against the EWS schema
      setupFilesAfterEnv: ['<rootDir>/test/support/ews-schema-guard.ts'],
    },
  ],
  testTimeout: 60000,
  // A worker that grew past this after a test file is replaced: the e2e files start whole
  // fleets (simulator, API, worker) in-process, and what a library keeps does not pile up.
  workerIdleMemoryLimit: '1500MB',
};
