/**
 * The staff case use-cases behind functions/cases/handler.ts: log a case, list, look up, read, change, note,
 * move through the lifecycle, refer, and an admin's break-glass read. Every read of a case goes through the
 * access rules (shared/cases/access.ts): a case the caller may not see is a 404, whatever the reason, so
 * existence never leaks; every read of a restricted case is written to the audit trail.
 */

import type { Platform } from '#functions/lib/platform.ts';
import { agencyOf, DEFAULT_AGENCY } from '#shared/agencies/agency-id.ts';
import { type AuditAction, makeAuditTrail } from '#shared/audit/audit-trail.ts';
import type { Principal } from '#shared/auth/principal.ts';
import { canReadCase, listScope, mayReadCases, mayWriteCases } from '#shared/cases/access.ts';
import { type CaseListFilter, makeCaseQuery } from '#shared/cases/case-query.ts';
import {
  type Actor,
  type Case,
  isRestricted,
  type NewCaseInput,
  type ShareConsent,
} from '#shared/cases/case-schema.ts';
import type { EventDraft } from '#shared/cases/case-store.ts';
import type { TransitionAction } from '#shared/cases/transitions.ts';
import { CATEGORY_SENSITIVITY } from '#shared/classification/taxonomy.ts';
import { makeConfigStore } from '#shared/config/config-store.ts';
import type { Partner, PartnerField } from '#shared/config/schemas.ts';
import {
  CaseNotFoundError,
  ConflictError,
  ForbiddenError,
  RequestError,
  VersionConflictError,
} from '#shared/errors/domain-error.ts';
import { normalisePhone } from '#shared/privacy/personal-data.ts';
import { consoleLink } from '#shared/routing/notification.ts';
import { recordRestrictionChange } from '#shared/routing/restriction-record.ts';
import { planRoute } from '#shared/routing/route-plan.ts';
import { loadRoutingConfig } from '#shared/routing/routing-config.ts';
import { normaliseReference } from '#shared/store/ids.ts';
import { callComplainant } from './call-back.ts';
import { caseDetail, caseSummary, eventView, focalPointNames } from './case-view.ts';
import { assertCurrentForStaff, changesByOthers, EditConflictError, StaleEditError } from './conflict.ts';
import { type Change, loadClockConfig, pauseClock, resumeClock, transitionChange } from './lifecycle.ts';
import { referChange, referralPackage, referralPartner, type ShareMode } from './referral.ts';

export const actorOf = (p: Principal): Actor => ({ kind: 'staff', id: p.userId, role: p.roles[0] });

const CLASSIFICATION_FIELDS = ['type', 'category', 'sector', 'sensitivity', 'urgency'] as const;

export interface CreateCaseBody {
  channel: NewCaseInput['channel'];
  narrative: string;
  language: NewCaseInput['language'];
  type?: NonNullable<NewCaseInput['type']> | undefined;
  category?: NonNullable<NewCaseInput['category']> | undefined;
  sector?: NonNullable<NewCaseInput['sector']> | undefined;
  sensitivity?: NewCaseInput['sensitivity'];
  urgency?: NewCaseInput['urgency'];
  location?: NewCaseInput['location'];
  programme?: string | undefined;
  populationGroup?: NewCaseInput['populationGroup'];
  sex?: NewCaseInput['sex'];
  ageBand?: NewCaseInput['ageBand'];
  consentToFollowUp: boolean;
  /** The person's answer, asked on the call, to sharing their case with a partner organisation. */
  consentToShare?: boolean | undefined;
  phone?: string | undefined;
  name?: string | undefined;
  resolvedOnContact?: { outcome: string; note?: string | undefined } | undefined;
  /** The caller asks to be called back (needs a number and consent to be contacted). */
  callback?: { note?: string | undefined } | undefined;
  /** The agency the call is for, on a hotline several agencies share. */
  agency?: string | undefined;
}

/** Where a case goes and why (`POST /api/cases/{id}/transfer`). */
export interface TransferBody {
  agency: string;
  reason: string;
}

