/**
 * Evaluates the classifier on the labelled data:
 * `npm run eval:classifier -- [--set dev|test|fresh|field|final|held-out|summaries|all] [--json] [--errors]`.
 * Default set: test (the first held-out part). `fresh` (`data/classifier/fresh.jsonl`), `field` and `final` are
 * the later held-out parts, each committed before the tuning that followed it and never read for errors (`field`
 * and `final` by writers who had not read the tuning data); `held-out` is the four together; `summaries`
 * (`data/classifier/summaries.jsonl`) is a held-out set of hotline operators' case summaries, measured apart from
 * the four; `all` is dev and test. Prints the issue's goal figures (S3 recall, S2 recall, restricted precision, category macro-F1, language
 * accuracy) overall, per language and per variant (script, keyboard, diacritics, four words or fewer, Arabizi,
 * dialect, euphemism), why restricted messages were restricted (rules, caution, model) and how many of each were
 * not restricted in gold, then per-class precision/recall/F1 and the confusion tables; `--json` prints the figures
 * as JSON instead; `--errors` also lists the misclassified messages (use it on dev: the held-out parts are not
 * for tuning); `--without-model` measures the rules and the caution rule alone. Every run also measures the
 * ordinary-messages check set (`data/classifier/ordinary.jsonl`): the share of everyday messages restricted, and
 * restricted as S3. Always exits 0: it reports, it does not gate.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { classify } from '../shared/classification/classify.ts';
import {
  type ClassScore,
  type Confusion,
  evaluate,
  type FalseRestriction,
  falseRestrictions,
  type GroupFigures,
  parseLabelled,
} from '../shared/classification/evaluate.ts';
import { LabelledMessageSchema } from '../shared/classification/schema.ts';

const DATA = fileURLToPath(new URL('../data/classifier/', import.meta.url));

const { values } = parseArgs({
  options: {
    set: { type: 'string', default: 'test' },
    json: { type: 'boolean', default: false },
    errors: { type: 'boolean', default: false },
    'without-model': { type: 'boolean', default: false },
  },
});

const HELD_OUT = ['test', 'fresh', 'field', 'final'];
const sets = values.set === 'all' ? ['dev', 'test'] : values.set === 'held-out' ? HELD_OUT : [values.set];
if (!sets.every((s) => s === 'dev' || s === 'summaries' || HELD_OUT.includes(s))) {
  process.stderr.write(
    `eval-classifier: --set must be dev, test, fresh, field, final, held-out, summaries or all (got "${values.set}")\n`,
  );
  process.exit(2);
}

const gold = sets.flatMap((s) =>
  parseLabelled(readFileSync(`${DATA}${s}.jsonl`, 'utf8'), (v) => LabelledMessageSchema.parse(v)),
);
const classifyAll = (messages: readonly { text: string }[]) =>
  messages.map((m) => classify(m.text, undefined, { model: !values['without-model'] }));
const report = evaluate(gold, classifyAll(gold));
// The ordinary-messages check set: never tuned on, measured with every run.
const ordinary = parseLabelled(readFileSync(`${DATA}ordinary.jsonl`, 'utf8'), (v) =>
  LabelledMessageSchema.parse(v),
);
const falseRestricted = falseRestrictions(ordinary, classifyAll(ordinary));

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

/** The issue's goals, each as [label, figure, goal] (null figures are shown as n/a and not judged). */
const GOALS = { s3: 0.98, s2: 0.95, precision: 0.6, macroF1: 0.85, language: 0.97 } as const;

function goalTable(title: string, rows: [string, GroupFigures][]): string {
  const cell = (x: number | null, goal: number, n?: number): string => {
    const text = x === null ? 'n/a' : x.toFixed(3);
    const mark = x !== null && x < goal ? '!' : ' ';
    return `${text}${mark}${n === undefined ? '' : ` (${n})`}`.padStart(14);
  };
  const head = `  ${'group'.padEnd(18)}${'msgs'.padStart(6)}${'S3 recall'.padStart(14)}${'S2 recall'.padStart(14)}${'restr. prec'.padStart(14)}${'cat. F1'.padStart(14)}${'lang. acc'.padStart(14)}`;
  const lines = rows.map(
    ([label, g]) =>
      `  ${label.padEnd(18)}${String(g.messages).padStart(6)}${cell(g.s3Recall, GOALS.s3, g.s3Support)}${cell(g.s2Recall, GOALS.s2, g.s2Support)}${cell(g.restrictedPrecision, GOALS.precision, g.restrictedPredicted)}${cell(g.categoryMacroF1, GOALS.macroF1)}${cell(g.languageAccuracy, GOALS.language)}`,
  );
  return [title, head, ...lines].join('\n');
}

