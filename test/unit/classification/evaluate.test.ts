import { describe, expect, it } from 'vitest';
import { classScores, confusion, evaluate, macroF1 } from '../../../shared/classification/evaluate.ts';
import type { Classification, LabelledMessage } from '../../../shared/classification/schema.ts';

describe('evaluation metrics', () => {
  // gold:      a a a a b b c c c c
  // predicted: a a a b b c c c c a
  // a: TP 3, predicted 4, gold 4 → P 0.75, R 0.75, F1 0.75
  // b: TP 1, predicted 2, gold 2 → P 0.5,  R 0.5,  F1 0.5
  // c: TP 3, predicted 4, gold 4 → P 0.75, R 0.75, F1 0.75
  const gold = ['a', 'a', 'a', 'a', 'b', 'b', 'c', 'c', 'c', 'c'];
  const predicted = ['a', 'a', 'a', 'b', 'b', 'c', 'c', 'c', 'c', 'a'];

  it('builds the confusion matrix with gold rows and predicted columns', () => {
    expect(confusion(gold, predicted, ['a', 'b', 'c']).counts).toEqual([
      [3, 1, 0],
      [0, 1, 1],
      [1, 0, 3],
    ]);
  });

  it('computes per-class precision, recall and F1 and their macro mean', () => {
    const scores = classScores(confusion(gold, predicted, ['a', 'b', 'c', 'd']));
    const byLabel = Object.fromEntries(scores.map((s) => [s.label, s]));
    expect(byLabel.a).toMatchObject({ precision: 0.75, recall: 0.75, f1: 0.75, support: 4, predicted: 4 });
    expect(byLabel.b).toMatchObject({ precision: 0.5, recall: 0.5, f1: 0.5, support: 2, predicted: 2 });
    expect(byLabel.c).toMatchObject({ precision: 0.75, recall: 0.75, f1: 0.75 });
    expect(byLabel.d).toMatchObject({ precision: 0, recall: 0, f1: 0, support: 0, predicted: 0 });
    // 'd' neither occurs nor is predicted, so it does not dilute the macro mean.
    expect(macroF1(scores)).toBeCloseTo((0.75 + 0.5 + 0.75) / 3, 10);
  });

  it('gives F1 from unequal precision and recall', () => {
    // x: TP 1, predicted 1, gold 2 → P 1, R 0.5, F1 2/3
    const scores = classScores(confusion(['x', 'x', 'y'], ['x', 'y', 'y'], ['x', 'y']));
    expect(scores[0]!.f1).toBeCloseTo(2 / 3, 10);
    expect(scores[1]).toMatchObject({ precision: 0.5, recall: 1 });
  });

  it('rejects labels it was not told about and inputs of different lengths', () => {
    expect(() => confusion(['a'], ['z'], ['a'])).toThrow();
    expect(() => confusion(['a', 'a'], ['a'], ['a'])).toThrow();
  });

  it('reports S3 recall, sensitivity and language accuracy over messages', () => {
    const message = (
      id: string,
      sensitivity: LabelledMessage['sensitivity'],
      language: LabelledMessage['language'],
    ) =>
      ({
        id,
        text: id,
        language,
        type: 'complaint',
        category: sensitivity === 'S3' ? 'C07' : 'C03',
        sector: 'other',
        sensitivity,
        urgency: 'action',
        variants: language === 'ar' ? ['iraqi', 'short'] : language === 'ckb' ? ['arabic-keyboard'] : [],
      }) satisfies LabelledMessage;
    const prediction = (
      sensitivity: Classification['sensitivity'],
      language: Classification['language'],
      category: Classification['category'],
    ): Classification => ({
      language,
      script: 'arabic',
      type: 'complaint',
      category,
      sector: 'other',
      sensitivity,
      urgency: 'action',
      confidence: 0.5,
      evidence: [],
      basis: sensitivity === 'S0' ? 'none' : 'explicit',
      reasons: [],
    });
    const report = evaluate(
      [
        message('1', 'S3', 'ar'),
        message('2', 'S3', 'en'),
        message('3', 'S0', 'ckb'),
        message('4', 'S0', 'kmr'),
      ],
      [
        prediction('S3', 'ar', 'C07'),
        prediction('S2', 'en', 'C05'),
        prediction('S3', 'ckb', 'C07'),
        prediction('S0', 'en', 'C03'),
      ],
    );
    expect(report.s3Recall).toBe(0.5);
    expect(report.s3Precision).toBe(0.5);
    expect(report.sensitivityAccuracy).toBe(0.5);
    expect(report.sensitivityUnderRate).toBe(0.25);
    expect(report.languageAccuracy).toBe(0.75);
    expect(report.category.accuracy).toBe(0.5);
  });
});
