import type { TestProject } from 'vitest/node';
import { startLocalStack } from '#local/stack.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    twilioAuthToken: string;
  }
}

/**
 * End-to-end tier: one local stack (the same code `npm start` runs) for the run, on a free port, over HTTP. It keeps
 * everything in memory (no data folder): DynamoDB Local is the suite's largest user of CPU, and in memory it spent
 * half the system time it did on a file (the load test alone: 18 s against 37 s, 2026-12-05). The tests that need
 * data kept across a restart start stacks of their own (test/e2e/foundation/npm-start.test.ts).
 */
export default async function setup(project: TestProject) {
  // Handlers log every routed case at INFO; a test run keeps warnings and errors only.
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  const stack = await startLocalStack({
    twilioAuthToken: 'e2e-twilio-auth-token',
    // The tests call the scheduled handlers themselves (POST /dev/scheduler/<name>) at the moment they choose.
    sweepEveryMs: 24 * 3600_000,
    retentionEveryMs: 24 * 3600_000,
    publicRateLimit: { perMinute: 600, burst: 200 },
    log: () => undefined,
  });
  project.provide('baseUrl', stack.url);
  project.provide('twilioAuthToken', stack.twilio.authToken);
  return async () => {
    await stack.stop();
  };
}
