const { execFileSync } = require('node:child_process');
const { resolve } = require('node:path');

/**
 * Compiles the receiver once before any test file runs: several suites start `receiver/dist/main.js`
 * in child processes, and building from two workers at once would race on the same files.
 */
module.exports = async function globalSetup() {
  // Names this run's PostgreSQL test databases (inherited by the workers), so teardown drops exactly those.
  process.env.SCIMKIT_TEST_RUN = process.env.SCIMKIT_TEST_RUN ?? `${Date.now().toString(36)}${process.pid}`;
  execFileSync('npm', ['run', 'build', '-w', 'receiver'], { cwd: resolve(__dirname, '..'), stdio: 'pipe' });
};
