/**
 * The operator's side of a live hotline call (shared/intake/ivr.ts puts callers through): the calls answered by,
 * or rung to, this operator that still wait to be completed, and their completion — the operator's summary,
 * category and place, written as a version-checked change with a `live_call_completed` entry, the acknowledge
 * transition (the caller has spoken to a person) and an audit entry.
 *
 * The summary joins the narrative, where personal text belongs, and is read by the router like any text that
 * reaches a case: a summary describing exploitation raises the case to restricted, whatever category was chosen.
 */
import type { Platform } from '#functions/lib/platform.ts';
import { makeAuditTrail } from '#shared/audit/audit-trail.ts';
import type { Principal } from '#shared/auth/principal.ts';
import { canReadCase, listScope, mayReadCases } from '#shared/cases/access.ts';
import { makeCaseQuery } from '#shared/cases/case-query.ts';
import { type Case, type CaseStatus, isRestricted } from '#shared/cases/case-schema.ts';
import {
  CATEGORY_SENSITIVITY,
  type Category,
  type FeedbackType,
  maxSensitivity,
} from '#shared/classification/taxonomy.ts';
import { makeConfigStore } from '#shared/config/config-store.ts';
import {
  CaseNotFoundError,
  ConflictError,
  ForbiddenError,
  RequestError,
} from '#shared/errors/domain-error.ts';
import { appendNarrative } from '#shared/intake/narrative.ts';
import { actorOf } from '../cases/case-service.ts';
import {
  assertCurrentForStaff,
  changesByOthers,
  EditConflictError,
  StaleEditError,
} from '../cases/conflict.ts';
import { loadClockConfig, transitionChange } from '../cases/lifecycle.ts';

export interface CompletionBody {
  summary: string;
  type?: FeedbackType | undefined;
  category?: Category | undefined;
  location?: { governorate?: string | undefined; district?: string | undefined } | undefined;
}

/** Hotline cases per page read, newest first. */
const SCAN_LIMIT = 100;
/** Pages read per request at most (a week of a busy hotline's calls fits in far fewer). */
const MAX_PAGES = 10;
/**
 * How far back the list looks: a call waits minutes or hours for its operator, not weeks. Read newest first over
 * this period (the month index), so a busy week of operator-logged hotline cases never hides a fresh live call.
 */
const LOOKBACK_MS = 7 * 24 * 3_600_000;
const ANSWERED = new Set(['completed', 'answered']);

/** Whether the call waits for `userId`: answered by them, or rung to them when nobody knows who answered. */
export function waitsFor(c: Case, userId: string): boolean {
  const live = c.liveCall;
  if (!live || live.completedAt || !ANSWERED.has(live.outcome)) return false;
  return live.answeredByUserId ? live.answeredByUserId === userId : live.operatorUserIds.includes(userId);
}

/** What the operator sees of a waiting call: no phone number, no narrative (there is none yet). */
export const liveCallView = (c: Case) => ({
  caseId: c.caseId,
  reference: c.reference,
  version: c.version,
  status: c.status,
  language: c.language,
  type: c.type,
  category: c.category,
  location: c.location,
  receivedAt: c.receivedAt,
  answeredBy: c.liveCall?.answeredBy,
  operatorIds: c.liveCall?.operatorIds ?? [],
  durationSeconds: c.liveCall?.durationSeconds,
  recordingConsent: c.liveCall?.recordingConsent ?? false,
  outcome: c.liveCall?.outcome,
});

