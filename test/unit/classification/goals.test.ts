import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { classify } from '../../../shared/classification/classify.ts';
import {
  evaluate,
  falseRestrictions,
  type GroupFigures,
  parseLabelled,
} from '../../../shared/classification/evaluate.ts';
import { tokenise } from '../../../shared/classification/normalise.ts';
import { LabelledMessageSchema } from '../../../shared/classification/schema.ts';
import { LANGUAGE_FORMS, LANGUAGES, VARIANTS } from '../../../shared/classification/taxonomy.ts';

const load = (set: LabelledSet) =>
  parseLabelled(
    readFileSync(fileURLToPath(new URL(`../../../data/classifier/${set}.jsonl`, import.meta.url)), 'utf8'),
    (v) => LabelledMessageSchema.parse(v),
  );

type LabelledSet = 'dev' | 'test' | 'ordinary' | 'fresh' | 'field' | 'final' | 'summaries';

/**
 * A held-out part is apart: every id its own and of its own form, none of its texts in any other set, each message
 * tagged with exactly one written form of its language (none for English) and `short` exactly when it is.
 */
function expectApart(set: LabelledSet, part: ReturnType<typeof load>, ids: RegExp): void {
  expect(part.every((m) => ids.test(m.id))).toBe(true);
  expect(new Set(part.map((m) => m.id)).size).toBe(part.length);
  const elsewhere = new Set(
    (['dev', 'test', 'ordinary', 'fresh', 'field', 'final', 'summaries'] as const)
      .filter((other) => other !== set)
      .flatMap((other) => load(other))
      .map((m) => m.text.trim().toLowerCase()),
  );
  expect(part.filter((m) => elsewhere.has(m.text.trim().toLowerCase()))).toEqual([]);
  for (const m of part) {
    const forms = m.variants.filter((v) => LANGUAGE_FORMS[m.language].includes(v));
    expect(forms.length, m.id).toBe(m.language === 'en' ? 0 : 1);
    expect(m.variants.includes('short'), m.id).toBe(tokenise(m.text).length <= 4);
  }
}

describe('labelled data', () => {
  const dev = load('dev');
  const test = load('test');
  const all = [...dev, ...test];

  it('keeps the first 608 messages and adds at least 1,500 written for issue 18', () => {
    expect(all.filter((m) => /^[DT]-\d+$/.test(m.id))).toHaveLength(608);
    expect(all.filter((m) => /^[DT]F-\d+$/.test(m.id)).length).toBeGreaterThanOrEqual(1500);
    expect(new Set(all.map((m) => m.id)).size).toBe(all.length);
  });

  it('keeps the held-out part apart: test ids in test.jsonl only, tuning ids in dev.jsonl only', () => {
    expect(test.every((m) => m.id.startsWith('T'))).toBe(true);
    expect(dev.every((m) => m.id.startsWith('D'))).toBe(true);
  });

  it('has status requests for the language model alone, none of them a held-out text', () => {
    const status = parseLabelled(
      readFileSync(
        fileURLToPath(new URL('../../../data/classifier/status-requests.jsonl', import.meta.url)),
        'utf8',
      ),
      (v) => LabelledMessageSchema.parse(v),
    );
    expect(status.length).toBeGreaterThanOrEqual(40);
    expect(new Set(status.map((m) => m.language))).toEqual(new Set(LANGUAGES));
    expect(
      status.every((m) => /^DS-\d+$/.test(m.id) && m.type === 'question' && m.sensitivity === 'S0'),
    ).toBe(true);
    const held = new Set(test.map((m) => m.text));
    expect(status.filter((m) => held.has(m.text))).toEqual([]);
  });

  it('has S2 and S3 together at least a fifth, every language, category and type, and euphemisms', () => {
    const restricted = all.filter((m) => m.sensitivity === 'S2' || m.sensitivity === 'S3').length;
    expect(restricted / all.length).toBeGreaterThanOrEqual(0.2);
    for (const language of LANGUAGES) {
      expect(all.filter((m) => m.language === language).length).toBeGreaterThanOrEqual(300);
    }
    expect(new Set(all.map((m) => m.category).filter((c) => c !== null)).size).toBe(10);
    expect(new Set(all.map((m) => m.type)).size).toBe(7);
    for (const variant of VARIANTS) {
      expect(test.filter((m) => m.variants.includes(variant)).length, variant).toBeGreaterThan(0);
    }
  });

  it('tags each message with its form, and "short" exactly when it has four words or fewer', () => {
    for (const m of all) {
      const forms = m.variants.filter((v) => LANGUAGE_FORMS[m.language].includes(v));
      const foreign = m.variants.filter(
        (v) => Object.values(LANGUAGE_FORMS).flat().includes(v) && !forms.includes(v),
      );
      expect(forms.length, m.id).toBe(m.language === 'en' ? 0 : 1);
      expect(foreign, m.id).toEqual([]);
      expect(m.variants.includes('short'), m.id).toBe(tokenise(m.text).length <= 4);
    }
  });
});

