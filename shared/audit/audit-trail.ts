/**
 * The audit trail of staff access: who read or did what to which cases, when and why. One item per access, pk
 * `AUDIT#<yyyy-mm-dd>`, sk `<at>#<id>`, so a day's trail is one Query in time order; beside it a copy under the
 * user (`AUDIT#USER#<userId>`) and one under each case (`AUDIT#CASE#<caseId>`), so "who saw this case" and "what
 * did this person see" are each one Query too. Items hold ids, roles and a reason, never personal data (no phone
 * numbers, names or narratives).
 */
import * as z from 'zod';
import { decodeCursor, encodeCursor } from '../store/cursor.ts';
import type { DynamoDb, Item } from '../store/dynamodb.ts';
import { newId } from '../store/ids.ts';

export const AUDIT_ACTIONS = [
  'case.read',
  'case.list',
  'case.lookup',
  'case.export',
  'case.write',
  'case.break_glass',
  'case.restriction',
  'case.consent',
  'case.referral',
  /** A case moved to another agency (both agencies are named in `why`). */
  'case.transfer',
  /** An admin's change to the hotline roster (operator ids only; never a phone number). */
  'roster.write',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AuditEntrySchema = z.object({
  auditId: z.string(),
  at: z.string(),
  who: z.object({ userId: z.string(), roles: z.array(z.string()) }),
  action: z.enum(AUDIT_ACTIONS),
  /** Case ids concerned (ids are not personal data); long lists are split over several entries. */
  caseIds: z.array(z.string()),
  /** Why: `routine` for ordinary work, the written reason for break-glass and restriction changes. */
  why: z.string().max(2000),
  /** The route or job that did it (`GET /api/cases/{id}`). */
  via: z.string().max(200),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

export const auditKeys = {
  day: (date: string) => `AUDIT#${date}`,
  user: (userId: string) => `AUDIT#USER#${userId}`,
  case: (caseId: string) => `AUDIT#CASE#${caseId}`,
  entry: (at: string, auditId: string) => ({ pk: `AUDIT#${at.slice(0, 10)}`, sk: `${at}#${auditId}` }),
};

const MAX_IDS_PER_ENTRY = 100;

/** Which part of the trail to read: one case, one user (or both), else one day. */
export interface AuditQuery {
  caseId?: string | undefined;
  userId?: string | undefined;
  /** `yyyy-mm-dd`; the day read when neither a case nor a user is given. */
  date?: string | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
}

export interface AuditPage {
  items: AuditEntry[];
  cursor?: string;
}

export interface AuditTrail {
  /** Writes the entries for one access (several when it concerns more than 100 cases). */
  record(entry: Omit<AuditEntry, 'auditId' | 'at'>): Promise<AuditEntry[]>;
  /** A day's entries (`yyyy-mm-dd`) in time order. */
  day(date: string): Promise<AuditEntry[]>;
  /** A page of the trail, newest first. */
  list(query: AuditQuery): Promise<AuditPage>;
}

const entryOf = (item: Item): AuditEntry =>
  AuditEntrySchema.parse({
    auditId: item.auditId,
    at: item.at,
    who: item.who,
    action: item.action,
    caseIds: item.caseIds,
    why: item.why,
    via: item.via,
  });

export function makeAuditTrail(deps: { db: DynamoDb; tableName: string; now?: () => Date }): AuditTrail {
  const { db, tableName } = deps;
  const now = deps.now ?? (() => new Date());
  return {
    async record(entry) {
      const at = now().toISOString();
      const chunks: string[][] = [];
      for (let i = 0; i < entry.caseIds.length; i += MAX_IDS_PER_ENTRY) {
        chunks.push(entry.caseIds.slice(i, i + MAX_IDS_PER_ENTRY));
      }
      if (chunks.length === 0) chunks.push([]);
      const written: AuditEntry[] = [];
      for (const caseIds of chunks) {
        const e = AuditEntrySchema.parse({ ...entry, caseIds, at, auditId: newId(Date.parse(at)) });
        const { pk, sk } = auditKeys.entry(at, e.auditId);
        const copies = [auditKeys.user(e.who.userId), ...e.caseIds.map(auditKeys.case)];
        await Promise.all([
          db.put({ TableName: tableName, Item: { pk, sk, entity: 'audit', ...e } }),
          ...copies.map((copy) =>
            db.put({ TableName: tableName, Item: { pk: copy, sk, entity: 'audit_index', ...e } }),
          ),
        ]);
        written.push(e);
      }
      return written;
    },
    async day(date) {
      const items = await db.queryAll({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': auditKeys.day(date) },
      });
      return items.map(entryOf);
    },
    async list(q) {
      const pk = q.caseId
        ? auditKeys.case(q.caseId)
        : q.userId
          ? auditKeys.user(q.userId)
          : auditKeys.day(q.date ?? now().toISOString().slice(0, 10));
      const byUserInCase = q.caseId !== undefined && q.userId !== undefined;
      const page = await db.query({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ...(byUserInCase
          ? {
              FilterExpression: '#who.#user = :user',
              ExpressionAttributeNames: { '#who': 'who', '#user': 'userId' },
            }
          : {}),
        ExpressionAttributeValues: { ':pk': pk, ...(byUserInCase ? { ':user': q.userId } : {}) },
        ScanIndexForward: false,
        Limit: Math.min(Math.max(q.limit ?? 50, 1), 200),
        ExclusiveStartKey: decodeCursor(q.cursor, { attribute: 'pk', value: pk }),
      });
      const cursor = encodeCursor(page.lastKey);
      return { items: page.items.map(entryOf), ...(cursor ? { cursor } : {}) };
    },
  };
}
