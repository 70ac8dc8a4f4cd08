/**
 * The audit trail of staff access: who read or did what to which cases, when and why. One item per access, pk
 * `AUDIT#<yyyy-mm-dd>`, sk `<at>#<id>`, so a day's trail is one Query in time order. Items hold ids, roles and
 * a reason, never personal data (no phone numbers, names or narratives).
 */
import * as z from 'zod';
import type { DynamoDb } from '../store/dynamodb.ts';
import { newId } from '../store/ids.ts';

export const AUDIT_ACTIONS = [
  'case.read',
  'case.list',
  'case.lookup',
  'case.export',
  'case.write',
  'case.break_glass',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AuditEntrySchema = z.object({
  auditId: z.string(),
  at: z.string(),
  who: z.object({ userId: z.string(), roles: z.array(z.string()) }),
  action: z.enum(AUDIT_ACTIONS),
  /** Case ids concerned (ids are not personal data); long lists are split over several entries. */
  caseIds: z.array(z.string()),
  /** Why: `routine` for ordinary work, the written reason for break-glass. */
  why: z.string().max(2000),
  /** The route or job that did it (`GET /api/cases/{id}`). */
  via: z.string().max(200),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

export const auditKeys = {
  day: (date: string) => `AUDIT#${date}`,
  entry: (at: string, auditId: string) => ({ pk: `AUDIT#${at.slice(0, 10)}`, sk: `${at}#${auditId}` }),
};

const MAX_IDS_PER_ENTRY = 100;

export interface AuditTrail {
  /** Writes the entries for one access (several when it concerns more than 100 cases). */
  record(entry: Omit<AuditEntry, 'auditId' | 'at'>): Promise<AuditEntry[]>;
  /** A day's entries (`yyyy-mm-dd`) in time order. */
  day(date: string): Promise<AuditEntry[]>;
}

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
        await db.put({
          TableName: tableName,
          Item: { ...auditKeys.entry(at, e.auditId), entity: 'audit', ...e },
        });
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
      return items.map((it) => AuditEntrySchema.parse(it));
    },
  };
}
