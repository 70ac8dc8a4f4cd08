import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { classify } from '../../../shared/classification/classify.ts';
import { evaluate, parseLabelled } from '../../../shared/classification/evaluate.ts';
import { LabelledMessageSchema } from '../../../shared/classification/schema.ts';

const load = (set: 'dev' | 'test') =>
  parseLabelled(
    readFileSync(fileURLToPath(new URL(`../../../data/classifier/${set}.jsonl`, import.meta.url)), 'utf8'),
    (v) => LabelledMessageSchema.parse(v),
  );

describe('labelled data', () => {
  it('has at least 450 messages, 80 per language, every category and type, and 40 S3', () => {
    const all = [...load('dev'), ...load('test')];
    expect(all.length).toBeGreaterThanOrEqual(450);
    for (const language of ['ar', 'ckb', 'kmr', 'en']) {
      expect(all.filter((m) => m.language === language).length).toBeGreaterThanOrEqual(80);
    }
    expect(new Set(all.map((m) => m.category).filter((c) => c !== null)).size).toBe(10);
    expect(new Set(all.map((m) => m.type)).size).toBe(7);
    expect(all.filter((m) => m.sensitivity === 'S3').length).toBeGreaterThanOrEqual(40);
    expect(new Set(all.map((m) => m.id)).size).toBe(all.length);
  });
});

describe('classifier on the held-out test split', () => {
  const gold = load('test');
  const report = evaluate(
    gold,
    gold.map((m) => classify(m.text)),
  );

  it('meets category macro-F1 >= 0.85', () => {
    expect(report.category.macroF1).toBeGreaterThanOrEqual(0.85);
  });

  it('meets S3 recall >= 0.98', () => {
    expect(report.s3Support).toBeGreaterThan(0);
    expect(report.s3Recall).toBeGreaterThanOrEqual(0.98);
  });

  it('meets language accuracy >= 0.97', () => {
    expect(report.languageAccuracy).toBeGreaterThanOrEqual(0.97);
  });
});
