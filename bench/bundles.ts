/**
 * Lambda bundles as deployed: every function entry bundled with the esbuild options the CDK app uses
 * (`infra/bundling.ts`: ESM, split into chunks, the AWS SDK inside), then
 * - size at start: the minified `index.mjs` plus the chunks it imports statically, in KB, and how many files
 *   that is: what Node reads and parses at a cold start, which is what the size goal is about;
 * - size in total: every chunk, the ones loaded on first use through `import()` (the Twilio REST client, the SNS
 *   client, the SDK's rarer credential providers) too;
 * - cold init: the median wall time of a fresh `node` process that imports `index.mjs` and exits, against
 *   `node -e 0` measured in the same run, interleaved so drift affects both alike; once without and once with
 *   `--enable-source-maps`. The environment is Lambda's (`AWS_LAMBDA_FUNCTION_NAME` and the settings handlers
 *   read, with values that lead nowhere), so the import builds the function's SDK clients as it does in Lambda's
 *   init phase (functions/lib/platform.ts); nothing touches the network at import.
 * - cold init CPU: the same processes' user + system CPU time (median), against a `node -e` that only reports its
 *   own. Wall time is what the goal is about; CPU time barely moves when other work shares the machine, so it
 *   says whether a change in the wall-time ratio is the bundle's or the machine's.
 * Sizes are against an empty handler bundled the same way (the baseline).
 *
 * Bundles go to a temporary directory that is removed afterwards. `BENCH_FUNCTIONS=router,classify` measures
 * only those functions (the empty baseline is always built), for a quicker look at one change.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { esbuildOptions, filesLoadedAtStart } from '../infra/bundling.ts';
import { LAMBDA_SOURCE_MAPS, PROJECT_ROOT } from '../infra/constructs/platform-function.ts';
import { lambdaEntries } from '../infra/lambda-entries.ts';
import type { BenchResult } from './types.ts';

const RUNS = 15;
const SIZE_GOAL_KB = 600;
const INIT_GOAL_RATIO = 2.5;

/** Settings a handler may read at import, with values that lead nowhere. */
const DUMMY_ENV: Record<string, string> = {
  STAGE: 'bench',
  TABLE_NAME: 'cfm-bench-cases',
  TOPIC_ARN: 'arn:aws:sns:eu-central-1:000000000000:cfm-bench-case-events',
  SECRET_ARN: 'arn:aws:secretsmanager:eu-central-1:000000000000:secret:cfm/bench/app',
  PUBLIC_BASE_URL: 'https://bench.invalid',
  TWILIO_FROM: '+10000000000',
  USER_POOL_ID: 'eu-central-1_bench',
  POWERTOOLS_SERVICE_NAME: 'cfm-bench',
  POWERTOOLS_METRICS_NAMESPACE: 'CFM',
  LOG_LEVEL: 'ERROR',
  POWERTOOLS_LOG_LEVEL: 'ERROR',
  AWS_REGION: 'eu-central-1',
  AWS_ACCESS_KEY_ID: 'AKIDBENCHONLY',
  AWS_SECRET_ACCESS_KEY: 'bench-only',
  AWS_LAMBDA_FUNCTION_NAME: 'cfm-bench',
  // On Node 20 the SDK warns once that its 2027 releases need Node 22; Lambda runs Node 22 and never prints it.
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

/** Prints the process's user + system CPU time since it started, in milliseconds. */
const REPORT_CPU = 'const u = process.cpuUsage(); process.stdout.write(String((u.user + u.system) / 1000));';

/**
 * Imports the bundle given as argument, prints the process's CPU time so far and exits; fails if the bundle
 * exports no `handler` function.
 */
const LOADER = `const mod = await import(process.argv[2]);
if (typeof mod.handler !== 'function') { process.stderr.write('no handler export\\n'); process.exit(3); }
${REPORT_CPU}`;

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Wall time of one process, in milliseconds, and the CPU time it reported (if it prints one); a non-zero exit
 * fails the benchmark with the process's stderr.
 */
function timeProcess(args: string[], env: NodeJS.ProcessEnv): { wall: number; cpu: number } {
  const start = performance.now();
  const res = spawnSync(process.execPath, args, { env, encoding: 'utf8' });
  const wall = performance.now() - start;
  if (res.status !== 0)
    throw new Error(`node ${args.join(' ')} exited ${res.status}: ${res.stderr.slice(0, 500)}`);
  return { wall, cpu: Number(res.stdout) };
}

interface BundleSizes {
  /** KB Node reads when it imports the entry: `index.mjs` and the chunks it imports statically. */
  atStartKb: number;
  /** How many files that is. */
  filesAtStart: number;
  /** KB of every JavaScript output, lazily imported chunks included (source maps left out). */
  totalKb: number;
}

async function bundle(entry: string, outdir: string): Promise<BundleSizes> {
  const { metafile } = await build(esbuildOptions(entry, outdir, PROJECT_ROOT));
  if (!metafile) throw new Error('esbuild gave no metafile');
  const bytes = (file: string) => metafile.outputs[file]?.bytes ?? 0;
  const js = Object.keys(metafile.outputs).filter((file) => !file.endsWith('.map'));
  const atStart = filesLoadedAtStart(metafile);
  return {
    atStartKb: atStart.reduce((sum, file) => sum + bytes(file), 0) / 1024,
    filesAtStart: atStart.length,
    totalKb: js.reduce((sum, file) => sum + bytes(file), 0) / 1024,
  };
}

export async function run(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'cfm-bench-bundles-'));
  try {
    const emptyEntry = join(dir, 'empty-handler.ts');
    writeFileSync(emptyEntry, 'export const handler = async (): Promise<unknown> => ({});\n');
    const loader = join(dir, 'loader.mjs');
    writeFileSync(loader, LOADER);

    const empty = await bundle(emptyEntry, join(dir, 'empty'));
    const only = process.env.BENCH_FUNCTIONS?.split(',').filter(Boolean);
    const entries = lambdaEntries().filter((e) => !only?.length || only.includes(e.name));
    if (entries.length === 0)
      throw new Error(`BENCH_FUNCTIONS names no function: ${process.env.BENCH_FUNCTIONS}`);
    const sizes = await Promise.all(entries.map((e) => bundle(e.entry, join(dir, e.name))));

    const env = { ...process.env, ...DUMMY_ENV };
    const plainArgs = (name: string) => [loader, pathToFileURL(join(dir, name, 'index.mjs')).href];
    const mapsArgs = (name: string) => ['--enable-source-maps', ...plainArgs(name)];
    // Warm the file cache for every bundle and for node itself.
    timeProcess(['-e', '0'], env);
    for (const e of entries) timeProcess(mapsArgs(e.name), env);

    const results: BenchResult[] = [];
    entries.forEach((e, i) => {
      const { atStartKb, totalKb, filesAtStart } = sizes[i]!;
      results.push({
        name: `bundle at start: ${e.name} (index.mjs + static chunks)`,
        value: round(atStartKb, 1),
        unit: 'KB',
        baseline: round(empty.atStartKb, 2),
        ratio: round(atStartKb / empty.atStartKb, 1),
        goal: `<= ${SIZE_GOAL_KB} KB`,
      });
      results.push({
        name: `files read at start: ${e.name} (index.mjs + static chunks)`,
        value: filesAtStart,
        unit: 'files',
        baseline: empty.filesAtStart,
        ratio: round(filesAtStart / empty.filesAtStart, 1),
        goal: 'report',
      });
      results.push({
        name: `bundle in total: ${e.name} (with chunks loaded on use)`,
        value: round(totalKb, 1),
        unit: 'KB',
        baseline: round(empty.atStartKb, 2),
        ratio: round(totalKb / empty.atStartKb, 1),
        goal: 'none (lazy chunks are read on first use)',
      });
    });
    const deployed = (maps: boolean) => (LAMBDA_SOURCE_MAPS === maps ? ', as deployed' : '');
    for (const e of entries) {
      const base: number[] = [];
      const baseCpu: number[] = [];
      const plain: { wall: number; cpu: number }[] = [];
      const maps: { wall: number; cpu: number }[] = [];
      for (let r = 0; r < RUNS; r++) {
        // The order rotates so that no variant always runs right after another.
        const steps = [
          () => base.push(timeProcess(['-e', '0'], env).wall),
          () => baseCpu.push(timeProcess(['-e', REPORT_CPU], env).cpu),
          () => plain.push(timeProcess(plainArgs(e.name), env)),
          () => maps.push(timeProcess(mapsArgs(e.name), env)),
        ];
        for (let k = 0; k < steps.length; k++) steps[(r + k) % steps.length]!();
      }
      const baseline = median(base);
      const cpuBaseline = median(baseCpu);
      for (const [variant, times, withMaps] of [
        ['', plain, false],
        [' with --enable-source-maps', maps, true],
      ] as const) {
        const value = median(times.map((t) => t.wall));
        results.push({
          name: `cold init${variant}: ${e.name} (import + SDK clients, median of ${RUNS}, vs node -e 0${deployed(withMaps)})`,
          value: round(value, 1),
          unit: 'ms',
          baseline: round(baseline, 1),
          ratio: round(value / baseline, 2),
          goal: `<= ${INIT_GOAL_RATIO.toFixed(1)}x`,
        });
        const cpu = median(times.map((t) => t.cpu));
        results.push({
          name: `cold init CPU${variant}: ${e.name} (user + system, median of ${RUNS}, vs node -e's own)`,
          value: round(cpu, 1),
          unit: 'ms',
          baseline: round(cpuBaseline, 1),
          ratio: round(cpu / cpuBaseline, 2),
          goal: 'report (load-independent view of the cold init above)',
        });
      }
    }
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
