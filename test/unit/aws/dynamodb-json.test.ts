import { describe, expect, it } from 'vitest';
import { type AttributeValue, marshallItem, unmarshallItem } from '../../../shared/aws/dynamodb.ts';

describe('DynamoDB JSON', () => {
  it('reads a stream image from DynamoDB Local, which writes an empty map as {} at any depth', () => {
    const image = {
      pk: { S: 'CASE#K7MQ-4XZ9' },
      contact: {},
      routing: { M: { extra: {}, focalPoints: { L: [{ S: 'a' }, {}] } } },
    } as unknown as Record<string, AttributeValue>;
    expect(unmarshallItem(image)).toEqual({
      pk: 'CASE#K7MQ-4XZ9',
      contact: {},
      routing: { extra: {}, focalPoints: ['a', {}] },
    });
  });

  it('round-trips what it writes', () => {
    const item = { pk: 'A', n: 3, ok: true, none: null, list: [1, 'x'], map: { inner: { deep: 'y' } } };
    expect(unmarshallItem(marshallItem(item))).toEqual(item);
  });
});
