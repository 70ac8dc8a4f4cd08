/**
 * Classifier throughput on one core: the labelled messages (dev + test) classified over and over, after a
 * warm-up. The baseline, measured in the same run over the same messages, only normalises and tokenises them,
 * so the ratio says what the lexicon, rules and models cost on top of reading the text. The two alternate pass
 * by pass, so that a machine that gets busier or quieter during the run changes both alike.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { classify } from '../shared/classification/classify.ts';
import { tokenise } from '../shared/classification/normalise.ts';
import type { BenchResult } from './types.ts';

const DATA = fileURLToPath(new URL('../data/classifier/', import.meta.url));
const WARM_UP_MS = 500;
const MEASURE_MS = 4_000;

function loadTexts(): string[] {
  return ['dev', 'test'].flatMap((set) =>
    readFileSync(`${DATA}${set}.jsonl`, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => (JSON.parse(line) as { text: string }).text),
  );
}

/** Seconds spent on `work` over one pass of `texts`. */
function pass(texts: readonly string[], work: (text: string) => number): number {
  let sink = 0;
  const start = performance.now();
  for (const text of texts) sink += work(text);
  const seconds = (performance.now() - start) / 1000;
  if (sink === -1) process.stdout.write('');
  return seconds;
}

/** Messages per second of each work, alternating passes until `ms` have elapsed. */
function rates(texts: readonly string[], works: readonly ((text: string) => number)[], ms: number): number[] {
  const seconds = works.map(() => 0);
  const passes = works.map(() => 0);
  const start = performance.now();
  while (performance.now() - start < ms) {
    works.forEach((work, i) => {
      seconds[i]! += pass(texts, work);
      passes[i]!++;
    });
  }
  return works.map((_, i) => (passes[i]! * texts.length) / seconds[i]!);
}

const classifyWork = (text: string): number => classify(text).confidence;
const tokeniseWork = (text: string): number => tokenise(text).length;

export async function run(): Promise<BenchResult[]> {
  const texts = loadTexts();
  rates(texts, [classifyWork, tokeniseWork], WARM_UP_MS);
  const [value, baseline] = rates(texts, [classifyWork, tokeniseWork], MEASURE_MS) as [number, number];
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
