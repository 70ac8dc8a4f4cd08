/**
 * Builds the three learned models from the labelled tuning part (`data/classifier/dev.jsonl`, never the held-out
 * parts): the language model (ar, ckb, kmr, en from n-grams, script letters and word lists), the sensitivity model
 * (not restricted, S2, S3 from n-grams and the lexicon's features) with its thresholds, and the category model
 * (a category or none, from n-grams, the lexicon's features and the rules' decisions; see `categoryFits` in
 * classify.ts for where its choice is used). Run by `npm run build:classifier-model`; a unit test runs it again
 * and fails when the shipped data differs. Build-time only: the classifier never imports this module.
 *
 * The thresholds come from five-fold cross-validation on the tuning part: each message is scored by a model that
 * did not see it, and the thresholds catch the most restricted messages (an S3 caught as S3 counting twice) while
 * the model adds at most a budget of the messages that are not restricted to the restricted queues, and as much of
 * those that are not S3 to the PSEA desk (S3), on top of what the rules and the caution rule already put there. A
 * bound on false alarms rather than on precision, because precision depends on how many restricted messages a set
 * holds (nearly half of the tuning part; far fewer in the field), and the false-alarm rate does not. The budget is
 * the smallest of {@link FALSE_ALARM_BUDGETS} at which the cross-validated recall meets the issue's goals.
 */
import {
  CATEGORY_DENSE,
  CATEGORY_LABELS,
  categoryFits,
  type ModelInputs,
  modelInputs,
  SENSITIVITY_DENSE,
  SENSITIVITY_LABELS,
} from './classify.ts';
import { classScores, confusion, macroF1 } from './evaluate.ts';
import { bucketMask, CATEGORY_BITS, hashText, LANGUAGE_BITS, SENSITIVITY_BITS } from './features.ts';
import { LANGUAGE_DENSE, languageDense } from './language.ts';
import type { EncodedLinearModel } from './linear-model.ts';
import type { LabelledMessage } from './schema.ts';
import { CATEGORIES, LANGUAGES } from './taxonomy.ts';
import {
  quantise,
  score,
  type TrainedModel,
  type TrainingExample,
  type TrainingOptions,
  train,
} from './train.ts';

/**
 * Shares of the not-restricted tuning messages the model may add to the restricted ones (cross-validated), tried
 * from the smallest: the build keeps the first at which the cross-validated recall meets the goals
 * ({@link RECALL_GOALS}), or the largest when none does. Recall first, with as few false alarms as that takes.
 */
export const FALSE_ALARM_BUDGETS = Array.from(
  { length: 25 },
  (_, i) => Math.round((3 + i * 0.5) * 10) / 1000,
);
/** The recall goals: S3 caught as S3, S2 caught as S2 or S3. */
export const RECALL_GOALS = { S3: 0.98, S2: 0.95 } as const;
const FOLDS = 5;
const THRESHOLD_GRID = Array.from({ length: 17 }, (_, i) => Math.round((0.1 + i * 0.05) * 100) / 100);

const LANGUAGE_OPTIONS: TrainingOptions = {
  labels: LANGUAGES,
  bits: LANGUAGE_BITS,
  dense: LANGUAGE_DENSE,
  epochs: 12,
  rate: 0.2,
  l2: 1e-5,
  classWeights: [1, 1, 1, 1],
  seed: 18,
};

const SENSITIVITY_OPTIONS: TrainingOptions = {
  labels: SENSITIVITY_LABELS,
  bits: SENSITIVITY_BITS,
  dense: SENSITIVITY_DENSE,
  epochs: 12,
  rate: 0.2,
  l2: 1e-5,
  classWeights: [1, 1.5, 1.5],
  seed: 14,
};

const CATEGORY_OPTIONS: TrainingOptions = {
  labels: CATEGORY_LABELS,
  bits: CATEGORY_BITS,
  dense: CATEGORY_DENSE,
  epochs: 12,
  rate: 0.2,
  l2: 1e-5,
  classWeights: CATEGORY_LABELS.map(() => 1),
  seed: 10,
};

/** What `npm run build:classifier-model` writes. */
export interface BuiltModels {
  language: EncodedLinearModel;
  sensitivity: EncodedLinearModel;
  thresholds: { S2: number; S3: number };
  category: EncodedLinearModel;
  /** Cross-validated figures on the tuning part, for the build's log. */
  crossValidation: {
    /**
     * Category macro-F1 of the rules alone and with the category model where its choice fits the rules'
     * sensitivity (the sensitivity model left out, so the two figures differ by the category model alone).
     */
    category: { rules: number; withModel: number };
    /** The false-alarm budget kept (see {@link FALSE_ALARM_BUDGETS}). */
    budget: number;
    recall: number;
    precision: number;
    restricted: number;
    /** Share of not-restricted messages restricted by the rules and caution alone, and with the model. */
    falseAlarms: { rules: number; withModel: number };
    /** Share of the S3 messages caught as S3, and of the messages that are not S3 the model adds to S3. */
    s3: { recall: number; addedFalseAlarms: number };
  };
}

