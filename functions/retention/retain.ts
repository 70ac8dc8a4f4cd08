/**
 * Retention: personal data is removed from cases closed longer than the retention period, leaving the anonymous
 * case (classification, location P-codes, channel, language) and its clock for reporting.
 *
 * Removed: the contact (phone ciphertext and hash, name), the web lookup secret's hash, the narrative and the
 * media links (free text and recordings can name and identify people, in any case, restricted or not), and the
 * text of the timeline entries that carry words from or about the person (notes, messages, transcriptions,
 * recordings, callback requests). A `redacted` event records it. The case leaves the byPhone index, so the number
 * no longer finds it.
 *
 * Found without a Scan: closed cases sit in byStatusDue `STATUS#closed` (and `#R`) by closing time. A watermark
 * per partition (pk `RETENTION`, sk the partition) remembers how far the sweep got, so each run reads only the
 * cases that crossed the retention line since the last one. A case reopened and closed again gets a later
 * closing time and is reached again in its turn.
 */

import type { Platform } from '#functions/lib/platform.ts';
import { caseKeys } from '#shared/cases/case-keys.ts';
import type { Case } from '#shared/cases/case-schema.ts';
import type { Item } from '#shared/store/dynamodb.ts';
import { tableDefinition } from '#shared/store/table-definition.ts';

export const RETENTION_ACTOR = { kind: 'system', id: 'retention' } as const;
export const REDACTED_EVENT_TYPES = [
  'message_in',
  'transcription',
  'recording',
  'note',
  'callback_requested',
] as const;
const PAGE = 100;
const MAX_PAGES = 50;

export const watermarkKey = (partition: string) => ({ pk: 'RETENTION', sk: partition });

export interface RetentionReport {
  examined: number;
  redacted: number;
}

/** The case without its personal data. */
export function redact(c: Case, at: string): Case {
  const next: Case = { ...c, contact: {}, narrative: '', mediaUrls: [], redactedAt: at };
  delete next.lookupSecretHash;
  // The officer's words to the person can name them as well as the narrative can.
  delete next.outcomeMessage;
  return next;
}

export function makeRetention(platform: Platform, options: { retentionDays: number }) {
  const { db, tableName } = platform;
  const ix = tableDefinition.indexes.byStatusDue;

  async function redactTimeline(caseId: string): Promise<number> {
    let n = 0;
    for (const e of await platform.cases.timeline(caseId)) {
      if (!(REDACTED_EVENT_TYPES as readonly string[]).includes(e.type) || (!e.data && !e.reason)) continue;
      await db.update({
        TableName: tableName,
        Key: caseKeys.event(caseId, e.at, e.eventId),
        UpdateExpression: 'REMOVE #d, #r SET #x = :t',
        ExpressionAttributeNames: { '#d': 'data', '#r': 'reason', '#x': 'redacted' },
        ExpressionAttributeValues: { ':t': true },
      });
      n++;
    }
    return n;
  }

  async function redactCase(caseId: string, cutoff: string): Promise<boolean> {
    const r = await platform.cases.mutate(caseId, undefined, (c, at) => {
      if (c.status !== 'closed' || c.redactedAt || !c.closedAt || c.closedAt >= cutoff) return undefined;
      return {
        next: redact(c, at),
        events: [
          {
            type: 'redacted',
            actor: RETENTION_ACTOR,
            reason: `Personal data removed ${options.retentionDays} days after closing.`,
            data: { retentionDays: options.retentionDays },
          },
        ],
      };
    });
    if (r.changed) await redactTimeline(caseId);
    return r.changed;
  }

  return {
    async run(): Promise<RetentionReport> {
      const now = platform.now();
      const cutoff = new Date(now.getTime() - options.retentionDays * 86_400_000).toISOString();
      const report: RetentionReport = { examined: 0, redacted: 0 };
      for (const restricted of [false, true]) {
        const partition = caseKeys.statusPartition('closed', restricted);
        const mark = await db.get(tableName, watermarkKey(partition), true);
        let after = typeof mark?.through === 'string' ? mark.through : '0';
        for (let page = 0; page < MAX_PAGES; page++) {
          const out = await db.query({
            TableName: tableName,
            IndexName: 'byStatusDue',
            KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :lo AND :hi',
            ExpressionAttributeNames: { '#pk': ix.partitionKey, '#sk': ix.sortKey },
            ExpressionAttributeValues: { ':pk': partition, ':lo': after, ':hi': cutoff },
            Limit: PAGE,
          });
          const items = out.items.filter((it: Item) => String(it[ix.sortKey]) !== after);
          for (const it of items) {
            report.examined++;
            if (await redactCase(String(it.caseId), cutoff)) report.redacted++;
            after = String(it[ix.sortKey]);
          }
          if (items.length) {
            await db.put({
              TableName: tableName,
              Item: { ...watermarkKey(partition), entity: 'watermark', through: after },
            });
          }
          if (!out.lastKey) break;
        }
      }
      return report;
    },
  };
}
