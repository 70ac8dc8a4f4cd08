import type { Classification, LabelledMessage } from './schema.ts';
import { CATEGORIES, FEEDBACK_TYPES, LANGUAGES, type Language, VARIANTS, type Variant } from './taxonomy.ts';

/** Precision, recall and F1 of one class. */
export interface ClassScore {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  /** Gold messages of this class. */
  support: number;
  /** Messages predicted as this class. */
  predicted: number;
}

/** A confusion matrix: `counts[gold][predicted]`, rows and columns in `labels` order. */
export interface Confusion {
  labels: string[];
  counts: number[][];
}

/** Counts gold against predicted labels. Labels not in `labels` are an error: the caller lists them all. */
export function confusion(
  gold: readonly string[],
  predicted: readonly string[],
  labels: readonly string[],
): Confusion {
  if (gold.length !== predicted.length) throw new Error('gold and predicted differ in length');
  const index = new Map(labels.map((l, i) => [l, i]));
  const counts = labels.map(() => labels.map(() => 0));
  gold.forEach((g, k) => {
    const row = index.get(g);
    const column = index.get(predicted[k]!);
    if (row === undefined || column === undefined) throw new Error(`unknown label ${g} / ${predicted[k]}`);
    counts[row]![column]!++;
  });
  return { labels: [...labels], counts };
}

/** Per-class precision, recall and F1 from a confusion matrix (0 where a ratio is undefined). */
export function classScores(matrix: Confusion): ClassScore[] {
  const { labels, counts } = matrix;
  return labels.map((label, i) => {
    const truePositive = counts[i]![i]!;
    const support = counts[i]!.reduce((a, b) => a + b, 0);
    const predicted = counts.reduce((a, row) => a + row[i]!, 0);
    const precision = predicted === 0 ? 0 : truePositive / predicted;
    const recall = support === 0 ? 0 : truePositive / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { label, precision, recall, f1, support, predicted };
  });
}

/** Unweighted mean F1 over the classes that occur in the gold labels or the predictions. */
export function macroF1(scores: readonly ClassScore[]): number {
  const present = scores.filter((s) => s.support > 0 || s.predicted > 0);
  return present.length === 0 ? 0 : present.reduce((a, s) => a + s.f1, 0) / present.length;
}

function accuracy(gold: readonly string[], predicted: readonly string[]): number {
  if (gold.length === 0) return 0;
  let right = 0;
  gold.forEach((g, i) => {
    if (g === predicted[i]) right++;
  });
  return right / gold.length;
}

/** The figures the issue sets goals for, over one group of messages (a language, a variant, or all). */
export interface GroupFigures {
  messages: number;
  /** Share of gold S3 predicted S3 (null when the group has none). */
  s3Recall: number | null;
  s3Support: number;
  /** Share of gold S2 predicted restricted, S2 or S3 (null when the group has none). */
  s2Recall: number | null;
  s2Support: number;
  /** Share of messages predicted restricted (S2/S3) that are restricted in gold (null when none predicted). */
  restrictedPrecision: number | null;
  restrictedPredicted: number;
  /** Category macro-F1 over the classes present in the group ('none' counted as a class). */
  categoryMacroF1: number;
  languageAccuracy: number;
}

/** Why restricted predictions were restricted, and how many of each were not restricted in gold. */
export type BasisFigures = Record<
  Exclude<Classification['basis'], 'none'>,
  { restricted: number; notRestrictedInGold: number }
>;

/** Everything `npm run eval:classifier` reports for one set of labelled messages. */
export interface EvaluationReport {
  messages: number;
  category: { macroF1: number; accuracy: number; classes: ClassScore[]; confusion: Confusion };
  type: { macroF1: number; accuracy: number; classes: ClassScore[]; confusion: Confusion };
  /** Share of gold S3 messages predicted S3 (null when the set has none). */
  s3Recall: number | null;
  s3Support: number;
  /** Share of predicted S3 that are gold S3. */
  s3Precision: number | null;
  /** Share of gold S2 predicted S2 or S3 (restricted, so reviewed by a focal point). */
  s2Recall: number | null;
  s2Support: number;
  /** Share of predicted S2/S3 that are gold S2/S3. */
  restrictedPrecision: number | null;
  restrictedPredicted: number;
  /** The goal figures per language and per variant tag. */
  byLanguage: Record<Language, GroupFigures>;
  byVariant: Record<Variant, GroupFigures>;
  basis: BasisFigures;
  sensitivityAccuracy: number;
  /** Share of messages whose predicted sensitivity is lower than the gold one. */
  sensitivityUnderRate: number;
  languageAccuracy: number;
  urgencyAccuracy: number;
  sectorAccuracy: number;
  /** Gold and predicted, for messages where category, type, sensitivity or language differ. */
  errors: { id: string; field: string; gold: string; predicted: string; text: string }[];
}

