/**
 * A small linear classifier over hashed n-gram features (features.ts) and a few dense inputs, as shipped: one
 * signed byte per weight and class, a scale per class, a bias per class. Trained at build time (train.ts,
 * `npm run build:classifier-model`); decoded once at module load into typed arrays.
 */
import { bucketMask, type HashedText } from './features.ts';

/** A model as stored in a generated data module. */
export interface EncodedLinearModel {
  /** Output classes, in score order. */
  readonly labels: readonly string[];
  /** The hashed features use `2^bits` buckets. */
  readonly bits: number;
  /** Dense inputs after the hashed buckets. */
  readonly dense: number;
  /** A bucket's weight for class `c` is its signed byte × `scales[c]`. */
  readonly scales: readonly number[];
  /** A dense input's weight for class `c` is its signed byte × `denseScales[c]`. */
  readonly denseScales: readonly number[];
  readonly bias: readonly number[];
  /**
   * Base64 of the signed bytes, feature by feature (the buckets, then the dense inputs), each feature's classes
   * side by side.
   */
  readonly weights: string;
}

/** A decoded model. */
export interface LinearModel {
  readonly labels: readonly string[];
  readonly classes: number;
  readonly bits: number;
  readonly dense: number;
  /** `weights[feature * classes + c]` as stored (the scales are applied to the sums, not to each weight). */
  readonly weights: Int8Array;
  readonly scales: Float64Array;
  readonly denseScales: Float64Array;
  readonly bias: Float64Array;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64_INDEX = new Int16Array(128).fill(-1);
for (let i = 0; i < BASE64.length; i++) BASE64_INDEX[BASE64.charCodeAt(i)] = i;

/** Bytes to base64 (no line breaks), without Node's Buffer so the module stays plain TypeScript. */
export function toBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!;
    const b = i + 1 < bytes.length ? bytes[i + 1]! : 0;
    const c = i + 2 < bytes.length ? bytes[i + 2]! : 0;
    out += BASE64[a >> 2]! + BASE64[((a & 3) << 4) | (b >> 4)]!;
    out += i + 1 < bytes.length ? BASE64[((b & 15) << 2) | (c >> 6)]! : '=';
    out += i + 2 < bytes.length ? BASE64[c & 63]! : '=';
  }
  return out;
}

/**
 * Base64 to bytes; throws on a character outside the alphabet. Node's own decoder when there is one (a cold
 * start then runs no loop over the weights), this one otherwise.
 */
export function fromBase64(text: string): Uint8Array {
  if (/[^A-Za-z0-9+/=]/.test(text)) throw new Error('base64: unexpected character');
  if (typeof Buffer !== 'undefined') {
    const bytes = Buffer.from(text, 'base64');
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
  }
  return decodeBase64(text);
}

function decodeBase64(text: string): Uint8Array {
  const clean = text.replace(/=+$/, '');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0;
  let buffer = 0;
  let o = 0;
  for (let i = 0; i < clean.length; i++) {
    const code = clean.charCodeAt(i);
    const v = code < 128 ? BASE64_INDEX[code]! : -1;
    if (v < 0) throw new Error(`base64: unexpected character at ${i}`);
    buffer = (buffer << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (buffer >> bits) & 0xff;
    }
  }
  return out;
}

/**
 * Decodes a shipped model, or null when there is none or it does not fit the features the code builds now (its
 * data predates a change of `bits`, of the dense inputs or of the classes). The classifier then runs on its
 * rules and word lists alone, and the unit test that retrains the models and compares them with the shipped
 * bytes fails until `npm run build:classifier-model` is run.
 */
export function loadModel(
  encoded: EncodedLinearModel | null,
  bits: number,
  dense: number,
  labels: readonly string[],
): LinearModel | null {
  if (encoded === null || encoded.bits !== bits || encoded.dense !== dense) return null;
  if (encoded.labels.join() !== labels.join()) return null;
  try {
    return decodeModel(encoded);
  } catch {
    return null;
  }
}

/** Decodes a stored model; throws when its parts do not fit together. */
export function decodeModel(encoded: EncodedLinearModel): LinearModel {
  const classes = encoded.labels.length;
  const features = (1 << encoded.bits) + encoded.dense;
  const bytes = fromBase64(encoded.weights);
  if (bytes.length !== features * classes)
    throw new Error(`model: ${bytes.length} weights stored, ${features * classes} expected`);
  if (
    encoded.scales.length !== classes ||
    encoded.denseScales.length !== classes ||
    encoded.bias.length !== classes
  )
    throw new Error('model: one scale, one dense scale and one bias per class expected');
  return {
    labels: encoded.labels,
    classes,
    bits: encoded.bits,
    dense: encoded.dense,
    weights: new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length),
    scales: Float64Array.from(encoded.scales),
    denseScales: Float64Array.from(encoded.denseScales),
    bias: Float64Array.from(encoded.bias),
  };
}

/**
 * Class probabilities (softmax of the linear scores) for hashed features and dense inputs, written into `out`
 * (length ≥ classes). `dense` must have `model.dense` entries.
 */
export function predict(
  model: LinearModel,
  hashed: HashedText,
  dense: ArrayLike<number>,
  out: Float64Array,
): Float64Array {
  const { classes, weights } = model;
  // Features hashed into more buckets than the model has fold onto its own (features.ts, MODEL_BITS).
  const mask = bucketMask(model.bits);
  for (let c = 0; c < classes; c++) {
    sparse[c] = 0;
    denseSum[c] = 0;
  }
  for (let k = 0; k < hashed.count; k++) {
    const base = (hashed.index[k]! & mask) * classes;
    const x = hashed.value[k]!;
    for (let c = 0; c < classes; c++) sparse[c]! += weights[base + c]! * x;
  }
  const denseBase = (1 << model.bits) * classes;
  for (let d = 0; d < model.dense; d++) {
    const x = dense[d]!;
    if (x === 0) continue;
    const base = denseBase + d * classes;
    for (let c = 0; c < classes; c++) denseSum[c]! += weights[base + c]! * x;
  }
  for (let c = 0; c < classes; c++)
    out[c] = model.bias[c]! + sparse[c]! * model.scales[c]! + denseSum[c]! * model.denseScales[c]!;
  softmax(out, classes);
  return out;
}

const sparse = new Float64Array(16);
const denseSum = new Float64Array(16);

/** In-place softmax of the first `n` scores. */
export function softmax(scores: Float64Array, n: number): void {
  let max = Number.NEGATIVE_INFINITY;
  for (let c = 0; c < n; c++) if (scores[c]! > max) max = scores[c]!;
  let sum = 0;
  for (let c = 0; c < n; c++) {
    scores[c] = Math.exp(scores[c]! - max);
    sum += scores[c]!;
  }
  for (let c = 0; c < n; c++) scores[c]! /= sum;
}