const restrictedLabel = (m: LabelledMessage): number =>
  m.sensitivity === 'S3' ? 2 : m.sensitivity === 'S2' ? 1 : 0;

const sensitivityMask = bucketMask(SENSITIVITY_BITS);

const categoryMask = bucketMask(CATEGORY_BITS);
const categoryLabel = (category: string | null): number =>
  category === null ? CATEGORIES.length : CATEGORIES.indexOf(category as never);

function copy(
  inputs: ModelInputs,
  label: number,
  category: string | null,
): TrainingExample & {
  rulesLevel: number;
  rulesFinal: boolean;
  category: TrainingExample;
  rules: ModelInputs['rules'];
} {
  const { hashed, dense, rules } = inputs;
  return {
    category: {
      index: hashed.index.slice(0, hashed.count).map((i) => i & categoryMask),
      value: hashed.value.slice(0, hashed.count),
      dense: inputs.categoryDense.slice(),
      label: categoryLabel(category),
    },
    // The rules' evidence names the pattern that chose their category, which the category model leaves alone.
    rules: { ...rules, evidence: rules.evidence.filter((x) => x.startsWith('rule:')), reasons: [] },
    // Hashed into MODEL_BITS buckets; the sensitivity model keeps the low SENSITIVITY_BITS, as predict() does.
    index: hashed.index.slice(0, hashed.count).map((i) => i & sensitivityMask),
    value: hashed.value.slice(0, hashed.count),
    dense: dense.slice(0, SENSITIVITY_DENSE),
    label,
    rulesLevel: rules.sensitivity === 'S3' ? 2 : rules.sensitivity === 'S2' ? 1 : 0,
    // What the rules restricted on explicit terms is final: the model does not move it (classify.ts).
    rulesFinal: rules.basis === 'explicit' && (rules.sensitivity === 'S2' || rules.sensitivity === 'S3'),
  };
}

/** Out-of-fold probabilities: example i scored by the model trained without its fold (i mod FOLDS). */
function crossValidated(examples: readonly TrainingExample[], options: TrainingOptions): Float64Array[] {
  const classes = options.labels.length;
  const outOfFold = examples.map(() => new Float64Array(classes));
  for (let fold = 0; fold < FOLDS; fold++) {
    const model: TrainedModel = train(
      examples.filter((_, i) => i % FOLDS !== fold),
      options,
    );
    examples.forEach((e, i) => {
      if (i % FOLDS === fold) score(model.weights, model.bias, classes, 1 << options.bits, e, outOfFold[i]!);
    });
  }
  return outOfFold;
}

/**
 * Trains the three models on `messages` (the tuning part) and picks the sensitivity thresholds. `languageOnly` are
 * texts that train the language model alone: status requests and the like, which the SMS conversation answers
 * without opening a case, so they must not move the sensitivity model or its false-alarm budget (a share of
 * the messages that become cases).
 */