/** The whole set as one more row of the goal table, so that every goal figure is read in one place. */
const overall: GroupFigures = {
  messages: report.messages,
  s3Recall: report.s3Recall,
  s3Support: report.s3Support,
  s2Recall: report.s2Recall,
  s2Support: report.s2Support,
  restrictedPrecision: report.restrictedPrecision,
  restrictedPredicted: report.restrictedPredicted,
  categoryMacroF1: report.category.macroF1,
  languageAccuracy: report.languageAccuracy,
};

function falseRestrictionTable(): string {
  const share = (part: number, whole: number) => (whole === 0 ? 'n/a' : (part / whole).toFixed(3));
  const row = (label: string, r: FalseRestriction) =>
    `  ${label.padEnd(18)}${String(r.messages).padStart(6)}${`${share(r.restricted, r.messages)} (${r.restricted})`.padStart(16)}${`${share(r.s3, r.messages)} (${r.s3})`.padStart(16)}`;
  return [
    `Ordinary messages (data/classifier/ordinary.jsonl, ${ordinary.length}; never tuned on): share restricted for nothing`,
    `  ${'group'.padEnd(18)}${'msgs'.padStart(6)}${'restricted'.padStart(16)}${'as S3'.padStart(16)}`,
    row('all', falseRestricted.all),
    ...Object.entries(falseRestricted.byLanguage).map(([l, r]) => row(l, r)),
  ].join('\n');
}

if (values.json) {
  const { errors, ...figures } = report;
  process.stdout.write(
    `${JSON.stringify({ set: values.set, ...figures, ordinary: falseRestricted, ...(values.errors ? { errors } : {}) }, null, 2)}\n`,
  );
} else {
  const out = [
    `Classifier evaluation, set: ${values.set} (${report.messages} messages)${values['without-model'] ? ', rules alone (no model)' : ''}`,
    '',
    `  category macro-F1      ${f3(report.category.macroF1)}   (accuracy ${pct(report.category.accuracy)}; 'none' counted as a class)`,
    `  type macro-F1          ${f3(report.type.macroF1)}   (accuracy ${pct(report.type.accuracy)})`,
    `  S3 recall              ${pct(report.s3Recall)}   (${report.s3Support} gold S3; S3 precision ${pct(report.s3Precision)})`,
    `  sensitivity accuracy   ${pct(report.sensitivityAccuracy)}   (predicted below gold: ${pct(report.sensitivityUnderRate)})`,
    `  language accuracy      ${pct(report.languageAccuracy)}`,
    `  urgency accuracy       ${pct(report.urgencyAccuracy)}`,
    `  sector accuracy        ${pct(report.sectorAccuracy)}`,
    `  S2 recall              ${pct(report.s2Recall)}   (${report.s2Support} gold S2 predicted S2 or S3)`,
    `  restricted precision   ${pct(report.restrictedPrecision)}   (${report.restrictedPredicted} predicted S2 or S3)`,
    '',
    goalTable(
      'Goals overall and by language (S3 recall ≥ 0.98, S2 recall ≥ 0.95, restricted precision ≥ 0.6, category macro-F1 ≥ 0.85, language accuracy ≥ 0.97; ! = below, (n) = gold S3, gold S2, predicted S2/S3)',
      [['all', overall], ...Object.entries(report.byLanguage)],
    ),
    '',
    goalTable(
      'Goals by variant',
      Object.entries(report.byVariant).filter(([, g]) => g.messages > 0),
    ),
    '',
    falseRestrictionTable(),
    '',
    'Why predicted S2/S3 were restricted (and how many of them are not restricted in gold)',
    ...Object.entries(report.basis).map(
      ([basis, b]) =>
        `  ${basis.padEnd(10)} ${String(b.restricted).padStart(5)}  (${b.notRestrictedInGold} not in gold)`,
    ),
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
