/**
 * What a referral passes to a partner organisation. Humanitarian data protection asks for the person's informed
 * consent before their case goes to another organisation: with it, the partner gets the fields its record allows;
 * without it, only an anonymous summary (type, category, sector, urgency, governorate) that identifies nobody.
 */
import type { Actor, Case } from '#shared/cases/case-schema.ts';
import type { ClockConfig } from '#shared/cases/clock.ts';
import { ANONYMOUS_SUMMARY_FIELDS, type Partner, type PartnerField } from '#shared/config/schemas.ts';
import { ConflictError, NotFoundError } from '#shared/errors/domain-error.ts';
import type { PersonalDataProtector } from '#shared/privacy/personal-data.ts';
import { type Change, transitionChange } from './lifecycle.ts';

export type ShareMode = 'consented' | 'anonymous';

/** Whether the person said yes to sharing their case with a partner. */
export const consentedToShare = (c: Case): boolean => c.consentToShare?.given === true;

/** The partner a referral names, if it exists and takes referrals. */
export function referralPartner(partners: readonly Partner[], partnerId: string): Partner {
  const partner = partners.find((p) => p.partnerId === partnerId);
  if (!partner) throw new NotFoundError('CASE.PARTNER_NOT_FOUND', 'No such referral partner.');
  if (!partner.active) {
    throw new ConflictError('CASE.PARTNER_INACTIVE', 'This partner does not take referrals at the moment.');
  }
  return partner;
}

/** The fields a referral passes on; a full share without the person's consent is refused. */
export function referralFields(c: Case, partner: Partner, share: ShareMode): PartnerField[] {
  if (share === 'consented' && !consentedToShare(c)) {
    throw new ConflictError(
      'CASE.NO_CONSENT_TO_SHARE',
      'The person has not consented to sharing their case: only an anonymous summary can be passed on.',
    );
  }
  const allowed: readonly PartnerField[] =
    share === 'consented'
      ? [...new Set([...ANONYMOUS_SUMMARY_FIELDS, ...partner.receives])]
      : ANONYMOUS_SUMMARY_FIELDS;
  return allowed.filter((f) => fieldValue(c, f, undefined) !== undefined);
}

export interface ReferOptions {
  actor: Actor;
  cfg: ClockConfig | undefined;
  reason?: string | undefined;
  dueBy?: string | undefined;
  /** How the referral was asked for (an SMS's transport and message id), kept on both events. */
  via?: Record<string, unknown>;
}

/**
 * A referral as a change, the same from the console and from a focal point's phone: the `refer` transition with
 * the referral record on the case, and a `referral` event naming what is passed on, for the audit and the reports.
 */
export function referChange(
  current: Case,
  partner: Partner,
  share: ShareMode,
  at: string,
  o: ReferOptions,
): { change: Change; fields: PartnerField[] } {
  const fields = referralFields(current, partner, share);
  const who = { partner: partner.name, partnerId: partner.partnerId };
  const change = transitionChange(current, 'refer', at, {
    actor: o.actor,
    reason: o.reason,
    cfg: o.cfg,
    data: { ...who, share, ...o.via },
    patch: {
      referral: { ...who, status: 'pending', share, fields, ...(o.dueBy ? { dueBy: o.dueBy } : {}) },
    },
  });
  change.events.push({
    type: 'referral',
    actor: o.actor,
    data: { ...who, status: 'pending', share, fields, dueBy: o.dueBy ?? null, ...o.via },
  });
  return { change, fields };
}

function fieldValue(
  c: Case,
  field: PartnerField,
  protector: PersonalDataProtector | undefined,
): string | undefined {
  const reveal = (cipher: string | undefined) =>
    cipher === undefined ? undefined : protector ? protector.decrypt(cipher) : '';
  switch (field) {
    case 'type':
      return c.type ?? undefined;
    case 'category':
      return c.category ?? undefined;
    case 'sector':
      return c.sector ?? undefined;
    case 'urgency':
      return c.urgency;
    case 'governorate':
      return c.location.governorate ?? c.location.district?.slice(0, 5);
    case 'district':
      return c.location.district;
    case 'language':
      return c.language;
    case 'narrative':
      return c.narrative.trim() === '' ? undefined : c.narrative;
    case 'name':
      return c.redactedAt ? undefined : reveal(c.contact.nameCipher);
    case 'phone':
      return c.redactedAt ? undefined : reveal(c.contact.phoneCipher);
    case 'population_group':
      return c.populationGroup;
    case 'sex':
      return c.sex;
    case 'age_band':
      return c.ageBand;
  }
}

/** The referral as the officer passes it on: the case reference and each field's value. */
export function referralPackage(
  c: Case,
  fields: readonly PartnerField[],
  protector: PersonalDataProtector,
): { reference: string; fields: Partial<Record<PartnerField, string>> } {
  const out: Partial<Record<PartnerField, string>> = {};
  for (const f of fields) {
    const v = fieldValue(c, f, protector);
    if (v !== undefined) out[f] = v;
  }
  return { reference: c.reference, fields: out };
}
