import { describe, expect, it } from 'vitest';
import { NumberPrecisionError, UnstorableValueError } from '#shared/errors/aws-errors.ts';
import { imageToItem, marshallItem, readNumber, unmarshallItem } from '#shared/store/dynamodb.ts';

describe('DynamoDB values through the SDK marshaller', () => {
  it('reads a stream image from DynamoDB Local, which writes an empty map as {} at any depth', () => {
    const image = {
      pk: { S: 'CASE#K7MQ-4XZ9' },
      contact: {},
      routing: { M: { extra: {}, focalPoints: { L: [{ S: 'a' }, {}] } } },
    };
    expect(imageToItem(image)).toEqual({
      pk: 'CASE#K7MQ-4XZ9',
      contact: {},
      routing: { extra: {}, focalPoints: ['a', {}] },
    });
  });

  it('round-trips what it writes, leaving out undefined members as a document client does', () => {
    const item = { pk: 'A', n: 3, ok: true, none: null, list: [1, 'x'], map: { inner: { deep: 'y' } } };
    expect(unmarshallItem(marshallItem({ ...item, gone: undefined, list: [1, undefined, 'x'] }))).toEqual(
      item,
    );
  });

  it('writes a set of numbers as a number set and a set of strings as a string set', () => {
    expect(marshallItem({ ns: new Set([1, 2.5]), ss: new Set(['a', 'b']) })).toEqual({
      ns: { NS: ['1', '2.5'] },
      ss: { SS: ['a', 'b'] },
    });
    expect(unmarshallItem({ ns: { NS: ['1', '2.5'] }, ss: { SS: ['a'] } })).toEqual({
      ns: new Set([1, 2.5]),
      ss: new Set(['a']),
    });
  });

  it('reads a number as a number when a double holds it exactly, in any notation DynamoDB may use', () => {
    expect(readNumber('42')).toBe(42);
    expect(readNumber('-0.125')).toBe(-0.125);
    expect(readNumber('0.1')).toBe(0.1);
    expect(readNumber('1.50')).toBe(1.5);
    expect(readNumber('0.00000000015')).toBe(1.5e-10);
    expect(readNumber('1E+2')).toBe(100);
    expect(readNumber(String(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('reads an integer beyond 2^53 as an exact bigint, and refuses a decimal a double would round', () => {
    expect(readNumber('9007199254740993')).toBe(9007199254740993n);
    expect(readNumber('-123456789012345678901234567890')).toBe(-123456789012345678901234567890n);
    expect(readNumber('1E+30')).toBe(10n ** 30n);
    expect(() => readNumber('0.1000000000000000000000001')).toThrow(NumberPrecisionError);
    expect(() => readNumber('12345678901234567890.5')).toThrow(NumberPrecisionError);
  });

  it('refuses to write a number that may already have lost digits, and writes a bigint digit for digit', () => {
    expect(() => marshallItem({ n: 2 ** 60 })).toThrow(UnstorableValueError);
    expect(() => marshallItem({ n: Number.NaN })).toThrow(UnstorableValueError);
    expect(() => marshallItem({ s: new Set() })).toThrow(UnstorableValueError);
    expect(marshallItem({ n: 2n ** 60n + 1n })).toEqual({ n: { N: '1152921504606846977' } });
  });
});
