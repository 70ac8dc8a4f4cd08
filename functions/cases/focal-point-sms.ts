/**
 * A registered focal point acts on a case by SMS or WhatsApp (shared/intake/staff-commands.ts has the codes):
 * acknowledge, in progress, resolved with a short outcome, refer to a partner. Any transport's intake asks this
 * first, with the sender's number; a number that is no focal point's `sms` channel goes on as a complainant's.
 *
 * The rules, and why:
 * - The sender is known by the number alone (the transport checked the request's signature), so the case must be
 *   routed (or assigned) to a focal point registered with that very number; any other reference, a real one
 *   included, gets the same "not found" answer as an unknown one, so a phone learns nothing it may not.
 * - The action is the lifecycle's own transition (functions/cases/lifecycle.ts), written as the console writes
 *   it: the version the focal point acted on is checked as a staff edit (conflict.ts), the timeline entry names the
 *   focal point and the transport, and an audit entry names them too.
 * - Idempotent on the transport's message id: the case store's idempotency marker is claimed in the same
 *   transaction as the change, so a redelivered message acts once and gets the first answer again.
 * - An answer says the reference and a state, nothing else about a restricted (S2/S3) case: no category, text,
 *   place or person, and no partner's share mode.
 */
import { makeAuditTrail } from '#shared/audit/audit-trail.ts';
import { caseKeys } from '#shared/cases/case-keys.ts';
import { type Actor, type Case, isRestricted } from '#shared/cases/case-schema.ts';
import { TRANSITIONS, type TransitionAction } from '#shared/cases/transitions.ts';
import { normalise } from '#shared/classification/normalise.ts';
import type { Language } from '#shared/classification/taxonomy.ts';
import { type ConfigStore, makeConfigStore } from '#shared/config/config-store.ts';
import type { FocalPoint, Partner, PartnerField } from '#shared/config/schemas.ts';
import { CaseNotFoundError, InvalidTransitionError } from '#shared/errors/domain-error.ts';
import { languageShown } from '#shared/intake/conversation.ts';
import type { InboundMessage } from '#shared/intake/message-reading.ts';
import {
  MAX_OUTCOME_CHARS,
  readStaffCommand,
  type StaffAction,
  type StaffAnswer,
  type StaffMessageHandler,
  staffReply,
} from '#shared/intake/staff-commands.ts';
import type { Platform } from '../lib/platform.ts';
import { assertCurrentForStaff, StaleEditError } from './conflict.ts';
import { type Change, loadClockConfig, transitionChange } from './lifecycle.ts';
import { consentedToShare, referChange } from './referral.ts';

const LIFECYCLE: Record<StaffAction, TransitionAction> = {
  acknowledge: 'acknowledge',
  start: 'start',
  resolve: 'resolve',
  refer: 'refer',
};

/** The words end a sentence in the outcome SMS, where the satisfaction question follows them. */
const asSentence = (text: string): string => (/[.!?؟۔…]$/u.test(text) ? text : `${text}.`);

/** How many partner ids an "unknown partner" answer lists. */
const PARTNERS_LISTED = 6;

/**
 * How long the focal points' records are kept between reads. Every inbound message is checked against them, and a
 * read per message would add a request to the webhook's one; kept this long, it is one read per container per
 * half-minute. A change made in this process (the local stack, the admin API's own container) is seen at once; one
 * made elsewhere within this time (a number registered, changed or removed in AWS) is seen when it runs out.
 */
const FOCAL_POINTS_KEPT_MS = 30_000;

/** The focal points registered with this number (a person may hold more than one). */
const holdersOf = (focalPoints: readonly FocalPoint[], phone: string): FocalPoint[] =>
  focalPoints.filter((f) => f.active && f.channel.type === 'sms' && f.channel.address === phone);

/** Whether the case is in this focal point's hands: routed to it, or assigned to it. */
const handledBy = (c: Case, fp: FocalPoint): boolean =>
  (c.routing?.focalPoints ?? []).includes(fp.focalPointId) || c.assignee === fp.focalPointId;

