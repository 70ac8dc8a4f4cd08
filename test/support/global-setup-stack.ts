import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startLocalStack } from '#local/stack.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    twilioAuthToken: string;
    dataDir: string;
  }
}

/** End-to-end tier: one local stack (the same code `npm start` runs) for the run, on a free port, over HTTP. */
export default async function setup(project: TestProject) {
  // Handlers log every routed case at INFO; a test run keeps warnings and errors only.
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  const dataDir = mkdtempSync(join(tmpdir(), 'cfm-e2e-'));
  const stack = await startLocalStack({
    dataDir,
    twilioAuthToken: 'e2e-twilio-auth-token',
    // The tests call the scheduled handlers themselves (POST /dev/scheduler/<name>) at the moment they choose.
    sweepEveryMs: 24 * 3600_000,
    retentionEveryMs: 24 * 3600_000,
    publicRateLimit: { perMinute: 600, burst: 200 },
    log: () => undefined,
  });
  project.provide('baseUrl', stack.url);
  project.provide('twilioAuthToken', stack.twilio.authToken);
  project.provide('dataDir', dataDir);
  return async () => {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
