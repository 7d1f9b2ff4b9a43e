/** Shared by both projects. */
const base = {
  testEnvironment: 'node',
  testMatch: ['**/*.test.ts'],
  transform: {
    // Type-checking is `npm run typecheck`'s job; transpiling only keeps the suite fast.
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
  },
};

/** @type {import('jest').Config} */
module.exports = {
  globalSetup: '<rootDir>/test/global-setup.js',
  globalTeardown: '<rootDir>/test/global-teardown.js',
  maxWorkers: 2,
  testTimeout: 30000,
  projects: [
    { ...base, displayName: 'default', roots: ['<rootDir>/test'] },
    // The whole receiver suite again, each receiver on a fresh PostgreSQL database (support/postgres.ts).
    { ...base, displayName: 'postgres', roots: ['<rootDir>/test/receiver'], setupFiles: ['<rootDir>/test/receiver/support/use-postgres.js'] },
  ],
};