/** The goals of issue 18, over the held-out part. */
const GOALS = {
  s3Recall: 0.98,
  s2Recall: 0.95,
  restrictedPrecision: 0.6,
  categoryMacroF1: 0.85,
  languageAccuracy: 0.97,
} as const;
type Goal = keyof typeof GOALS;

/**
 * Where the held-out part measured below a goal (README, "Known limits"): the figure measured, kept as a floor
 * so that it cannot get worse unnoticed. When one of these reaches its goal, the test says so: take it off this
 * list and off the README.
 */
const SHORTFALLS: Readonly<Record<string, Partial<Record<Goal, number>>>> = {
  // Arabizi's and Badini's category F1 and Sorani on an Arabic keyboard's S2 recall, short since the batches from
  // DF-6001 on, met their goals again with the batches from DF-6701 on; Iraqi Arabic's category F1 fell with them,
  // from 0.850 to 0.8499 (the four held-out parts together: 0.856).
  iraqi: { categoryMacroF1: 0.849 },
  'latin-plain': { languageAccuracy: 0.967 },
};

describe('classifier on the held-out test part', () => {
  const gold = load('test');
  const report = evaluate(
    gold,
    gold.map((m) => classify(m.text)),
  );
  const groups: [string, GroupFigures][] = [
    [
      'all',
      {
        messages: report.messages,
        s3Recall: report.s3Recall,
        s3Support: report.s3Support,
        s2Recall: report.s2Recall,
        s2Support: report.s2Support,
        restrictedPrecision: report.restrictedPrecision,
        restrictedPredicted: report.restrictedPredicted,
        categoryMacroF1: report.category.macroF1,
        languageAccuracy: report.languageAccuracy,
      },
    ],
    ...Object.entries(report.byLanguage),
    ...Object.entries(report.byVariant),
  ];

  it('has gold S3 and S2 messages to measure recall on', () => {
    expect(report.s3Support).toBeGreaterThanOrEqual(150);
    expect(report.s2Support).toBeGreaterThanOrEqual(150);
  });

  // Every figure the group has support for (a group without gold S2, say, has no S2 recall).
  const cases = groups.flatMap(([group, figures]) =>
    (Object.keys(GOALS) as Goal[]).flatMap((goal) => {
      const value = figures[goal];
      return value === null ? [] : [[group, goal, value] as const];
    }),
  );

  it.each(cases)('%s: %s meets its goal, or its known shortfall', (group, goal, value) => {
    const floor = SHORTFALLS[group]?.[goal];
    if (floor === undefined) expect(value).toBeGreaterThanOrEqual(GOALS[goal]);
    else {
      expect(value, `${group} ${goal} fell below its measured ${floor}`).toBeGreaterThanOrEqual(floor);
      expect(
        value,
        `${group} ${goal} now meets its goal: remove it from SHORTFALLS and the README`,
      ).toBeLessThan(GOALS[goal]);
    }
  });
});

/**
 * The second held-out part (`fresh.jsonl`), written for the compact-classifier work before anything was tuned in
 * it and never trained or tuned on. Its figures are held as floors at what was measured on 2026-12-04 (they
 * are below the goals; README, Classifier): a change that loses a message there is seen.
 */