export function makeLiveCallService(platform: Platform) {
  const { cases } = platform;
  const config = makeConfigStore({ db: platform.db, tableName: platform.tableName, now: platform.now });
  const audit = makeAuditTrail({ db: platform.db, tableName: platform.tableName, now: platform.now });
  const query = makeCaseQuery({
    db: platform.db,
    tableName: platform.tableName,
    getMany: (ids) => cases.getMany(ids),
    now: platform.now,
  });

  return {
    /**
     * The answered hotline calls of the last week waiting for `p` to complete them, oldest first (that caller
     * waited longest).
     */
    async mine(p: Principal) {
      if (!mayReadCases(p)) throw new ForbiddenError('Your role may not read cases.');
      // Newest first over the week (the month index, channel in the filter), page after page: a call waits in
      // the list whatever its status, until its operator completes it.
      const ids: string[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const found = await query.list(
          {
            channel: 'hotline',
            from: new Date(platform.now().getTime() - LOOKBACK_MS).toISOString(),
            limit: SCAN_LIMIT,
            ...(cursor ? { cursor } : {}),
          },
          listScope(p),
          (c) => canReadCase(p, c),
        );
        ids.push(...found.items.filter((c) => waitsFor(c, p.userId)).map((c) => c.caseId));
        cursor = found.cursor;
        if (!cursor) break;
      }
      const items = (await cases.getMany(ids)).filter((c) => canReadCase(p, c) && waitsFor(c, p.userId));
      items.sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
      return { items: items.map(liveCallView) };
    },

    /** Completes a waiting call; `version` is the one the operator read (409 when another person changed it). */
    async complete(p: Principal, caseId: string, version: number, body: CompletionBody) {
      const before = await cases.get(caseId, true);
      if (!before || !canReadCase(p, before)) throw new CaseNotFoundError();
      if (!before.liveCall)
        throw new RequestError(404, 'LIVE_CALL.NOT_FOUND', 'This case is not a live call.');
      const cfg = await loadClockConfig(config);
      let result: Awaited<ReturnType<typeof cases.mutate>>;
      try {
        result = await cases.mutate(caseId, undefined, (current, at) => {
          if (!canReadCase(p, current)) throw new CaseNotFoundError();
          assertCurrentForStaff(current, version);
          const live = current.liveCall;
          if (!live) throw new RequestError(404, 'LIVE_CALL.NOT_FOUND', 'This case is not a live call.');
          if (live.completedAt) {
            throw new ConflictError('LIVE_CALL.ALREADY_COMPLETED', 'This call was completed already.');
          }
          if (!waitsFor(current, p.userId)) {
            throw new RequestError(403, 'LIVE_CALL.NOT_YOURS', 'This call was not put through to you.');
          }
          const actor = actorOf(p);
          const category = body.category ?? current.category;
          let next: Case = {
            ...current,
            narrative: appendNarrative(current.narrative, body.summary),
            ...(body.type ? { type: body.type } : {}),
            category,
            // A category chosen on the call brings its own sensitivity; nothing here ever lowers it.
            sensitivity: category
              ? maxSensitivity(current.sensitivity, CATEGORY_SENSITIVITY[category])
              : current.sensitivity,
            ...(body.location ? { location: body.location } : {}),
            liveCall: { ...live, completedAt: at, completedBy: p.userId },
            staffVersion: current.version + 1,
            lastStaffActionAt: at,
          };
          const events = [
            {
              type: 'updated' as const,
              actor,
              data: {
                kind: 'live_call_completed',
                ...(body.type ? { type: body.type } : {}),
                ...(body.category ? { category: body.category } : {}),
                located: body.location !== undefined,
                characters: body.summary.trim().length,
              },
            },
          ];
          if ((['new', 'reopened'] as CaseStatus[]).includes(next.status)) {
            const t = transitionChange(next, 'acknowledge', at, {
              actor,
              reason: 'Spoke with the caller on the hotline',
              cfg,
            });
            next = t.next;
            events.push(...(t.events as typeof events));
          }
          return { next, events };
        });
      } catch (err) {
        if (!(err instanceof StaleEditError)) throw err;
        throw new EditConflictError(
          err.expectedVersion,
          err.currentVersion,
          changesByOthers(await cases.timeline(caseId), err.expectedVersion),
        );
      }
      await audit.record({
        who: { userId: p.userId, roles: p.roles },
        action: 'case.write',
        caseIds: [caseId],
        why: 'live call completed',
        via: 'POST /api/live-calls/{id}/complete',
      });
      const c = result.case;
      return {
        caseId: c.caseId,
        reference: c.reference,
        version: c.version,
        status: c.status,
        restricted: isRestricted(c.sensitivity),
        visibleToYou: canReadCase(p, c),
      };
    },
  };
}

export type LiveCallService = ReturnType<typeof makeLiveCallService>;