/** Statuses a case may be transferred in: open, and not out with a partner. */
const TRANSFERABLE = ['new', 'acknowledged', 'in_progress', 'reopened'] as const;

export interface CasePatch {
  type?: Case['type'] | undefined;
  category?: Case['category'] | undefined;
  sector?: Case['sector'] | undefined;
  sensitivity?: Case['sensitivity'] | undefined;
  urgency?: Case['urgency'] | undefined;
  location?: Case['location'] | undefined;
  programme?: string | null | undefined;
  assignee?: string | null | undefined;
  waitingOn?: 'complainant' | null | undefined;
  /** The person's answer on sharing, asked after intake: how and when they gave it. */
  consentToShare?:
    | { given: boolean; how: Exclude<ShareConsent['how'], 'intake' | 'web_form'>; at?: string | undefined }
    | undefined;
  reason?: string | undefined;
}

export interface TransitionBody {
  action: TransitionAction;
  reason?: string | undefined;
  outcome?: string | undefined;
  /** With `resolve`: the officer's own words to the person, in their language, sent with the outcome SMS. */
  message?: string | undefined;
  loopClosedBy?: 'call' | undefined;
  /** With `close` on a resolved case: an automated outbound call tells the caller the outcome first. */
  callComplainant?: boolean | undefined;
}

export type ReferralBody =
  | {
      action: 'refer';
      partnerId: string;
      share: ShareMode;
      dueBy?: string | undefined;
      reason?: string | undefined;
    }
  | { action: 'accept'; dueBy: string; reason?: string | undefined }
  | { action: 'decline'; reason: string };

