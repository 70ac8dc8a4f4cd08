import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CATEGORY_MODEL_DATA } from '../../../shared/classification/category-model.data.ts';
import {
  CATEGORY_MODEL,
  classify,
  EXPLICIT_S3_RAISE,
  SENSITIVITY_MODEL,
} from '../../../shared/classification/classify.ts';
import { evaluate, parseLabelled } from '../../../shared/classification/evaluate.ts';
import { hashText, MODEL_BITS } from '../../../shared/classification/features.ts';
import { LANGUAGE_MODEL } from '../../../shared/classification/language.ts';
import { LANGUAGE_MODEL_DATA } from '../../../shared/classification/language-model.data.ts';
import {
  decodeModel,
  fromBase64,
  loadModel,
  predict,
  toBase64,
} from '../../../shared/classification/linear-model.ts';
import { batchFolds, buildModels } from '../../../shared/classification/model-build.ts';
import { LabelledMessageSchema } from '../../../shared/classification/schema.ts';
import {
  SENSITIVITY_MODEL_DATA,
  SENSITIVITY_THRESHOLDS,
} from '../../../shared/classification/sensitivity-model.data.ts';
import { quantise, type TrainingExample, train } from '../../../shared/classification/train.ts';

const labelled = (file: string) =>
  parseLabelled(
    readFileSync(fileURLToPath(new URL(`../../../data/classifier/${file}`, import.meta.url)), 'utf8'),
    (v) => LabelledMessageSchema.parse(v),
  );
const dev = () => labelled('dev.jsonl');

describe('the shipped models', () => {
  it('are what the tuning data trains (run npm run build:classifier-model after changing the data, lexicon or rules)', () => {
    const built = buildModels(dev(), undefined, labelled('status-requests.jsonl'));
    expect(built.language).toEqual(LANGUAGE_MODEL_DATA);
    expect(built.sensitivity).toEqual(SENSITIVITY_MODEL_DATA);
    expect(built.thresholds).toEqual(SENSITIVITY_THRESHOLDS);
    expect(built.category).toEqual(CATEGORY_MODEL_DATA);
  }, 300_000);

  it('are loaded by the classifier, and small', () => {
    expect(LANGUAGE_MODEL).not.toBeNull();
    expect(SENSITIVITY_MODEL).not.toBeNull();
    expect(CATEGORY_MODEL).not.toBeNull();
    const weights =
      (LANGUAGE_MODEL_DATA?.weights.length ?? 0) +
      (SENSITIVITY_MODEL_DATA?.weights.length ?? 0) +
      (CATEGORY_MODEL_DATA?.weights.length ?? 0);
    expect(weights).toBeGreaterThan(0);
    expect(weights).toBeLessThan(50 * 1024);
  });

  it('are left out, not misread, when the stored data does not fit the features', () => {
    expect(loadModel(SENSITIVITY_MODEL_DATA, MODEL_BITS + 1, 81, ['none', 'S2', 'S3'])).toBeNull();
    expect(loadModel(null, MODEL_BITS, 1, ['a'])).toBeNull();
    expect(() => decodeModel({ ...SENSITIVITY_MODEL_DATA!, weights: 'AAAA' })).toThrow(/weights stored/);
  });
});

describe('the sensitivity model over explicit misconduct', () => {
  // A tuning message the model learned as S3 (child labour), which the rules read as misconduct on the word
  // "market": the mechanism, not how well it generalises (the README's held-out figures say that).
  const text = 'my little brother carries heavy sacks in the market all day';

  it('moves an explicit S2 to S3 when it reads S3 as more likely than not, with the category that goes with it', () => {
    expect(classify(text, undefined, { model: false })).toMatchObject({
      sensitivity: 'S2',
      basis: 'explicit',
      category: 'C06',
    });
    const raised = classify(text);
    expect(raised).toMatchObject({ sensitivity: 'S3', basis: 'model', category: 'C08' });
    expect(raised.reasons).toEqual(expect.arrayContaining(['C06.words', 'model.S3']));
  });

  it('leaves explicit fraud at S2: the bar is higher than the S3 threshold for unrestricted messages', () => {
    expect(EXPLICIT_S3_RAISE).toBeGreaterThan(0.1);
    for (const fraud of [
      'the guard at the gate asked us for 10 thousand to let us in',
      'ياخذون منا فلوس رشوة حتى يسجلونا',
    ])
      expect(classify(fraud), fraud).toMatchObject({ sensitivity: 'S2', basis: 'explicit', category: 'C06' });
  });
});

