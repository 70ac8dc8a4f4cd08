/**
 * Training for the linear models (linear-model.ts): multinomial logistic regression with AdaGrad and L2, in a
 * fixed order from a seeded shuffle, so that the same data always gives the same bytes. Used at build time by
 * scripts/build-classifier-model.ts and by the unit test that checks the shipped model is not stale; never
 * imported by the classifier itself, so it adds nothing to a Lambda bundle.
 */
import type { EncodedLinearModel } from './linear-model.ts';
import { toBase64 } from './linear-model.ts';

/** One training message: its hashed features (copied out of the scratch), its dense inputs and its class. */
export interface TrainingExample {
  readonly index: Int32Array;
  readonly value: Float32Array;
  readonly dense: Float64Array;
  readonly label: number;
}

export interface TrainingOptions {
  readonly labels: readonly string[];
  readonly bits: number;
  readonly dense: number;
  readonly epochs: number;
  readonly rate: number;
  readonly l2: number;
  /** Weight of each class's examples in the loss (recall for the rare classes). */
  readonly classWeights: readonly number[];
  readonly seed: number;
}

/** Trained weights before quantisation: `weights[feature * classes + c]`. */
export interface TrainedModel {
  readonly weights: Float64Array;
  readonly bias: Float64Array;
  readonly options: TrainingOptions;
}

/** A small deterministic generator (an LCG), so that the shuffle is the same on every machine. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 0x100000000;
  };
}

/** Trains on `examples`; deterministic for the same examples, options and order. */
export function train(examples: readonly TrainingExample[], options: TrainingOptions): TrainedModel {
  const classes = options.labels.length;
  const buckets = 1 << options.bits;
  const features = buckets + options.dense;
  const weights = new Float64Array(features * classes);
  const squares = new Float64Array(features * classes).fill(1e-6);
  const bias = new Float64Array(classes);
  const biasSquares = new Float64Array(classes).fill(1e-6);
  const scores = new Float64Array(classes);
  const order = examples.map((_, i) => i);
  const next = random(options.seed);

  const step = (feature: number, x: number, error: Float64Array): void => {
    const base = feature * classes;
    for (let c = 0; c < classes; c++) {
      const g = error[c]! * x + options.l2 * weights[base + c]!;
      squares[base + c]! += g * g;
      weights[base + c]! -= (options.rate * g) / Math.sqrt(squares[base + c]!);
    }
  };
  const error = new Float64Array(classes);
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const e of order) {
      const example = examples[e]!;
      score(weights, bias, classes, buckets, example, scores);
      const weight = options.classWeights[example.label]!;
      for (let c = 0; c < classes; c++) error[c] = (scores[c]! - (c === example.label ? 1 : 0)) * weight;
      for (let k = 0; k < example.index.length; k++) step(example.index[k]!, example.value[k]!, error);
      for (let d = 0; d < options.dense; d++) {
        const x = example.dense[d]!;
        if (x !== 0) step(buckets + d, x, error);
      }
      for (let c = 0; c < classes; c++) {
        biasSquares[c]! += error[c]! * error[c]!;
        bias[c]! -= (options.rate * error[c]!) / Math.sqrt(biasSquares[c]!);
      }
    }
  }
  return { weights, bias, options };
}

/** Class probabilities of one example under unquantised weights. */
export function score(
  weights: Float64Array,
  bias: Float64Array,
  classes: number,
  buckets: number,
  example: Pick<TrainingExample, 'index' | 'value' | 'dense'>,
  out: Float64Array,
): Float64Array {
  for (let c = 0; c < classes; c++) out[c] = bias[c]!;
  for (let k = 0; k < example.index.length; k++) {
    const base = example.index[k]! * classes;
    for (let c = 0; c < classes; c++) out[c]! += weights[base + c]! * example.value[k]!;
  }
  for (let d = 0; d < example.dense.length; d++) {
    const x = example.dense[d]!;
    if (x === 0) continue;
    const base = (buckets + d) * classes;
    for (let c = 0; c < classes; c++) out[c]! += weights[base + c]! * x;
  }
  let max = Number.NEGATIVE_INFINITY;
  for (let c = 0; c < classes; c++) max = Math.max(max, out[c]!);
  let sum = 0;
  for (let c = 0; c < classes; c++) {
    out[c] = Math.exp(out[c]! - max);
    sum += out[c]!;
  }
  for (let c = 0; c < classes; c++) out[c]! /= sum;
  return out;
}

const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;

/** Quantises trained weights to one signed byte each (a scale per class for buckets, another for dense inputs). */
export function quantise(model: TrainedModel): EncodedLinearModel {
  const { options } = model;
  const classes = options.labels.length;
  const buckets = 1 << options.bits;
  const features = buckets + options.dense;
  const scaleOf = (from: number, to: number): number[] =>
    options.labels.map((_, c) => {
      let max = 0;
      for (let f = from; f < to; f++) max = Math.max(max, Math.abs(model.weights[f * classes + c]!));
      return round6(max === 0 ? 1 : max / 127);
    });
  const scales = scaleOf(0, buckets);
  const denseScales = scaleOf(buckets, features);
  const bytes = new Uint8Array(features * classes);
  for (let f = 0; f < features; f++) {
    const s = f < buckets ? scales : denseScales;
    for (let c = 0; c < classes; c++) {
      const q = Math.max(-127, Math.min(127, Math.round(model.weights[f * classes + c]! / s[c]!)));
      bytes[f * classes + c] = q & 0xff;
    }
  }
  return {
    labels: [...options.labels],
    bits: options.bits,
    dense: options.dense,
    scales,
    denseScales,
    bias: Array.from(model.bias, round6),
    weights: toBase64(bytes),
  };
}