describe('the fresh held-out part', () => {
  const fresh = load('fresh');

  it('is apart: at least 150 messages, its own ids, none of its texts in any other set', () => {
    expect(fresh.length).toBeGreaterThanOrEqual(150);
    expectApart('fresh', fresh, /^TX-\d{3}$/);
  });

  it('covers the weak variants with gold S3 and S2 to measure', () => {
    for (const variant of [
      'sorani-keyboard',
      'arabic-keyboard',
      'arabic-script',
      'latin-plain',
      'iraqi',
      'short',
    ])
      expect(
        fresh.filter((m) => m.variants.includes(variant as never)).length,
        variant,
      ).toBeGreaterThanOrEqual(20);
    expect(fresh.filter((m) => m.sensitivity === 'S3').length).toBeGreaterThanOrEqual(40);
    expect(fresh.filter((m) => m.sensitivity === 'S2').length).toBeGreaterThanOrEqual(40);
  });

  it('holds its measured figures as floors', () => {
    const report = evaluate(
      fresh,
      fresh.map((m) => classify(m.text)),
    );
    expect(report.s3Recall).toBeGreaterThanOrEqual(0.976);
    expect(report.s2Recall).toBeGreaterThanOrEqual(1);
    // 0.903 before the model's S2 threshold went down (0.35 to 0.2, README): recall first.
    expect(report.restrictedPrecision).toBeGreaterThanOrEqual(0.885);
    // 0.861 before «فاسد» (rotten or corrupt) was read as corruption only beside a person and the model retrained;
    // 0.86 before the batches from DF-6701 on.
    expect(report.category.macroF1).toBeGreaterThanOrEqual(0.857);
    expect(report.languageAccuracy).toBeGreaterThanOrEqual(0.993);
    const floors: Readonly<Record<string, { s3: number; s2: number }>> = {
      ar: { s3: 1, s2: 1 },
      ckb: { s3: 1, s2: 1 },
      kmr: { s3: 0.933, s2: 1 },
      en: { s3: 1, s2: 1 },
    };
    for (const [language, floor] of Object.entries(floors)) {
      expect(report.byLanguage[language as 'ar']?.s3Recall, language).toBeGreaterThanOrEqual(floor.s3);
      expect(report.byLanguage[language as 'ar']?.s2Recall, language).toBeGreaterThanOrEqual(floor.s2);
    }
  });
});

interface Floors {
  s3: number;
  s2: number;
  precision: number;
  categoryF1: number;
  language: number;
}

/**
 * A held-out part written by someone who had not read the tuning data or run the classifier, committed before the
 * tuning batches it stands against, never trained or tuned on, its misses not read: apart from every other set,
 * with gold S3 and S2 to measure, and its figures held as floors at what was measured.
 */
function heldOutPart(
  set: 'field' | 'final' | 'summaries',
  ids: RegExp,
  size: number,
  floors: Floors,
  restricted = 60,
) {
  describe(`the ${set} held-out part`, () => {
    const part = load(set);

    it(`is apart: ${size} messages, its own ids, none of its texts in any other set`, () => {
      expect(part).toHaveLength(size);
      expectApart(set, part, ids);
      expect(part.filter((m) => m.sensitivity === 'S3').length).toBeGreaterThanOrEqual(restricted);
      expect(part.filter((m) => m.sensitivity === 'S2').length).toBeGreaterThanOrEqual(restricted);
    });

    it('holds its measured figures as floors', () => {
      const report = evaluate(
        part,
        part.map((m) => classify(m.text)),
      );
      expect(report.s3Recall).toBeGreaterThanOrEqual(floors.s3);
      expect(report.s2Recall).toBeGreaterThanOrEqual(floors.s2);
      expect(report.restrictedPrecision).toBeGreaterThanOrEqual(floors.precision);
      expect(report.category.macroF1).toBeGreaterThanOrEqual(floors.categoryF1);
      expect(report.languageAccuracy).toBeGreaterThanOrEqual(floors.language);
    });
  });
}

/**
 * The third held-out part (`field.jsonl`, `TY-…`): 320 messages written as people in Iraq type them, committed
 * (a6ddc7e) before the tuning batches from `DF-3001` on were written. Measured on 2026-12-04 (README, Classifier).
 */