const CATEGORY_LABELS = [...CATEGORIES, 'none'];
const RANK: Readonly<Record<string, number>> = { S0: 0, S1: 1, S2: 2, S3: 3 };
const restricted = (sensitivity: string): boolean => RANK[sensitivity]! >= 2;
const ratio = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);

/** The goal figures over the messages at `indexes`. */
function groupFigures(
  gold: readonly LabelledMessage[],
  predicted: readonly Classification[],
  indexes: readonly number[],
): GroupFigures {
  let s3 = 0;
  let s3Caught = 0;
  let s2 = 0;
  let s2Caught = 0;
  let flagged = 0;
  let flaggedRight = 0;
  let languageRight = 0;
  for (const i of indexes) {
    const g = gold[i]!;
    const p = predicted[i]!;
    if (g.sensitivity === 'S3') {
      s3++;
      if (p.sensitivity === 'S3') s3Caught++;
    }
    if (g.sensitivity === 'S2') {
      s2++;
      if (restricted(p.sensitivity)) s2Caught++;
    }
    if (restricted(p.sensitivity)) {
      flagged++;
      if (restricted(g.sensitivity)) flaggedRight++;
    }
    if (g.language === p.language) languageRight++;
  }
  const categories = classScores(
    confusion(
      indexes.map((i) => gold[i]!.category ?? 'none'),
      indexes.map((i) => predicted[i]!.category ?? 'none'),
      CATEGORY_LABELS,
    ),
  );
  return {
    messages: indexes.length,
    s3Recall: ratio(s3Caught, s3),
    s3Support: s3,
    s2Recall: ratio(s2Caught, s2),
    s2Support: s2,
    restrictedPrecision: ratio(flaggedRight, flagged),
    restrictedPredicted: flagged,
    categoryMacroF1: macroF1(categories),
    languageAccuracy: indexes.length === 0 ? 0 : languageRight / indexes.length,
  };
}