/** The focal point as it appears on the timeline and in the audit trail. */
const actorFor = (fp: FocalPoint): Actor => ({
  kind: 'staff',
  id: `focal-point:${fp.focalPointId}`,
  role: fp.kind === 'psea' ? 'psea' : 'officer',
});

/** The partner a REF names: its id, or its name, folded. */
function partnerNamed(partners: readonly Partner[], text: string): Partner | undefined {
  const word = text.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
  const folded = normalise(text);
  if (!word) return undefined;
  return partners.find((p) => p.partnerId === word || normalise(p.name) === folded);
}

const configs = new WeakMap<Platform, ConfigStore>();

export function makeFocalPointCommands(platform: Platform): StaffMessageHandler {
  const { cases, db, tableName } = platform;
  let config = configs.get(platform);
  if (!config) {
    config = makeConfigStore({ db, tableName, now: platform.now });
    configs.set(platform, config);
  }
  const store = config;
  const audit = makeAuditTrail({ db, tableName, now: platform.now });

  return async (message: InboundMessage): Promise<StaffAnswer | undefined> => {
    // Wall-clock time, not the platform's clock: the local stack's clock may be moved for SLA tries.
    const holders = holdersOf(
      await store.list('focal-point', { maxAgeMs: FOCAL_POINTS_KEPT_MS }),
      message.from,
    );
    const [first] = holders;
    if (!first) return undefined;
    const command = readStaffCommand(message.body);
    if (command.kind === 'other' || command.reference.length === 0) {
      const language = languageShown(message.body) ?? first.language ?? 'ar';
      return { code: 'FOCAL_SMS.HELP', reply: staffReply('help', language) };
    }
    const language: Language = command.language ?? first.language ?? 'ar';
    const typed = command.reference[0] as string;
    const action = command.action;
    const key = `focal-sms:${message.transport}:${message.messageId}`;

    // A redelivery: the change was made by the first delivery; answer as it was answered.
    const marker = await db.get(tableName, caseKeys.idempotency(key), true);
    if (typeof marker?.caseId === 'string') return repeated(marker.caseId);

    // Every candidate of the typed reference, read at once; only one routed to this number's focal point counts.
    const found = await Promise.all(command.reference.map((ref) => cases.get(ref, true)));
    let target: { c: Case; fp: FocalPoint } | undefined;
    for (const c of found) {
      const fp = c && holders.find((h) => handledBy(c, h));
      if (c && fp) {
        target = { c, fp };
        break;
      }
    }
    if (!target) return notFound();
    const { c: read, fp } = target;
    const ref = read.reference;

    if (action === 'resolve' && !command.text) {
      return {
        code: 'FOCAL_SMS.NEEDS_OUTCOME',
        caseId: read.caseId,
        reply: staffReply('needs_outcome', language, { ref }),
      };
    }
    if (action === 'resolve' && asSentence(command.text).length > MAX_OUTCOME_CHARS) {
      return {
        code: 'FOCAL_SMS.OUTCOME_TOO_LONG',
        caseId: read.caseId,
        reply: staffReply('outcome_too_long', language),
      };
    }
    let partner: Partner | undefined;
    if (action === 'refer') {
      const partners = (await store.list('partner')).filter((p) => p.active);
      partner = partnerNamed(partners, command.text);
      if (!partner) {
        const ids = partners.slice(0, PARTNERS_LISTED).map((p) => p.partnerId);
        return {
          code: 'FOCAL_SMS.UNKNOWN_PARTNER',
          caseId: read.caseId,
          reply: staffReply('unknown_partner', language, { ref, partners: ids }),
        };
      }
    }

    const actor = actorFor(fp);
    const cfg = await loadClockConfig(store);
    const via = { via: 'sms', transport: message.transport, messageSid: message.messageId };
    let share: 'consented' | 'anonymous' | undefined;
    let fields: PartnerField[] = [];
    let result: Awaited<ReturnType<typeof cases.mutate>>;
    try {
      result = await cases.mutate(
        read.caseId,
        undefined,
        (current, at) => {
          // Re-routed since it was read: no longer this focal point's to act on.
          if (!handledBy(current, fp)) throw new CaseNotFoundError();
          assertCurrentForStaff(current, read.version);
          let made: Change;
          if (action === 'refer' && partner) {
            share = consentedToShare(current) ? 'consented' : 'anonymous';
            const referred = referChange(current, partner, share, at, { actor, cfg, via });
            fields = referred.fields;
            made = referred.change;
          } else {
            // DONE's words are the outcome the person is sent (the case's outcomeMessage), in their own language
            // as the focal point wrote them; there is no outcome code to pick on a phone.
            made = transitionChange(current, LIFECYCLE[action], at, {
              actor,
              cfg,
              data: { ...via, ...(action === 'resolve' ? { withMessage: true } : {}) },
              patch: action === 'resolve' ? { outcomeMessage: asSentence(command.text) } : {},
            });
          }
          return {
            next: { ...made.next, staffVersion: current.version + 1, lastStaffActionAt: at },
            events: made.events,
          };
        },
        { idempotencyKey: key },
      );
    } catch (err) {
      if (err instanceof CaseNotFoundError) return notFound();
      if (err instanceof StaleEditError) {
        return {
          code: 'FOCAL_SMS.CHANGED',
          caseId: read.caseId,
          reply: staffReply('changed', language, { ref }),
        };
      }
      if (err instanceof InvalidTransitionError) {
        // A concurrent delivery of this very message may have made the change a moment ago.
        const again = await db.get(tableName, caseKeys.idempotency(key), true);
        if (typeof again?.caseId === 'string') return repeated(again.caseId);
        const now = (await cases.get(read.caseId, true)) ?? read;
        return {
          code: 'FOCAL_SMS.NOT_ALLOWED',
          caseId: read.caseId,
          reply: staffReply('not_allowed', language, { ref, state: now.status }),
        };
      }
      throw err;
    }
    if (result.duplicate) return repeated(read.caseId);

    const who = { userId: actor.id as string, roles: [actor.role as string] };
    const through = `SMS short code (${message.transport})`;
    if (action === 'refer' && partner) {
      await audit.record({
        who,
        action: 'case.referral',
        caseIds: [read.caseId],
        why: `referred to ${partner.partnerId} (${share === 'consented' ? 'with consent' : 'anonymous summary'}): ${fields.join(', ')}`,
        via: through,
      });
    } else {
      await audit.record({
        who,
        action: 'case.write',
        caseIds: [read.caseId],
        why: LIFECYCLE[action],
        via: through,
      });
    }
    return answered(result.case, language);

    /** The answer to an action that was made: the reference and the new state (and the share mode, unrestricted). */
    function answered(c: Case, lang: Language): StaffAnswer {
      const restricted = isRestricted(c.sensitivity);
      const state = TRANSITIONS[LIFECYCLE[action]].to;
      const shared = c.referral?.share;
      return {
        code: 'FOCAL_SMS.ACTED',
        caseId: c.caseId,
        reply:
          action === 'refer'
            ? staffReply('referred', lang, {
                ref: c.reference,
                state,
                ...(restricted || !shared ? {} : { share: shared }),
              })
            : staffReply('done', lang, { ref: c.reference, state }),
      };
    }

    async function repeated(caseId: string): Promise<StaffAnswer> {
      const c = await cases.get(caseId, true);
      if (!c) return notFound();
      return { ...answered(c, language), code: 'FOCAL_SMS.REPEAT' };
    }

    function notFound(): StaffAnswer {
      return { code: 'FOCAL_SMS.NOT_FOUND', reply: staffReply('not_found', language, { ref: typed }) };
    }
  };
}
