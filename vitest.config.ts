import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Test tiers, each with its own script (see package.json):
 * - unit: pure code, no network;
 * - integration: against DynamoDB Local and the SNS/SQS emulator, started once per run on free ports;
 * - integration-faults: the fault and dead-letter tests, which spend most of their time waiting out an outage or
 *   a retry schedule, on services of their own so that another lane can run them beside the rest;
 * - infra: CDK template assertions, cdk-nag, cfn-lint, a deploy to moto's server, the site in Chromium;
 * - e2e: the local stack over HTTP;
 * - e2e-browser: the tests that drive Chromium through the console and the public pages, on a local stack of their
 *   own, so that `npm test` runs them beside the rest of the e2e tier (scripts/test-tiers.ts): the e2e tests run one
 *   file at a time against their stack (they move its clock), and one stack's files one after another had become
 *   the suite's longest lane;
 * - e2e-load: the 1,000-SMS load test, on a local stack of its own, so that `npm test` can run it beside the rest
 *   of the e2e tier (scripts/test-tiers.ts) rather than after it.
 */
const E2E = {
  globalSetup: ['test/support/global-setup-stack.ts'],
  env: { POWERTOOLS_LOG_LEVEL: 'WARN' },
  testTimeout: 240_000,
  hookTimeout: 240_000,
  fileParallelism: false,
};
const LOAD_TESTS = ['test/e2e/intake/sms-load.test.ts'];
const BROWSER_TESTS = ['test/e2e/web/**/*.test.ts', 'test/e2e/console/**/*.test.ts'];
const INTEGRATION = {
  globalSetup: ['test/support/global-setup-services.ts'],
  env: { POWERTOOLS_LOG_LEVEL: 'WARN' },
  // Generous: this tier runs beside the e2e tier on two cores (scripts/test-tiers.ts); tests wait on conditions, so
  // the timeout only bounds a hung test.
  testTimeout: 180_000,
  hookTimeout: 120_000,
  fileParallelism: false,
};
/** Tests that stop the emulator or fail deliveries for minutes: a project of their own, on services of their own. */
const FAULT_TESTS = ['test/integration/faults/**/*.test.ts'];

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...FAULT_TESTS],
          ...INTEGRATION,
        },
      },
      {
        test: { name: 'integration-faults', include: FAULT_TESTS, ...INTEGRATION },
      },
      {
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          // Files in a worker share modules, so test/infra/synth.ts synthesises each stage once per worker.
          isolate: false,
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...LOAD_TESTS, ...BROWSER_TESTS],
          ...E2E,
        },
      },
      {
        test: { name: 'e2e-browser', include: BROWSER_TESTS, ...E2E },
      },
      {
        test: { name: 'e2e-load', include: LOAD_TESTS, ...E2E },
      },
    ],
  },
});