/** Compares predictions with gold labels, message by message (same order). */
export function evaluate(
  gold: readonly LabelledMessage[],
  predicted: readonly Classification[],
): EvaluationReport {
  if (gold.length !== predicted.length) throw new Error('gold and predicted differ in length');
  const goldCategory = gold.map((m) => m.category ?? 'none');
  const predictedCategory = predicted.map((p) => p.category ?? 'none');
  const categoryMatrix = confusion(goldCategory, predictedCategory, CATEGORY_LABELS);
  const categoryScores = classScores(categoryMatrix);
  const typeMatrix = confusion(
    gold.map((m) => m.type),
    predicted.map((p) => p.type),
    FEEDBACK_TYPES,
  );
  const typeScores = classScores(typeMatrix);

  const goldS3 = gold.filter((m) => m.sensitivity === 'S3').length;
  const caughtS3 = gold.filter((m, i) => m.sensitivity === 'S3' && predicted[i]!.sensitivity === 'S3').length;
  const predictedS3 = predicted.filter((p) => p.sensitivity === 'S3').length;
  const under = gold.filter((m, i) => RANK[predicted[i]!.sensitivity]! < RANK[m.sensitivity]!).length;

  const errors: EvaluationReport['errors'] = [];
  gold.forEach((m, i) => {
    const p = predicted[i]!;
    const fields: [string, string, string][] = [
      ['language', m.language, p.language],
      ['type', m.type, p.type],
      ['category', m.category ?? 'none', p.category ?? 'none'],
      ['sensitivity', m.sensitivity, p.sensitivity],
    ];
    for (const [field, g, q] of fields)
      if (g !== q) errors.push({ id: m.id, field, gold: g, predicted: q, text: m.text });
  });

  const all = gold.map((_, i) => i);
  const overall = groupFigures(gold, predicted, all);
  const byLanguage = Object.fromEntries(
    LANGUAGES.map((l) => [
      l,
      groupFigures(
        gold,
        predicted,
        all.filter((i) => gold[i]!.language === l),
      ),
    ]),
  ) as Record<Language, GroupFigures>;
  const byVariant = Object.fromEntries(
    VARIANTS.map((v) => [
      v,
      groupFigures(
        gold,
        predicted,
        all.filter((i) => gold[i]!.variants.includes(v)),
      ),
    ]),
  ) as Record<Variant, GroupFigures>;
  const basis: BasisFigures = {
    explicit: { restricted: 0, notRestrictedInGold: 0 },
    model: { restricted: 0, notRestrictedInGold: 0 },
    caution: { restricted: 0, notRestrictedInGold: 0 },
    person: { restricted: 0, notRestrictedInGold: 0 },
  };
  predicted.forEach((p, i) => {
    if (!restricted(p.sensitivity) || p.basis === 'none') return;
    basis[p.basis].restricted++;
    if (!restricted(gold[i]!.sensitivity)) basis[p.basis].notRestrictedInGold++;
  });

  return {
    messages: gold.length,
    category: {
      macroF1: macroF1(categoryScores),
      accuracy: accuracy(goldCategory, predictedCategory),
      classes: categoryScores,
      confusion: categoryMatrix,
    },
    type: {
      macroF1: macroF1(typeScores),
      accuracy: accuracy(
        gold.map((m) => m.type),
        predicted.map((p) => p.type),
      ),
      classes: typeScores,
      confusion: typeMatrix,
    },
    s3Recall: goldS3 === 0 ? null : caughtS3 / goldS3,
    s3Support: goldS3,
    s3Precision: predictedS3 === 0 ? null : caughtS3 / predictedS3,
    s2Recall: overall.s2Recall,
    s2Support: overall.s2Support,
    restrictedPrecision: overall.restrictedPrecision,
    restrictedPredicted: overall.restrictedPredicted,
    byLanguage,
    byVariant,
    basis,
    sensitivityAccuracy: accuracy(
      gold.map((m) => m.sensitivity),
      predicted.map((p) => p.sensitivity),
    ),
    sensitivityUnderRate: gold.length === 0 ? 0 : under / gold.length,
    languageAccuracy: accuracy(
      gold.map((m) => m.language),
      predicted.map((p) => p.language),
    ),
    urgencyAccuracy: accuracy(
      gold.map((m) => m.urgency),
      predicted.map((p) => p.urgency),
    ),
    sectorAccuracy: accuracy(
      gold.map((m) => m.sector),
      predicted.map((p) => p.sector),
    ),
    errors,
  };
}

/** Parses JSONL labelled data; throws naming the line of the first bad record. */
export function parseLabelled(jsonl: string, parse: (value: unknown) => LabelledMessage): LabelledMessage[] {
  const out: LabelledMessage[] = [];
  jsonl.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      out.push(parse(JSON.parse(line)));
    } catch (error) {
      throw new Error(
        `line ${i + 1}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
      );
    }
  });
  return out;
}

/** How often messages that are not restricted in gold were restricted: one language, or all. */
export interface FalseRestriction {
  /** Messages not restricted in gold (S0, S1). */
  messages: number;
  /** Of those, predicted S2 or S3. */
  restricted: number;
  /** Of those, predicted S3 (the PSEA desk). */
  s3: number;
}

/**
 * False restrictions on a set of ordinary messages (`data/classifier/ordinary.jsonl`), overall and per language:
 * the share the restricted queues and the PSEA desk would receive for nothing.
 */
export function falseRestrictions(
  gold: readonly LabelledMessage[],
  predicted: readonly Classification[],
): { all: FalseRestriction; byLanguage: Record<Language, FalseRestriction> } {
  if (gold.length !== predicted.length) throw new Error('gold and predicted differ in length');
  const empty = (): FalseRestriction => ({ messages: 0, restricted: 0, s3: 0 });
  const all = empty();
  const byLanguage = Object.fromEntries(LANGUAGES.map((l) => [l, empty()])) as Record<
    Language,
    FalseRestriction
  >;
  gold.forEach((g, i) => {
    if (restricted(g.sensitivity)) return;
    const p = predicted[i]!;
    for (const figures of [all, byLanguage[g.language]]) {
      figures.messages++;
      if (restricted(p.sensitivity)) figures.restricted++;
      if (p.sensitivity === 'S3') figures.s3++;
    }
  });
  return { all, byLanguage };
}
