/**
 * Classifier throughput on one core: the labelled messages (dev + test) classified over and over, after a
 * warm-up. The baseline, measured in the same run over the same messages, only normalises and tokenises them,
 * so the ratio says what the lexicon and rules cost on top of reading the text.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { classify } from '../shared/classification/classify.ts';
import { tokenise } from '../shared/classification/normalise.ts';
import type { BenchResult } from './types.ts';

const DATA = fileURLToPath(new URL('../data/classifier/', import.meta.url));
const WARM_UP_MS = 500;
const MEASURE_MS = 2_000;

function loadTexts(): string[] {
  return ['dev', 'test'].flatMap((set) =>
    readFileSync(`${DATA}${set}.jsonl`, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => (JSON.parse(line) as { text: string }).text),
  );
}

/** Messages per second of `work` over `texts`, passing over the whole set until `ms` have elapsed. */
function rate(texts: readonly string[], work: (text: string) => number, ms: number): number {
  let sink = 0;
  let done = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (const text of texts) sink += work(text);
    done += texts.length;
    now = performance.now();
  }
  if (sink === -1) process.stdout.write('');
  return done / ((now - start) / 1000);
}

const classifyWork = (text: string): number => classify(text).confidence;
const tokeniseWork = (text: string): number => tokenise(text).length;

export async function run(): Promise<BenchResult[]> {
  const texts = loadTexts();
  rate(texts, classifyWork, WARM_UP_MS);
  rate(texts, tokeniseWork, WARM_UP_MS / 2);
  const baseline = rate(texts, tokeniseWork, MEASURE_MS);
  const value = rate(texts, classifyWork, MEASURE_MS);
  return [
    {
      name: `classifier throughput (${texts.length} messages, 4 languages, one core)`,
      value: Math.round(value),
      unit: 'msg/s',
      baseline: Math.round(baseline),
      ratio: Math.round((value / baseline) * 1000) / 1000,
      goal: '>= 20000 msg/s',
    },
  ];
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const r of await run()) {
    process.stdout.write(
      `${r.name}: ${r.value} ${r.unit} (baseline normalise+tokenise ${r.baseline} ${r.unit}, ratio ${r.ratio}, goal ${r.goal})\n`,
    );
  }
}