describe('a message the sensitivity model raises to S2', () => {
  it('is filed under staff conduct only on a word for it, never as a fallback for "unclear"', () => {
    let raised = 0;
    for (const m of dev()) {
      const result = classify(m.text);
      if (result.basis !== 'model' || result.sensitivity !== 'S2') continue;
      raised++;
      if (result.category === 'C05')
        expect(
          result.evidence.some((e) => e.startsWith('C05:') || e === 'model:category=C05'),
          m.id,
        ).toBe(true);
    }
    expect(raised).toBeGreaterThan(50);
  });

  it('keeps what it is about when the rules saw no misconduct in it', () => {
    // A tuning message (gold S0: the guard carried the water jar for an old woman) the model restricts: a guard
    // by name and nothing the rules read as misconduct. Before, it was filed as staff conduct (C05).
    const text = 'el 7aris shal el jarra lil 3ajooza';
    expect(classify(text, undefined, { model: false })).toMatchObject({ sensitivity: 'S0', category: 'C03' });
    expect(classify(text)).toMatchObject({ sensitivity: 'S2', basis: 'model', category: 'C03' });
  });
});

describe('cross-validation folds', () => {
  const message = (id: string) => ({ id }) as never;

  it('keep each batch of a hundred ids in one fold and deal the batches to the folds in turn', () => {
    const ids = [...Array.from({ length: 12 }, (_, b) => [`DF-${b * 100 + 1}`, `DF-${b * 100 + 57}`]).flat()];
    const folds = batchFolds(ids.map(message));
    for (let b = 0; b < 12; b++) {
      expect(folds[2 * b], `batch ${b}`).toBe(folds[2 * b + 1]);
      expect(folds[2 * b]).toBe(b % 5);
    }
  });

  it('fall back to one message at a time when the ids name too few batches to fill the folds', () => {
    expect(batchFolds(['D-1', 'D-2', 'D-3', 'D-4', 'D-5', 'D-6'].map(message))).toEqual([0, 1, 2, 3, 4, 0]);
  });
});

describe('the category model', () => {
  const messages = ['dev', 'test', 'fresh', 'field', 'final', 'ordinary'].flatMap((set) =>
    labelled(`${set}.jsonl`),
  );
  const SENSITIVE = ['C05', 'C06', 'C07', 'C08', 'C09'];
  const pairs = messages.map((m) => ({
    m,
    withModel: classify(m.text),
    without: classify(m.text, undefined, { categoryModel: false }),
  }));
  const moved = pairs.filter((p) => p.withModel.category !== p.without.category);

  it('moves categories, and says so in the evidence of each one it moves', () => {
    expect(moved.length).toBeGreaterThan(50);
    for (const p of pairs)
      expect(p.withModel.evidence.includes(`model:category=${p.withModel.category ?? 'none'}`), p.m.id).toBe(
        p.withModel.category !== p.without.category,
      );
  });

  it('is not asked when the person chose the category', () => {
    const moved1 = moved[0]!;
    const chosen = classify(moved1.m.text, { category: 'C04' });
    expect(chosen.category).toBe('C04');
    expect(chosen.evidence.some((e) => e.startsWith('model:category='))).toBe(false);
  });

  it('moves nothing but the category and the sector that follows it', () => {
    for (const { m, withModel, without } of pairs) {
      const { category: _a, sector: _b, evidence: e1, ...rest } = withModel;
      const { category: _c, sector: _d, evidence: e2, ...restWithout } = without;
      expect(rest, m.id).toEqual(restWithout);
      expect(
        e1.filter((e) => !e.startsWith('model:category=')),
        m.id,
      ).toEqual(e2);
    }
  });

  it('leaves a category a pattern rule chose, and never takes a message out of a sensitive category', () => {
    for (const { m, withModel, without } of moved) {
      expect(
        without.evidence.some((e) => e.startsWith('rule:') && e.endsWith(`→${without.category}`)),
        m.id,
      ).toBe(false);
      if (without.category !== null && SENSITIVE.includes(without.category))
        expect(SENSITIVE, m.id).toContain(withModel.category);
      if (withModel.sensitivity === 'S3') expect(['C07', 'C08'], m.id).toContain(withModel.category);
      if (withModel.type === 'complaint') expect(withModel.category, m.id).not.toBeNull();
    }
  });

  it('raises category macro-F1 on the held-out parts, which it never trained on', () => {
    const heldOut = pairs.filter((p) => p.m.id.startsWith('T'));
    expect(heldOut.length).toBe(1595);
    const f1 = (pick: (p: (typeof pairs)[number]) => ReturnType<typeof classify>) =>
      evaluate(
        heldOut.map((p) => p.m),
        heldOut.map(pick),
      ).category.macroF1;
    // 0.831 without it and 0.862 with it, measured on 2026-12-04.
    expect(f1((p) => p.without)).toBeLessThan(0.84);
    expect(f1((p) => p.withModel)).toBeGreaterThanOrEqual(0.861);
  });
});