export function buildModels(
  messages: readonly LabelledMessage[],
  budgets: readonly number[] = FALSE_ALARM_BUDGETS,
  languageOnly: readonly LabelledMessage[] = [],
): BuiltModels {
  const languageExamples: TrainingExample[] = [...messages, ...languageOnly].map((m) => {
    const hashed = hashText(m.text, LANGUAGE_BITS);
    return {
      index: hashed.index.slice(0, hashed.count),
      value: hashed.value.slice(0, hashed.count),
      dense: languageDense(m.text),
      label: LANGUAGES.indexOf(m.language),
    };
  });
  const language = quantise(train(languageExamples, LANGUAGE_OPTIONS));

  const examples = messages.map((m) => copy(modelInputs(m.text, m.language), restrictedLabel(m), m.category));
  const sensitivity = quantise(train(examples, SENSITIVITY_OPTIONS));
  const categoryExamples = examples.map((e) => e.category);
  const category = quantise(train(categoryExamples, CATEGORY_OPTIONS));

  // The category model cross-validated as the classifier applies it: its choice replaces the rules' category
  // where it fits their sensitivity.
  const categoryOutOfFold = crossValidated(categoryExamples, CATEGORY_OPTIONS);
  const categoryName = (c: number): string => CATEGORY_LABELS[c]!;
  const goldCategories = categoryExamples.map((e) => categoryName(e.label));
  const rulesCategories = examples.map((e) => e.rules.category ?? 'none');
  const modelCategories = examples.map((e, i) => {
    const p = categoryOutOfFold[i]!;
    let best = 0;
    for (let c = 1; c < p.length; c++) if (p[c]! > p[best]!) best = c;
    const suggested = best === CATEGORIES.length ? null : CATEGORIES[best]!;
    return categoryFits(suggested, e.rules.category, e.rules.evidence, e.rules.sensitivity, e.rules.type)
      ? categoryName(best)
      : rulesCategories[i]!;
  });
  const categoryF1 = (predicted: string[]) =>
    macroF1(classScores(confusion(goldCategories, predicted, CATEGORY_LABELS)));

  const outOfFold = crossValidated(examples, SENSITIVITY_OPTIONS);
  const negatives = examples.filter((e) => e.label === 0).length;
  const notS3 = examples.filter((e) => e.label !== 2).length;
  const rulesAlarms = examples.filter((e) => e.label === 0 && e.rulesLevel >= 1).length;
  const rulesS3Alarms = examples.filter((e) => e.label !== 2 && e.rulesLevel === 2).length;
  const restricted = examples.filter((e) => e.label >= 1).length;
  const s3Total = examples.filter((e) => e.label === 2).length;
  const s2Total = restricted - s3Total;
  // What each (S3, S2) threshold pair catches and restricts wrongly does not depend on the budget: count it once.
  const pairs: {
    S2: number;
    S3: number;
    caught: number;
    s3Caught: number;
    flagged: number;
    alarms: number;
    s3Alarms: number;
  }[] = [];
  for (const t3 of THRESHOLD_GRID) {
    for (const t2 of THRESHOLD_GRID) {
      let caught = 0;
      let s3Caught = 0;
      let flagged = 0;
      let alarms = 0;
      let s3Alarms = 0;
      examples.forEach((e, i) => {
        const p = outOfFold[i]!;
        const model = p[2]! >= t3 ? 2 : p[1]! + p[2]! >= t2 ? 1 : 0;
        const level = e.rulesFinal ? e.rulesLevel : Math.max(model, e.rulesLevel);
        // S3 caught only as S3; S2 caught as S2 or S3 (restricted either way).
        if ((e.label === 2 && level === 2) || (e.label === 1 && level >= 1)) caught++;
        if (e.label === 2 && level === 2) s3Caught++;
        if (level >= 1) {
          flagged++;
          if (e.label === 0) alarms++;
        }
        if (level === 2 && e.label !== 2) s3Alarms++;
      });
      pairs.push({ S2: t2, S3: t3, caught, s3Caught, flagged, alarms, s3Alarms });
    }
  }
  const pick = (maxAddedFalseAlarms: number) => {
    let best = {
      S2: 1,
      S3: 1,
      caught: -1,
      s3Caught: 0,
      s2Caught: 0,
      s3Alarms: 0,
      precision: 0,
      alarms: rulesAlarms,
    };
    for (const pair of pairs) {
      // Neither the restricted queues nor the PSEA desk (S3) may fill with what the model adds.
      if (pair.alarms - rulesAlarms > maxAddedFalseAlarms * negatives) continue;
      if (pair.s3Alarms - rulesS3Alarms > maxAddedFalseAlarms * notS3) continue;
      // More caught wins, an S3 caught as S3 counting twice (the PSEA desk sees it, not only the restricted
      // queue); on a tie, the higher thresholds (fewer messages restricted by the model).
      const score = pair.caught + pair.s3Caught;
      const bestScore = best.caught + best.s3Caught;
      if (score > bestScore || (score === bestScore && pair.S3 + pair.S2 > best.S3 + best.S2))
        best = {
          S2: pair.S2,
          S3: pair.S3,
          caught: pair.caught,
          s3Caught: pair.s3Caught,
          s2Caught: pair.caught - pair.s3Caught,
          s3Alarms: pair.s3Alarms - rulesS3Alarms,
          precision: pair.flagged === 0 ? 0 : 1 - pair.alarms / pair.flagged,
          alarms: pair.alarms,
        };
    }
    return best;
  };
  let budget = budgets[budgets.length - 1]!;
  let best = pick(budget);
  for (const b of budgets) {
    const candidate = b === budget ? best : pick(b);
    const meets =
      (s3Total === 0 || candidate.s3Caught / s3Total >= RECALL_GOALS.S3) &&
      (s2Total === 0 || candidate.s2Caught / s2Total >= RECALL_GOALS.S2);
    if (meets) {
      budget = b;
      best = candidate;
      break;
    }
  }

  return {
    language,
    sensitivity,
    thresholds: { S2: best.S2, S3: best.S3 },
    category,
    crossValidation: {
      category: { rules: categoryF1(rulesCategories), withModel: categoryF1(modelCategories) },
      budget,
      recall: restricted === 0 ? 0 : best.caught / restricted,
      precision: best.precision,
      restricted,
      falseAlarms: {
        rules: negatives === 0 ? 0 : rulesAlarms / negatives,
        withModel: negatives === 0 ? 0 : best.alarms / negatives,
      },
      s3: {
        recall: s3Total === 0 ? 0 : best.s3Caught / s3Total,
        addedFalseAlarms: notS3 === 0 ? 0 : best.s3Alarms / notS3,
      },
    },
  };
}
