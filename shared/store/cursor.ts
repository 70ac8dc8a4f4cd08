import * as z from 'zod';
import { RequestError } from '../errors/domain-error.ts';

const CursorSchema = z.record(z.string(), z.string());

/** Encodes a DynamoDB LastEvaluatedKey as an opaque cursor. */
export const encodeCursor = (key: Record<string, unknown> | undefined): string | undefined =>
  key ? Buffer.from(JSON.stringify(key), 'utf8').toString('base64url') : undefined;

/**
 * Decodes a cursor and checks that it belongs to the query it is used with (its partition key matches), so a
 * tampered or reused cursor is a 400, not a DynamoDB error.
 */
export function decodeCursor(
  cursor: string | undefined,
  partition: { attribute: string; value: string },
): Record<string, string> | undefined {
  if (!cursor) return undefined;
  try {
    const parsed = CursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    if (parsed[partition.attribute] !== partition.value) throw new Error('cursor from another query');
    return parsed;
  } catch {
    throw new RequestError(400, 'REQUEST.INVALID_CURSOR', 'The cursor is not valid for this query.');
  }
}