export function makeCaseService(platform: Platform) {
  const { cases, protector } = platform;
  const config = makeConfigStore({ db: platform.db, tableName: platform.tableName, now: platform.now });
  const audit = makeAuditTrail({ db: platform.db, tableName: platform.tableName, now: platform.now });
  const query = makeCaseQuery({
    db: platform.db,
    tableName: platform.tableName,
    getMany: (ids) => cases.getMany(ids),
    now: platform.now,
  });

  /** Admins read cases only through break-glass; managers never. */
  function assertReader(p: Principal): void {
    if (!mayReadCases(p)) {
      throw p.roles.includes('admin')
        ? new ForbiddenError('Administrators read a case only through break-glass, with a written reason.')
        : new ForbiddenError('Your role may not read cases.');
    }
  }

  const auditOne = (p: Principal, action: AuditAction, caseId: string, why: string, via: string) =>
    audit.record({ who: { userId: p.userId, roles: p.roles }, action, caseIds: [caseId], why, via });

  async function auditRestricted(
    p: Principal,
    action: 'case.read' | 'case.list' | 'case.lookup' | 'case.write',
    list: Case[],
    via: string,
  ) {
    const ids = list.filter((c) => isRestricted(c.sensitivity)).map((c) => c.caseId);
    if (ids.length === 0) return;
    await audit.record({
      who: { userId: p.userId, roles: p.roles },
      action,
      caseIds: ids,
      why: 'routine',
      via,
    });
  }

  /** The case if `p` may read it; a 404 otherwise (and for a case that does not exist). */
  async function readable(p: Principal, caseId: string): Promise<Case> {
    assertReader(p);
    const c = await cases.get(caseId, true);
    if (!c || !canReadCase(p, c)) throw new CaseNotFoundError();
    return c;
  }

  /**
   * Applies a person's change to a case `p` may read. `expectedVersion` is the version they read: the change goes
   * ahead on the fresh case when only the platform wrote since (see conflict.ts), and is a 409 naming who changed
   * what when another person did. The change stamps the staff version and the time of the last staff action.
   */
  async function change(
    p: Principal,
    caseId: string,
    expectedVersion: number | undefined,
    apply: (current: Case, at: string) => Change | undefined,
    via: string,
  ) {
    const before = await readable(p, caseId);
    let result: Awaited<ReturnType<typeof cases.mutate>>;
    try {
      result = await cases.mutate(caseId, undefined, (current, at) => {
        if (!canReadCase(p, current)) throw new CaseNotFoundError();
        if (expectedVersion !== undefined) assertCurrentForStaff(current, expectedVersion);
        const made = apply(current, at);
        if (!made) return undefined;
        return {
          next: { ...made.next, staffVersion: current.version + 1, lastStaffActionAt: at },
          events: made.events,
        };
      });
    } catch (err) {
      if (!(err instanceof StaleEditError)) throw err;
      const timeline = await cases.timeline(caseId);
      throw new EditConflictError(
        err.expectedVersion,
        err.currentVersion,
        changesByOthers(timeline, err.expectedVersion),
      );
    }
    await auditRestricted(p, 'case.write', [before], via);
    return result;
  }

  /** An agency a case may be put in: the default one, or an active agency record; a 400 for any other. */
  async function knownAgency(agency: string): Promise<string> {
    if (agency === DEFAULT_AGENCY) return agency;
    const record = await config.get('agency', agency);
    if (!record?.active) throw new RequestError(400, 'CASE.UNKNOWN_AGENCY', 'There is no such agency.');
    return agency;
  }

  const activePartners = async (): Promise<Partner[]> =>
    (await config.list('partner')).filter((partner) => partner.active);

  /** The case's links that `p` may follow: a link to a restricted case must not reveal it to others. */
  async function readableLinks(p: Principal, c: Case): Promise<string[]> {
    if (c.linkedCaseIds.length === 0) return [];
    return (await cases.getMany(c.linkedCaseIds)).filter((l) => canReadCase(p, l)).map((l) => l.caseId);
  }

  const view = async (p: Principal, c: Case) =>
    canReadCase(p, c)
      ? { ...caseDetail(c, p, protector), linkedCaseIds: await readableLinks(p, c) }
      : { caseId: c.caseId, version: c.version, restricted: true };

  return {
    async create(p: Principal, body: CreateCaseBody, idempotencyKey: string) {
      let phone: string | undefined;
      if (body.phone !== undefined) {
        phone = normalisePhone(body.phone);
        if (!phone)
          throw new RequestError(400, 'CASE.INVALID_PHONE', 'The phone number is not a valid number.');
      }
      if (body.callback && body.resolvedOnContact) {
        throw new RequestError(400, 'REQUEST.INVALID', 'A call answered in full needs no callback.');
      }
      if (body.callback && (!phone || !body.consentToFollowUp)) {
        throw new RequestError(
          400,
          'CASE.CALLBACK_NEEDS_PHONE',
          'A callback needs the caller’s number and their consent to be contacted.',
        );
      }
      // The operator's choice, else the operator's own agency; a default-agency operator leaves it to the agency
      // records (programme, place), as every other channel does.
      const chosen = body.agency ?? (p.agency === DEFAULT_AGENCY ? undefined : p.agency);
      const agency = chosen === undefined ? undefined : await knownAgency(chosen);
      const personChose = body.type !== undefined || body.category !== undefined;
      const sensitivity =
        body.sensitivity ?? (body.category ? CATEGORY_SENSITIVITY[body.category] : undefined) ?? 'S0';
      const { case: c, created } = await cases.create({
        channel: body.channel,
        ...(agency ? { agency } : {}),
        idempotencyKey: `staff:${p.userId}:${idempotencyKey}`,
        narrative: body.narrative,
        language: body.language,
        type: body.type ?? null,
        category: body.category ?? null,
        sector: body.sector ?? null,
        sensitivity,
        urgency: body.urgency ?? 'none',
        classification: { source: personChose ? 'person' : 'pending', evidence: [], changedByOfficer: false },
        location: body.location ?? {},
        programme: body.programme,
        populationGroup: body.populationGroup,
        sex: body.sex,
        ageBand: body.ageBand,
        consentToFollowUp: body.consentToFollowUp,
        ...(body.consentToShare === undefined
          ? {}
          : {
              consentToShare: {
                given: body.consentToShare,
                how: 'intake' as const,
                at: platform.now().toISOString(),
                recordedBy: p.userId,
              },
            }),
        phone,
        name: body.name,
        createdBy: actorOf(p),
        resolvedOnContact: body.resolvedOnContact,
      });
      let current = c;
      if (body.callback) {
        // One request per logged call, so a retried submission does not ask twice.
        await cases.appendEventOnce(
          c.caseId,
          {
            type: 'callback_requested',
            actor: actorOf(p),
            reason: body.callback.note,
            data: { channel: body.channel, reachable: true },
          },
          `CALLBACK#${c.caseId}`,
        );
      }
      if (created && body.resolvedOnContact) {
        // Answered on the call itself: the complainant heard the outcome there, so the loop is closed and the case
        // with it (received, acknowledged, acted on, resolved and closed at the same instant).
        const closed = await cases.mutate(c.caseId, undefined, (cur, at) =>
          cur.status !== 'resolved'
            ? undefined
            : transitionChange(cur, 'close', at, {
                actor: actorOf(p),
                reason: 'Answered on first contact',
                data: { loopClosedBy: 'on_contact' },
                patch: { loopClosedBy: 'on_contact' },
              }),
        );
        current = closed.case;
      }
      return {
        created,
        body: {
          caseId: current.caseId,
          reference: current.reference,
          status: current.status,
          version: current.version,
          // A restricted case leaves the operator's view at once: the console says so instead of linking to it.
          restricted: isRestricted(current.sensitivity),
          visibleToYou: canReadCase(p, current),
        },
      };
    },

    async list(p: Principal, filter: CaseListFilter) {
      assertReader(p);
      const page = await query.list(filter, listScope(p), (c) => canReadCase(p, c));
      await auditRestricted(p, 'case.list', page.items, 'GET /api/cases');
      return { items: page.items.map(caseSummary), cursor: page.cursor, servedBy: page.servedBy };
    },

    async lookup(p: Principal, by: { phone?: string | undefined; reference?: string | undefined }) {
      assertReader(p);
      let found: Case[] = [];
      if (by.phone !== undefined) {
        const e164 = normalisePhone(by.phone);
        if (!e164)
          throw new RequestError(400, 'CASE.INVALID_PHONE', 'The phone number is not a valid number.');
        found = await query.byPhoneHash(protector.hashPhone(e164), listScope(p), (c) => canReadCase(p, c));
      } else if (by.reference !== undefined) {
        const ref = normaliseReference(by.reference);
        const c = ref ? await cases.getByReference(ref) : undefined;
        found = c && canReadCase(p, c) ? [c] : [];
      }
      await auditRestricted(p, 'case.lookup', found, 'POST /api/cases/lookup');
      return { items: found.map(caseSummary) };
    },

    async detail(p: Principal, caseId: string) {
      const c = await readable(p, caseId);
      const [timeline, partners, agencies, focalPoints] = await Promise.all([
        cases.timeline(caseId),
        mayWriteCases(p) ? activePartners() : Promise.resolve([]),
        config.list('agency', { maxAgeMs: 30_000 }),
        config.list('focal-point', { maxAgeMs: 30_000 }),
      ]);
      await auditRestricted(p, 'case.read', [c], 'GET /api/cases/{id}');
      return {
        case: { ...caseDetail(c, p, protector), linkedCaseIds: await readableLinks(p, c) },
        timeline: timeline.map(eventView),
        focalPoints: focalPointNames(c, timeline, focalPoints),
        // Whom this reader could refer the case to, and what each may receive (names and field lists only).
        ...(mayWriteCases(p)
          ? {
              partners: partners.map((x) => ({
                partnerId: x.partnerId,
                name: x.name,
                receives: x.receives,
                ...(x.sectors ? { sectors: x.sectors } : {}),
              })),
            }
          : {}),
        // A deployment with agencies names them (the case's, and where a writer could transfer it); one without says
        // nothing of agencies at all.
        ...(agencies.length
          ? {
              agencies: [
                ...(agencies.some((a) => a.agencyId === DEFAULT_AGENCY)
                  ? []
                  : [{ agencyId: DEFAULT_AGENCY }]),
                ...agencies
                  .filter((a) => a.active || a.agencyId === agencyOf(c))
                  .map((a) => ({ agencyId: a.agencyId, name: a.name })),
              ],
            }
          : {}),
      };
    },

    async patch(p: Principal, caseId: string, version: number, patch: CasePatch) {
      const cfg = patch.waitingOn === null ? await loadClockConfig(config) : undefined;
      // A reclassification or a relocation is routed in the same write: the case leaves its old queues and enters
      // the new ones at once, and the `routed` entry alerts the new queue's focal points.
      const reroutes =
        CLASSIFICATION_FIELDS.some((f) => patch[f] !== undefined) ||
        patch.location !== undefined ||
        patch.programme !== undefined;
      const routingCfg = reroutes ? await loadRoutingConfig(config) : undefined;
      let restriction: 'lifted' | 'imposed' | undefined;
      const result = await change(
        p,
        caseId,
        version,
        (current, at) => {
          const actor = actorOf(p);
          let next: Case = { ...current };
          const events: EventDraft[] = [];
          const before = Object.fromEntries(CLASSIFICATION_FIELDS.map((f) => [f, current[f]]));
          const after = { ...before };
          for (const f of CLASSIFICATION_FIELDS)
            if (patch[f] !== undefined) (after as Record<string, unknown>)[f] = patch[f];
          const changed = CLASSIFICATION_FIELDS.filter((f) => after[f] !== before[f]);
          const wasRestricted = isRestricted(current.sensitivity);
          const willBeRestricted = isRestricted(after.sensitivity as Case['sensitivity']);
          restriction = wasRestricted === willBeRestricted ? undefined : wasRestricted ? 'lifted' : 'imposed';
          if (restriction === 'lifted' && !patch.reason?.trim()) {
            // Sensitive complaints favour recall: lifting a restriction is a reviewed decision, with its reason.
            throw new RequestError(
              400,
              'CASE.REASON_REQUIRED',
              'Say why the case is no longer restricted (the reason is kept on the timeline).',
            );
          }
          if (changed.length) {
            const automatic = current.classification.automatic;
            next = {
              ...next,
              ...(after as Pick<Case, (typeof CLASSIFICATION_FIELDS)[number]>),
              classification: {
                ...current.classification,
                source: 'officer',
                changedByOfficer: automatic
                  ? (['type', 'category', 'sensitivity', 'urgency'] as const).some(
                      (f) => automatic[f] !== (after as Record<string, unknown>)[f],
                    )
                  : true,
              },
            };
            if (restriction) {
              next = {
                ...next,
                classification: recordRestrictionChange(
                  current,
                  next,
                  { id: p.userId, role: p.roles[0] },
                  at,
                ),
              };
            }
            events.push({
              type: 'reclassified',
              actor,
              reason: patch.reason,
              data: {
                kind:
                  restriction === 'lifted'
                    ? 'restriction_lifted'
                    : restriction === 'imposed'
                      ? 'restricted'
                      : changed.length === 1 && changed[0] === 'urgency'
                        ? 'reprioritised'
                        : 'reclassified',
                before: Object.fromEntries(changed.map((f) => [f, before[f]])),
                after: Object.fromEntries(changed.map((f) => [f, after[f]])),
                // What the lifted restriction rested on (explicit words, the model, caution), for the reports.
                ...(restriction === 'lifted' ? { basis: next.classification.lifted?.basis } : {}),
              },
            });
          }
          const newLocation = patch.location ?? current.location;
          const newProgramme = patch.programme === null ? undefined : (patch.programme ?? current.programme);
          if (
            JSON.stringify(newLocation) !== JSON.stringify(current.location) ||
            newProgramme !== current.programme
          ) {
            next = { ...next, location: newLocation, programme: newProgramme };
            events.push({
              type: 'updated',
              actor,
              reason: patch.reason,
              data: {
                kind: 'relocated',
                before: { location: current.location, programme: current.programme ?? null },
                after: { location: newLocation, programme: newProgramme ?? null },
              },
            });
          }
          if (patch.assignee !== undefined) {
            const assignee = patch.assignee ?? undefined;
            if (assignee !== current.assignee) {
              next = { ...next, assignee };
              events.push({
                type: 'assigned',
                actor,
                reason: patch.reason,
                data: { from: current.assignee ?? null, to: assignee ?? null },
              });
            }
          }
          if (patch.consentToShare !== undefined) {
            const answer: ShareConsent = {
              given: patch.consentToShare.given,
              how: patch.consentToShare.how,
              at: patch.consentToShare.at ?? at,
              recordedBy: p.userId,
            };
            if (answer.at > at) {
              throw new RequestError(
                400,
                'CASE.CONSENT_IN_FUTURE',
                'The consent cannot be given in the future.',
              );
            }
            next = { ...next, consentToShare: answer };
            events.push({
              type: 'updated',
              actor,
              reason: patch.reason,
              data: { kind: 'consent_to_share', given: answer.given, how: answer.how, at: answer.at },
            });
          }
          if (patch.waitingOn === 'complainant') {
            if (!['new', 'acknowledged', 'in_progress', 'referred', 'reopened'].includes(current.status)) {
              throw new ConflictError('CASE.NOT_OPEN', 'Only an open case can wait on the complainant.');
            }
            const paused = pauseClock(next, at, actor, patch.reason);
            if (paused) {
              next = paused.next;
              events.push(...paused.events);
            }
          } else if (patch.waitingOn === null) {
            const resumed = resumeClock(next, at, actor, cfg);
            if (resumed) {
              next = resumed.next;
              events.push(...resumed.events);
            }
          }
          if (events.length && routingCfg) {
            const routed = planRoute(current, next, [], routingCfg, at);
            if (routed) {
              next = routed.next;
              events.push(...routed.events);
            }
          }
          return events.length ? { next, events } : undefined;
        },
        'PATCH /api/cases/{id}',
      );
      if (result.changed && restriction) {
        await auditOne(
          p,
          'case.restriction',
          caseId,
          `${restriction}: ${patch.reason ?? ''}`.trim(),
          'PATCH /api/cases/{id}',
        );
      }
      if (result.changed && patch.consentToShare !== undefined) {
        await auditOne(
          p,
          'case.consent',
          caseId,
          `consent to share ${patch.consentToShare.given ? 'given' : 'refused'} (${patch.consentToShare.how})`,
          'PATCH /api/cases/{id}',
        );
      }
      return view(p, result.case);
    },

    /** A note is a staff action (it answers a follow-up) but changes nothing another person could overwrite. */
    async note(p: Principal, caseId: string, text: string) {
      await readable(p, caseId);
      const result = await cases.mutate(caseId, undefined, (current, at) => {
        if (!canReadCase(p, current)) throw new CaseNotFoundError();
        return {
          next: { ...current, lastStaffActionAt: at },
          events: [{ type: 'note', actor: actorOf(p), reason: text }],
        };
      });
      return eventView(result.events[0]!);
    },

    async transition(p: Principal, caseId: string, version: number, body: TransitionBody) {
      if (body.action === 'resolve' && !body.outcome) {
        throw new RequestError(400, 'CASE.OUTCOME_REQUIRED', 'Say how the case was resolved (outcome).');
      }
      if (body.message !== undefined && body.action !== 'resolve') {
        throw new RequestError(
          400,
          'REQUEST.INVALID',
          'A message to the person goes with the resolve action.',
        );
      }
      if (body.loopClosedBy && body.action !== 'close' && body.action !== 'resolve') {
        throw new RequestError(400, 'REQUEST.INVALID', 'loopClosedBy goes with resolve or close.');
      }
      const cfg = await loadClockConfig(config);
      let callSid: string | undefined;
      if (body.callComplainant) {
        if (body.action !== 'close') {
          throw new RequestError(400, 'REQUEST.INVALID', 'callComplainant goes with the close action.');
        }
        const c = await readable(p, caseId);
        if (c.version !== version) throw new VersionConflictError(version, c.version);
        callSid = await callComplainant(platform, c);
      }
      const loopClosedBy = callSid ? 'call' : body.loopClosedBy;
      const result = await change(
        p,
        caseId,
        version,
        (current, at) =>
          transitionChange(current, body.action, at, {
            actor: actorOf(p),
            reason: body.reason,
            cfg,
            data: {
              ...(body.outcome ? { outcome: body.outcome } : {}),
              ...(body.message ? { withMessage: true } : {}),
              ...(loopClosedBy ? { loopClosedBy } : {}),
              ...(callSid ? { callSid } : {}),
            },
            patch: {
              ...(body.outcome ? { outcome: body.outcome } : {}),
              ...(body.action === 'resolve' ? { outcomeMessage: body.message } : {}),
              ...(loopClosedBy ? { loopClosedBy } : {}),
            },
          }),
        'POST /api/cases/{id}/transitions',
      );
      return view(p, result.case);
    },

    /**
     * Refers a case to a partner (a record an admin keeps), or records the partner's answer. A referral passes on
     * the fields the partner may receive only when the person consented to sharing; otherwise only the anonymous
     * summary. Every referral is audited; the answer carries the package to pass on.
     */
    async referral(p: Principal, caseId: string, version: number, body: ReferralBody) {
      const [cfg, partners] = await Promise.all([
        loadClockConfig(config),
        body.action === 'refer' ? config.list('partner') : Promise.resolve([]),
      ]);
      const partner = body.action === 'refer' ? referralPartner(partners, body.partnerId) : undefined;
      let fields: PartnerField[] = [];
      const result = await change(
        p,
        caseId,
        version,
        (current, at) => {
          const actor = actorOf(p);
          if (body.action === 'refer' && partner) {
            const made = referChange(current, partner, body.share, at, {
              actor,
              cfg,
              reason: body.reason,
              dueBy: body.dueBy,
            });
            fields = made.fields;
            return made.change;
          }
          if (current.status !== 'referred' || !current.referral || current.referral.status !== 'pending') {
            throw new ConflictError(
              'CASE.NO_PENDING_REFERRAL',
              'The case has no referral waiting for an answer.',
            );
          }
          const { partner: name, status: _status, dueBy: _due, ...kept } = current.referral;
          const who = { partner: name, ...(kept.partnerId ? { partnerId: kept.partnerId } : {}) };
          if (body.action === 'accept') {
            return {
              next: {
                ...current,
                referral: { ...kept, partner: name, status: 'accepted', dueBy: body.dueBy },
              },
              events: [
                {
                  type: 'referral',
                  actor,
                  reason: body.reason,
                  data: { ...who, status: 'accepted', dueBy: body.dueBy },
                },
              ],
            };
          }
          // Declined: the case comes back to its focal point, in progress.
          const t = transitionChange(current, 'start', at, {
            actor,
            reason: body.reason,
            cfg,
            data: { referralDeclined: name },
            patch: { referral: { ...kept, partner: name, status: 'declined' } },
          });
          t.events.unshift({
            type: 'referral',
            actor,
            reason: body.reason,
            data: { ...who, status: 'declined' },
          });
          return t;
        },
        'POST /api/cases/{id}/referral',
      );
      if (body.action !== 'refer' || !partner) return view(p, result.case);
      await auditOne(
        p,
        'case.referral',
        caseId,
        `referred to ${partner.partnerId} (${body.share === 'consented' ? 'with consent' : 'anonymous summary'}): ${fields.join(', ')}`,
        'POST /api/cases/{id}/referral',
      );
      return {
        ...(await view(p, result.case)),
        referralPackage: referralPackage(result.case, fields, protector),
      };
    },

    /**
     * Moves a case to another agency: it leaves this agency's lists and queues and is routed to the new agency's
     * focal points in the same write. Only with the person's consent to share their case (a transfer hands over
     * everything, personal data included, so there is no anonymous form of it: without consent the case stays, and
     * an officer may refer an anonymous summary instead). Audited, with both agencies named.
     */
    async transfer(p: Principal, caseId: string, version: number, body: TransferBody) {
      const target = await knownAgency(body.agency);
      const routingCfg = await loadRoutingConfig(config);
      let from = DEFAULT_AGENCY;
      const result = await change(
        p,
        caseId,
        version,
        (current, at) => {
          from = agencyOf(current);
          if (target === from) {
            throw new ConflictError('CASE.SAME_AGENCY', 'The case already belongs to that agency.');
          }
          if (!(TRANSFERABLE as readonly string[]).includes(current.status)) {
            throw new ConflictError(
              'CASE.NOT_TRANSFERABLE',
              'Only an open case that is not with a referral partner can be transferred.',
            );
          }
          if (current.consentToShare?.given !== true) {
            throw new ConflictError(
              'CASE.TRANSFER_NEEDS_CONSENT',
              'The person has not agreed to their case being shared with another organisation.',
            );
          }
          const moved: Case = { ...current, agency: target, agencyBasis: 'transfer' };
          // The old agency's assignee is no one at the new one.
          delete moved.assignee;
          const events: EventDraft[] = [
            {
              type: 'transferred',
              actor: actorOf(p),
              reason: body.reason,
              data: { fromAgency: from, toAgency: target },
            },
          ];
          const routed = planRoute(current, moved, events, routingCfg, at);
          return routed ? { next: routed.next, events: routed.events } : { next: moved, events };
        },
        'POST /api/cases/{id}/transfer',
      );
      await auditOne(
        p,
        'case.transfer',
        caseId,
        `transferred from ${from} to ${target}: ${body.reason}`,
        'POST /api/cases/{id}/transfer',
      );
      return {
        caseId: result.case.caseId,
        reference: result.case.reference,
        version: result.case.version,
        agency: target,
        visibleToYou: canReadCase(p, result.case),
      };
    },

    /**
     * An administrator reads a case with a written reason: the access is audited, recorded on the timeline and
     * announced on the case-events topic to the case's focal points before the case is shown. If the notice
     * cannot be sent, the case is not shown.
     */
    async breakGlass(p: Principal, caseId: string, reason: string) {
      const c = await cases.get(caseId, true);
      // An agency's administrator breaks the glass on their agency's cases only; a deployment-wide one on any.
      if (!c || (!p.allAgencies && agencyOf(c) !== p.agency)) throw new CaseNotFoundError();
      await audit.record({
        who: { userId: p.userId, roles: p.roles },
        action: 'case.break_glass',
        caseIds: [caseId],
        why: reason,
        via: 'POST /api/cases/{id}/break-glass',
      });
      const event = await cases.appendEvent(caseId, {
        type: 'note',
        actor: actorOf(p),
        reason,
        data: { kind: 'break_glass' },
      });
      const focalPoints = c.routing?.focalPoints ?? [];
      try {
        await platform.sns.publish(
          platform.topicArn,
          JSON.stringify({
            eventId: event.eventId,
            eventType: 'break_glass',
            caseId,
            reference: c.reference,
            by: p.userId,
            at: event.at,
            link: consoleLink(platform.consoleUrl, caseId),
          }),
          {
            focalPoints: { DataType: 'String.Array', StringValue: JSON.stringify(focalPoints) },
            audience: { DataType: 'String.Array', StringValue: JSON.stringify(['focal_points']) },
            eventType: { DataType: 'String', StringValue: 'break_glass' },
            sensitivity: { DataType: 'String', StringValue: c.sensitivity },
          },
          {
            subject: `CFM case ${c.reference}: opened by break-glass`,
            sms: `CFM ${c.reference}: opened by break-glass by ${p.userId}. ${consoleLink(platform.consoleUrl, caseId)}`,
            email: [
              `Case ${c.reference} was opened by break-glass by ${p.userId}. The reason is on its timeline.`,
              '',
              `Open it in the console: ${consoleLink(platform.consoleUrl, caseId)}`,
            ].join('\n'),
          },
        );
      } catch {
        throw new RequestError(
          503,
          'CASE.BREAK_GLASS_NOT_NOTIFIED',
          'The access could not be announced; try again.',
        );
      }
      const [timeline, records] = await Promise.all([
        cases.timeline(caseId),
        config.list('focal-point', { maxAgeMs: 30_000 }),
      ]);
      return {
        case: caseDetail(c, undefined, protector),
        timeline: timeline.map(eventView),
        focalPoints: focalPointNames(c, timeline, records),
      };
    },
  };
}

export type CaseService = ReturnType<typeof makeCaseService>;
