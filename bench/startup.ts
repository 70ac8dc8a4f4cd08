/**
 * Local stack start to ready: `npm start`'s entry (tsx local/main.ts) with a fresh data folder, timed from spawn to
 * the first 200 from GET /health. The baseline is Node.js itself starting tsx on an empty module, so the ratio is
 * what the platform adds to "run a TypeScript file".
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '#local/ports.ts';
import { round } from './stats.ts';
import type { BenchResult } from './types.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

async function startToReady(): Promise<number> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cfm-bench-'));
  const port = await freePort();
  const started = performance.now();
  const child = spawn(TSX, ['local/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir },
    stdio: process.env.BENCH_DEBUG ? 'inherit' : 'ignore',
  });
  try {
    for (;;) {
      if (performance.now() - started > 60_000)
        throw new Error('the local stack did not become ready in 60 s');
      try {
        const res = await fetch(`http://127.0.0.1:${port}/health`);
        if (res.status === 200) return performance.now() - started;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGINT');
      setTimeout(() => child.kill('SIGKILL'), 5_000);
    });
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function tsxBaseline(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'cfm-bench-'));
  const file = join(dir, 'empty.ts');
  writeFileSync(file, 'export {};\n');
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(TSX, [file], { stdio: 'ignore' });
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`tsx exited ${code}`))));
  });
  rmSync(dir, { recursive: true, force: true });
  return performance.now() - started;
}

export async function run(): Promise<BenchResult[]> {
  const baseline = await tsxBaseline();
  const value = await startToReady();
  return [
    {
      name: 'local stack start to ready (fresh data folder)',
      value: round(value / 1000),
      unit: 's',
      baseline: round(baseline / 1000),
      ratio: round(value / baseline),
      goal: '<= 15 s to ready',
    },
  ];
}