describe('hashed features', () => {
  it('are the same for Sorani typed on a Kurdish and on an Arabic keyboard', () => {
    const copy = (text: string) => {
      const h = hashText(text, MODEL_BITS);
      return [Array.from(h.index.subarray(0, h.count)), Array.from(h.value.subarray(0, h.count))];
    };
    expect(copy('پارەکەمان نەگەیشتووە')).toEqual(copy('پارەكەمان نەگەيشتووە'));
    expect(copy('pere negihîşt')).toEqual(copy('pere negihist'));
  });

  it('leave out numbers of three digits or more (a phone number, a card), not short numbers or Arabizi', () => {
    const copy = (text: string) => {
      const h = hashText(text, MODEL_BITS);
      return [Array.from(h.index.subarray(0, h.count)), h.words];
    };
    expect(copy('الماء مقطوع ٠٧٥٠١٢٣٤٥٦٧ منذ ثلاثة أيام 4821')).toEqual(copy('الماء مقطوع منذ ثلاثة أيام'));
    expect(copy('block 6 is broken')).not.toEqual(copy('block is broken'));
    expect(copy('ta3ali 7abibti')).not.toEqual(copy('ta3ali'));
    expect(hashText('123456', MODEL_BITS).count).toBe(0);
  });

  it('stay inside the buckets and weigh a message as a whole (values of length one)', () => {
    const h = hashText('el mowazaf gal ta3ali wa7dich bil lail', MODEL_BITS);
    expect(h.words).toBe(7);
    let squares = 0;
    for (let k = 0; k < h.count; k++) {
      expect(h.index[k]).toBeGreaterThanOrEqual(0);
      expect(h.index[k]).toBeLessThan(1 << MODEL_BITS);
      squares += h.value[k]! ** 2;
    }
    expect(squares).toBeCloseTo(1, 5);
    expect(hashText('', MODEL_BITS).count).toBe(0);
  });
});

describe('training and the stored form', () => {
  // Two classes told apart by one bucket each, and a dense input that says nothing.
  const examples: TrainingExample[] = Array.from({ length: 40 }, (_, i) => ({
    index: Int32Array.of(i % 2 === 0 ? 3 : 5, 9),
    value: Float32Array.of(1, 0.5),
    dense: Float64Array.of(1),
    label: i % 2,
  }));
  const options = {
    labels: ['even', 'odd'],
    bits: 4,
    dense: 1,
    epochs: 5,
    rate: 0.3,
    l2: 1e-5,
    classWeights: [1, 1],
    seed: 7,
  } as const;

  it('learns a separable toy problem, and the quantised model predicts the same classes', () => {
    const model = decodeModel(quantise(train(examples, options)));
    const out = new Float64Array(2);
    const hashed = (bucket: number) => ({
      index: Int32Array.of(bucket, 9),
      value: Float32Array.of(1, 0.5),
      count: 2,
      words: 1,
      wordHashes: new Int32Array(0),
    });
    expect(predict(model, hashed(3), [1], out)[0]).toBeGreaterThan(0.9);
    expect(predict(model, hashed(5), [1], out)[1]).toBeGreaterThan(0.9);
  });

  it('gives the same bytes every time (the staleness check depends on it)', () => {
    expect(quantise(train(examples, options))).toEqual(quantise(train(examples, options)));
  });

  it('round-trips bytes through base64 and refuses other characters', () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    for (const length of [0, 1, 2, 3, 100, 256]) {
      expect(Array.from(fromBase64(toBase64(bytes.subarray(0, length))))).toEqual(
        Array.from(bytes.subarray(0, length)),
      );
    }
    expect(toBase64(Uint8Array.of(0xfb, 0xff))).toBe('+/8=');
    expect(() => fromBase64('AB$=')).toThrow(/unexpected character/);
  });
});
