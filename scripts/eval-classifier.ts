/**
 * Evaluates the classifier on the labelled data: `npm run eval:classifier -- [--set dev|test|all] [--json]
 * [--errors]`. Default set: test. Prints per-class precision/recall/F1 for category and type, macro-F1, S3 recall,
 * sensitivity and language accuracy and the confusion tables; `--json` prints the figures as JSON instead;
 * `--errors` also lists the misclassified messages (use it on dev: the test set is not for tuning).
 * Always exits 0: it reports, it does not gate.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { classify } from '../shared/classification/classify.ts';
import {
  type ClassScore,
  type Confusion,
  evaluate,
  parseLabelled,
} from '../shared/classification/evaluate.ts';
import { LabelledMessageSchema } from '../shared/classification/schema.ts';

const DATA = fileURLToPath(new URL('../data/classifier/', import.meta.url));

const { values } = parseArgs({
  options: {
    set: { type: 'string', default: 'test' },
    json: { type: 'boolean', default: false },
    errors: { type: 'boolean', default: false },
  },
});

const sets = values.set === 'all' ? ['dev', 'test'] : [values.set];
if (!sets.every((s) => s === 'dev' || s === 'test')) {
  process.stderr.write(`eval-classifier: --set must be dev, test or all (got "${values.set}")\n`);
  process.exit(2);
}

const gold = sets.flatMap((s) =>
  parseLabelled(readFileSync(`${DATA}${s}.jsonl`, 'utf8'), (v) => LabelledMessageSchema.parse(v)),
);
const report = evaluate(
  gold,
  gold.map((m) => classify(m.text)),
);

const pct = (x: number | null): string => (x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`);
const f3 = (x: number): string => x.toFixed(3);

function classTable(title: string, classes: readonly ClassScore[]): string {
  const lines = [
    `${title}`,
    `  ${'class'.padEnd(12)} ${'prec'.padStart(6)} ${'recall'.padStart(6)} ${'F1'.padStart(6)} ${'gold'.padStart(5)} ${'pred'.padStart(5)}`,
  ];
  for (const c of classes) {
    if (c.support === 0 && c.predicted === 0) continue;
    lines.push(
      `  ${c.label.padEnd(12)} ${f3(c.precision).padStart(6)} ${f3(c.recall).padStart(6)} ${f3(c.f1).padStart(6)} ${String(c.support).padStart(5)} ${String(c.predicted).padStart(5)}`,
    );
  }
  return lines.join('\n');
}

function confusionTable(title: string, m: Confusion): string {
  const width = Math.max(5, ...m.labels.map((l) => l.length + 1));
  const head = `  ${'gold \\ pred'.padEnd(13)}${m.labels.map((l) => l.slice(0, width - 1).padStart(width)).join('')}`;
  const rows = m.labels.map(
    (l, i) =>
      `  ${l.padEnd(13)}${m.counts[i]!.map((n) => (n === 0 ? '.' : String(n)).padStart(width)).join('')}`,
  );
  return [title, head, ...rows].join('\n');
}

if (values.json) {
  const { errors, ...figures } = report;
  process.stdout.write(
    `${JSON.stringify({ set: values.set, ...figures, ...(values.errors ? { errors } : {}) }, null, 2)}\n`,
  );
} else {
  const out = [
    `Classifier evaluation, set: ${values.set} (${report.messages} messages)`,
    '',
    `  category macro-F1      ${f3(report.category.macroF1)}   (accuracy ${pct(report.category.accuracy)}; 'none' counted as a class)`,
    `  type macro-F1          ${f3(report.type.macroF1)}   (accuracy ${pct(report.type.accuracy)})`,
    `  S3 recall              ${pct(report.s3Recall)}   (${report.s3Support} gold S3; S3 precision ${pct(report.s3Precision)})`,
    `  sensitivity accuracy   ${pct(report.sensitivityAccuracy)}   (predicted below gold: ${pct(report.sensitivityUnderRate)})`,
    `  language accuracy      ${pct(report.languageAccuracy)}`,
    `  urgency accuracy       ${pct(report.urgencyAccuracy)}`,
    `  sector accuracy        ${pct(report.sectorAccuracy)}`,
    '',
    classTable('Category', report.category.classes),
    '',
    classTable('Type', report.type.classes),
    '',
    confusionTable('Category confusion (rows gold, columns predicted)', report.category.confusion),
    '',
    confusionTable('Type confusion (rows gold, columns predicted)', report.type.confusion),
  ];
  if (values.errors) {
    out.push('', `Errors (${report.errors.length})`);
    for (const e of report.errors)
      out.push(`  ${e.id} ${e.field}: gold ${e.gold}, predicted ${e.predicted} | ${e.text}`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
}
