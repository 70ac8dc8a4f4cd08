/**
 * Runs the slow test tiers side by side: `tsx scripts/test-tiers.ts e2e-browser e2e integration,infra
 * integration-faults,e2e-load` runs four lanes at once: the browser tests; the rest of the e2e tier; the integration
 * and infra tiers one after the other; the fault tests and the load test. Each tier is its own
 * `vitest run --project <tier>` with its own services on free ports, so the lanes share nothing but the machine.
 * Much of their time is spent waiting (on DynamoDB Local, the stream pollers, Chromium, an outage or a retry
 * schedule running out); with four lanes on two cores the cores are the bound (README, "Start").
 *
 * Every line a tier prints is prefixed with its name; the exit status is non-zero when any tier failed, and the
 * summary at the end says which, with each tier's wall time.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import * as z from 'zod';

const TIERS = [
  'unit',
  'integration',
  'integration-faults',
  'infra',
  'e2e',
  'e2e-browser',
  'e2e-load',
] as const;
const Lane = z.array(z.enum(TIERS)).min(1);
const Lanes = z.array(Lane).min(1);

interface TierResult {
  tier: string;
  code: number;
  seconds: number;
}

const vitestEntry = join(
  dirname(createRequire(import.meta.url).resolve('vitest/package.json')),
  'vitest.mjs',
);

function runTier(tier: string): Promise<TierResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [vitestEntry, 'run', '--project', tier], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const prefix = `[${tier}] `;
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => process.stdout.write(`${prefix}${line}\n`));
    }
    const done = (code: number) => resolve({ tier, code, seconds: (Date.now() - started) / 1000 });
    child.on('error', (err) => {
      process.stdout.write(`${prefix}could not start vitest: ${err.message}\n`);
      done(1);
    });
    child.on('close', (code, signal) => done(code ?? (signal ? 1 : 0)));
  });
}

async function runLane(lane: readonly string[]): Promise<TierResult[]> {
  const results: TierResult[] = [];
  // A lane goes on after a failed tier: one red tier should not hide what the others would have said.
  for (const tier of lane) results.push(await runTier(tier));
  return results;
}

const parsed = Lanes.safeParse(process.argv.slice(2).map((arg) => arg.split(',')));
if (!parsed.success) {
  process.stderr.write(
    `usage: tsx scripts/test-tiers.ts <lane> [<lane> ...], each lane a comma-separated list of ${TIERS.join(', ')}\n`,
  );
  process.exit(2);
}

const results = (await Promise.all(parsed.data.map(runLane))).flat();
process.stdout.write('\nTest tiers:\n');
for (const r of results) {
  process.stdout.write(
    `  ${r.tier.padEnd(12)} ${r.code === 0 ? 'passed' : 'FAILED'} in ${r.seconds.toFixed(0)} s\n`,
  );
}
process.exit(results.some((r) => r.code !== 0) ? 1 : 0);