heldOutPart('field', /^TY-\d{3}$/, 320, {
  // 0.95 before the batches from DF-6701 on.
  s3: 0.975,
  s2: 0.987,
  // 0.833 before the model's S2 threshold went down (README): recall first; 0.821 before «فاسد» was read as rotten;
  // 0.826 before the batches from DF-6701 on, which caught two more S3 here.
  precision: 0.822,
  categoryF1: 0.845,
  language: 0.996,
});

/**
 * The fourth held-out part (`final.jsonl`, `TZ-…`): 304 messages in the same variants, committed (b7e1328) before
 * the tuning batches from `DF-4401` on were used, and measured once after them; measured again with the category
 * model (2026-12-04; its misses not read, README, Classifier).
 */
heldOutPart('final', /^TZ-\d{3}$/, 304, {
  s3: 0.987,
  // 1 (74 of 74) before the batches from DF-6701 on, which left one S2 here unrestricted and caught two more
  // restricted messages over the four held-out parts (README, Classifier).
  s2: 0.986,
  // 0.835 before the model's S2 threshold went down (README): recall first; 0.821 before «فاسد» was read as rotten;
  // 0.831 before the batches from DF-6701 on.
  precision: 0.829,
  categoryF1: 0.76,
  language: 0.996,
});

/**
 * Hotline operators' case summaries (`summaries.jsonl`, `TH-…`): 160 written in the third person ("the caller
 * says…") by a writer who had read none of the project's data, committed (ee4ca55) before any tuning on summaries.
 * Measured on 2026-12-04: restricted precision and category macro-F1 are below the goals (README, Known limits),
 * held here as floors; no restricted summary is left unrestricted.
 */
heldOutPart(
  'summaries',
  /^TH-\d{3}$/,
  160,
  // Precision 0.588 and category macro-F1 0.589 before the batches from DF-6701 on (README, Known limits).
  { s3: 0.968, s2: 1, precision: 0.571, categoryF1: 0.584, language: 1 },
  25,
);

/**
 * The ordinary-messages check set: everyday messages, many naming staff, money, a visit or the night innocently.
 * Measured on 2026-12-04 at 0.120 restricted as S3 (31 of 259) and 0.239 restricted (62; 0.236 before the model was
 * retrained with the «فاسد» rule), from 0.197 and 0.228
 * before the precision work, 0.124 and 0.216 before the variants work, 0.081 and 0.181 before the tuning
 * batches from DF-3001 on, 0.116 and 0.216 before the build kept the budget at which recall stops rising, and
 * 0.116 and 0.232 before the Arabizi and Kurmanji batches (DF-6001 on). All were kept for recall (S3 recall over
 * the held-out parts rose from 0.953 to 0.984 with the first batches; restricted messages left unrestricted fell
 * from 15 to 8 with the budget, and to 6 with the last batches); the bounds were raised with them (from 0.09 and
 * 0.2, then 0.13 and 0.22, as the README says) and keep a margin of two or three messages.
 */
describe('ordinary messages', () => {
  const ordinary = load('ordinary');

  it('are a check set apart: at least 200, every language, none restricted in gold, none in dev or test', () => {
    expect(ordinary.length).toBeGreaterThanOrEqual(200);
    expect(ordinary.every((m) => /^O-\d+$/.test(m.id))).toBe(true);
    expect(new Set(ordinary.map((m) => m.language))).toEqual(new Set(LANGUAGES));
    expect(ordinary.filter((m) => m.sensitivity === 'S2' || m.sensitivity === 'S3')).toEqual([]);
    const elsewhere = new Set([...load('dev'), ...load('test')].map((m) => m.text.trim().toLowerCase()));
    expect(ordinary.filter((m) => elsewhere.has(m.text.trim().toLowerCase()))).toEqual([]);
  });

  it('are rarely restricted, and more rarely put on the PSEA desk as S3', () => {
    const { all } = falseRestrictions(
      ordinary,
      ordinary.map((m) => classify(m.text)),
    );
    expect(all.messages).toBe(ordinary.length);
    expect(all.s3 / all.messages).toBeLessThan(0.135);
    expect(all.restricted / all.messages).toBeLessThan(0.255);
  });
});
