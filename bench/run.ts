/**
 * `npm run bench`: runs every benchmark suite and prints each figure beside the baseline measured in the same run.
 * `npm run bench -- --json` prints the figures as one JSON array instead; `--only store,intake` picks suites.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BenchResult } from './types.ts';

const SUITES = ['store', 'startup', 'classifier', 'intake', 'router', 'cases', 'web', 'bundles'] as const;

const args = process.argv.slice(2);
const asJson = args.includes('--json');
// Handlers log each routed case at INFO; a benchmark keeps warnings and errors only, and with --json nothing but
// the JSON array goes to stdout (anything a suite prints goes to stderr).
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
if (asJson) console.log = (...parts: unknown[]) => console.error(...parts);
const onlyArg = args.find((a) => a.startsWith('--only'));
const only = onlyArg
  ? (onlyArg.includes('=') ? onlyArg.split('=')[1] : args[args.indexOf(onlyArg) + 1])?.split(',')
  : undefined;

const results: BenchResult[] = [];
const failures: string[] = [];
for (const suite of SUITES) {
  if (only && !only.includes(suite)) continue;
  const file = fileURLToPath(new URL(`./${suite}.ts`, import.meta.url));
  if (!existsSync(file)) continue;
  if (!asJson) process.stderr.write(`running ${suite}…\n`);
  try {
    const mod = (await import(file)) as { run: () => BenchResult[] | Promise<BenchResult[]> };
    const figures = await mod.run();
    results.push(...figures);
    if (!asJson) for (const r of figures) printRow(r);
  } catch (err) {
    failures.push(`${suite}: ${(err as Error).message}`);
    if (!asJson) process.stderr.write(`  ${suite} failed: ${(err as Error).message}\n`);
  }
}

function printRow(r: BenchResult): void {
  const fmt = (n: number) => (Math.abs(n) >= 1000 ? n.toFixed(0) : String(n));
  console.log(
    `${r.name.padEnd(64)} ${`${fmt(r.value)} ${r.unit}`.padStart(16)}  baseline ${`${fmt(r.baseline)} ${r.unit}`.padStart(16)}  ratio ${r.ratio.toFixed(2).padStart(7)}  goal ${r.goal}`,
  );
}

if (asJson) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
if (failures.length) {
  process.stderr.write(`\n${failures.length} suite(s) failed:\n${failures.join('\n')}\n`);
  process.exitCode = 1;
}
