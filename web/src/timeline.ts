/**
 * A case's timeline in the reader's language. The platform's own entries (routing, escalations, messages sent,
 * the clock) are told from their codes, never from the English sentence the worker stored beside them; what staff
 * typed (reasons, notes) is shown as they wrote it.
 */
import type { CaseEvent } from './api.ts';
import { formatDateTime, isolate, label, listOfNames, t } from './i18n.ts';
import type { StringKey } from './strings/en.ts';

const SYSTEM_ACTORS = ['router', 'sweeper', 'notifier', 'retention', 'cases', 'inbox', 'twilio', 'projector'];

/** Who did it: a staff member by role and id, the person, or which part of the platform. */
export function actorLabel(actor: CaseEvent['actor']): string {
  if (actor.kind === 'staff') {
    const role = actor.role ? label('role', actor.role) : t('actor_staff');
    return actor.id ? `${role} (${isolate(actor.id, true)})` : role;
  }
  if (actor.kind === 'complainant') return t('actor_complainant');
  return SYSTEM_ACTORS.includes(actor.id ?? '')
    ? t(`actor_system_${actor.id}` as StringKey)
    : t('actor_system');
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const list = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

/** A classification field's value in words. */
function fieldValue(field: string, value: unknown): string {
  const prefix = field === 'sensitivity' ? 'sensitivity' : field === 'urgency' ? 'urgency' : field;
  return typeof value === 'string' ? label(prefix, value) : t('none');
}

/** The changes of a reclassification, as "Category: A → B". */
function changes(data: Record<string, unknown>): string {
  const before = (data.before ?? {}) as Record<string, unknown>;
  const after = (data.after ?? {}) as Record<string, unknown>;
  return Object.keys(after)
    .map((f) => `${t(`field_${f}` as StringKey)}: ${fieldValue(f, before[f])} → ${fieldValue(f, after[f])}`)
    .join(' · ');
}

/** Names the case page knows for the ids entries carry; an id without a name is shown as it is. */
export interface Names {
  agency?: (id: string) => string;
  focalPoint?: (id: string) => string;
}

/** What an entry says, in the reader's language; undefined when its title says it all. */
export function eventSummary(
  e: Pick<CaseEvent, 'type' | 'data' | 'actor' | 'toStatus'>,
  names: Names = {},
): string | undefined {
  const agencyName = names.agency ?? ((id: string) => id);
  const focalPointName = names.focalPoint ?? ((id: string) => id);
  const d = e.data ?? {};
  switch (e.type) {
    case 'received':
      return t('note_received', { channel: label('channel', str(d.channel)) });
    case 'classified':
      return [
        str(d.category) ? label('category', str(d.category)) : undefined,
        str(d.sensitivity) ? label('sensitivity', str(d.sensitivity)) : undefined,
        str(d.urgency) ? label('urgency', str(d.urgency)) : undefined,
      ]
        .filter(Boolean)
        .join(' · ');
    case 'reclassified':
      return `${t(`note_${str(d.kind) ?? 'reclassified'}` as StringKey)}${Object.keys(d.after ?? {}).length ? `: ${changes(d)}` : ''}`;
    case 'routed': {
      const to = list(d.focalPoints).map(focalPointName);
      return to.length ? t('note_routed', { to: listOfNames(to) }) : t('note_unrouted');
    }
    case 'assigned':
      return str(d.to) ? t('note_assigned', { to: isolate(str(d.to) ?? '', true) }) : t('note_unassigned');
    case 'updated':
      if (d.clock === 'paused') return t('note_clock_paused');
      if (d.clock === 'resumed') return t('note_clock_resumed');
      if (d.kind === 'consent_to_share')
        return t(d.given ? 'note_consent_given' : 'note_consent_refused', {
          how: label('consentHow', str(d.how)),
          at: formatDateTime(str(d.at)),
        });
      if (d.kind === 'relocated') return t('note_relocated');
      if (d.kind === 'live_call_dialled')
        return t('note_live_call_dialled', { operators: isolate(list(d.operatorIds).join(', '), true) });
      if (d.kind === 'live_call_answered')
        return t('note_live_call_answered', { operator: isolate(str(d.operatorId) ?? '', true) });
      if (d.kind === 'live_call_outcome')
        return t('note_live_call_outcome', { outcome: label('dialOutcome', str(d.outcome)) });
      if (d.kind === 'live_call_completed') return t('note_live_call_completed');
      if (d.sla) return t('note_sla_changed');
      return undefined;
    case 'sla_warning':
      return t('note_sla_warning', { target: label('target', str(d.target)) });
    case 'escalated': {
      const to = list(d.focalPoints).map(focalPointName);
      const missed = t('note_escalated', {
        target: label('target', str(d.target)),
        level: label('level', str(d.level)),
      });
      return to.length ? `${missed} · ${t('note_routed', { to: listOfNames(to) })}` : missed;
    }
    case 'message_in':
      return t('note_message_in', { channel: label('channel', str(d.channel)) });
    case 'message_out':
      return t(
        str(d.template) === 'closed_no_answer' ? 'note_message_out_closed' : 'note_message_out_outcome',
      );
    case 'satisfaction':
      return label('satisfaction', str(d.answer));
    case 'referral': {
      const status = str(d.status) ?? 'pending';
      const share = str(d.share);
      return [
        t(`note_referral_${status}` as StringKey, { partner: isolate(str(d.partner) ?? '') }),
        share ? t(share === 'consented' ? 'note_share_consented' : 'note_share_anonymous') : undefined,
        str(d.dueBy) ? t('note_referral_due', { time: formatDateTime(str(d.dueBy)) }) : undefined,
      ]
        .filter(Boolean)
        .join(' · ');
    }
    case 'transition':
      return (
        [
          str(d.outcome) ? label('outcome', str(d.outcome)) : undefined,
          d.onContact === true || d.loopClosedBy === 'on_contact' ? t('note_on_contact') : undefined,
          str(d.satisfaction) ? label('satisfaction', str(d.satisfaction)) : undefined,
          d.withMessage === true ? t('note_with_message') : undefined,
          str(d.referralDeclined) ? t('note_back_from_referral') : undefined,
        ]
          .filter(Boolean)
          .join(' · ') || undefined
      );
    case 'callback_requested':
      return t('note_callback');
    case 'delivery_status':
      return label('delivery', str(d.status));
    case 'note':
      return d.kind === 'break_glass' ? t('note_break_glass') : undefined;
    case 'redacted':
      return t('note_redacted');
    case 'transferred':
      return t('note_transferred', {
        from: isolate(agencyName(str(d.fromAgency) ?? '')),
        to: isolate(agencyName(str(d.toAgency) ?? '')),
      });
    default:
      return undefined;
  }
}

/** Whether the entry's stored reason is a person's own words (shown as written) rather than the platform's. */
export const showsReason = (e: Pick<CaseEvent, 'actor'>): boolean => e.actor.kind === 'staff';
