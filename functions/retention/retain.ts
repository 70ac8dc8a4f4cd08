/**
 * Retention: personal data is removed from cases closed longer than the retention period, and from cases left
 * open (any status but closed) with no change for longer than the open-case period, leaving the anonymous case
 * (classification, location P-codes, channel, language, status) and its clock for reporting.
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
 *
 * Cases left open: inactivity is the time since the case last changed (`updatedAt`: every staff action, routing,
 * escalation and follow-up from the person changes the case; delivery reports and access notes, which only add
 * to the timeline, do not). Open cases are read from byOpenDue (`OPEN`, `OPEN#R`: every open status) and
 * byStatusDue `STATUS#resolved` (`#R`), all of them on every run with a filter on `updatedAt`: the open caseload
 * is what staff work through, hundreds of items rather than the whole history, and a watermark cannot serve a
 * key (due time) that is not the inactivity. The case keeps its status: closing it is a staff decision that the
 * reports count, so it stays in its queue, overdue and marked redacted, for a focal point to close, and its
 * timeline says why its data went.
 */

import type { Platform } from '#functions/lib/platform.ts';
import { agencyPartitions } from '#shared/agencies/agency-partitions.ts';
import { caseKeys } from '#shared/cases/case-keys.ts';
import type { Case } from '#shared/cases/case-schema.ts';
import { makeConfigStore } from '#shared/config/config-store.ts';
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
  /** Closed cases read past the closed-case line. */
  examined: number;
  /** Closed cases whose personal data was removed. */
  redacted: number;
  /** Open cases found inactive past the open-case line. */
  openExamined: number;
  /** Open, inactive cases whose personal data was removed. */
  openRedacted: number;
}

export interface RetentionOptions {
  /** Days after closing that a closed case keeps its personal data. */
  retentionDays: number;
  /** Days without a change after which a case left open loses its personal data. */
  openInactiveDays: number;
}

/** The case without its personal data. */
export function redact(c: Case, at: string): Case {
  const next: Case = { ...c, contact: {}, narrative: '', mediaUrls: [], redactedAt: at };
  delete next.lookupSecretHash;
  // The officer's words to the person can name them as well as the narrative can.
  delete next.outcomeMessage;
  return next;
}

export function makeRetention(platform: Platform, options: RetentionOptions) {
  const { db, tableName } = platform;
  const ix = tableDefinition.indexes.byStatusDue;
  const openIx = tableDefinition.indexes.byOpenDue;

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

  async function redactInactive(caseId: string, cutoff: string): Promise<boolean> {
    const r = await platform.cases.mutate(caseId, undefined, (c, at) => {
      if (c.status === 'closed' || c.redactedAt || c.updatedAt >= cutoff) return undefined;
      return {
        next: redact(c, at),
        events: [
          {
            type: 'redacted',
            actor: RETENTION_ACTOR,
            reason: `Personal data removed: the case was left open with no change for ${options.openInactiveDays} days.`,
            data: { openInactiveDays: options.openInactiveDays, inactiveSince: c.updatedAt },
          },
        ],
      };
    });
    if (r.changed) await redactTimeline(caseId);
    return r.changed;
  }

  /** Every case left open, in the partitions that hold them, without the ones already redacted. */
  async function* openCandidates(cutoff: string, agencies: string[]): AsyncGenerator<string> {
    const sources = agencies.flatMap((agency) =>
      [false, true].flatMap((restricted) => [
        { index: 'byOpenDue', pkAttr: openIx.partitionKey, pk: caseKeys.openPartition(restricted, agency) },
        {
          index: 'byStatusDue',
          pkAttr: ix.partitionKey,
          pk: caseKeys.statusPartition('resolved', restricted, agency),
        },
      ]),
    );
    for (const source of sources) {
      let lastKey: Item | undefined;
      do {
        const out = await db.query({
          TableName: tableName,
          IndexName: source.index,
          KeyConditionExpression: '#pk = :pk',
          FilterExpression: '#u < :cutoff AND attribute_not_exists(#r)',
          ExpressionAttributeNames: { '#pk': source.pkAttr, '#u': 'updatedAt', '#r': 'redactedAt' },
          ExpressionAttributeValues: { ':pk': source.pk, ':cutoff': cutoff },
          Limit: PAGE,
          ...(lastKey ? { ExclusiveStartKey: lastKey } : {}),
        });
        for (const it of out.items) yield String(it.caseId);
        lastKey = out.lastKey;
      } while (lastKey);
    }
  }

  return {
    async run(): Promise<RetentionReport> {
      const now = platform.now();
      const cutoff = new Date(now.getTime() - options.retentionDays * 86_400_000).toISOString();
      const report: RetentionReport = { examined: 0, redacted: 0, openExamined: 0, openRedacted: 0 };
      const agencies = await agencyPartitions(makeConfigStore({ db, tableName, now: platform.now }));
      for (const partition of agencies.flatMap((agency) =>
        [false, true].map((restricted) => caseKeys.statusPartition('closed', restricted, agency)),
      )) {
        const mark = await db.get(tableName, watermarkKey(partition), true);
        let after = typeof mark?.through === 'string' ? mark.through : '0';
        // A watermark past the line (a shortened period, a clock set back) has nothing to read: DynamoDB refuses a
        // BETWEEN whose bounds are reversed.
        for (let page = 0; page < MAX_PAGES && after < cutoff; page++) {
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
      const openCutoff = new Date(now.getTime() - options.openInactiveDays * 86_400_000).toISOString();
      for await (const caseId of openCandidates(openCutoff, agencies)) {
        report.openExamined++;
        if (await redactInactive(caseId, openCutoff)) report.openRedacted++;
      }
      return report;
    },
  };
}
