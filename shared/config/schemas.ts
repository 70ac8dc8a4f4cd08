/**
 * The run-time configuration admins edit: focal points, routing rules, SLA policies and the working calendar
 * ("routing is data"). Each record kind has one zod schema, used by the config store on every write and read
 * and by the admin API for its request bodies.
 */
import * as z from 'zod';
import { AgencyId } from '../agencies/agency-id.ts';
import { Category, DistrictPcode, GovernoratePcode, Sector, Sensitivity } from '../cases/case-schema.ts';
import { LANGUAGES } from '../classification/taxonomy.ts';
import { ANONYMOUS_SUMMARY_FIELDS, PARTNER_FIELDS } from './partner-fields.ts';

export { type Calendar, CalendarSchema } from '../calendar/calendar-schema.ts';
export { type SlaPolicy, SlaPolicySchema } from '../sla/sla-schema.ts';

/** Ids admins choose: short, URL-safe, stable (they are sort keys and SNS message-attribute values). */
export const ConfigId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be lower-case letters, digits, - or _ (at most 64)');

export const FOCAL_POINT_KINDS = [
  'general',
  'psea',
  'fraud',
  'protection',
  'supervisor',
  'programme_manager',
] as const;
export type FocalPointKind = (typeof FOCAL_POINT_KINDS)[number];

/**
 * Where a focal point's notifications go. The address is a staff member's work contact (or a team inbox), not
 * a complainant's, so it is stored in clear.
 */
export const NotificationChannel = z.discriminatedUnion('type', [
  z.object({ type: z.literal('email'), address: z.email() }),
  z.object({
    type: z.literal('sms'),
    address: z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 number such as +9647501234567'),
  }),
  z.object({ type: z.literal('https'), address: z.url({ protocol: /^https$/ }) }),
  /** The local stack's inbox (GET /dev/inbox); the address names the mailbox. */
  z.object({ type: z.literal('local'), address: z.string().min(1).max(200) }),
]);
export type NotificationChannel = z.infer<typeof NotificationChannel>;

export const FocalPointSchema = z
  .object({
    focalPointId: ConfigId,
    name: z.string().min(1).max(120),
    /** The agency whose cases this focal point receives; the deployment's default agency when unset. */
    agency: AgencyId.optional(),
    kind: z.enum(FOCAL_POINT_KINDS),
    /** May receive restricted (S2/S3) cases. */
    restricted: z.boolean().default(false),
    channel: NotificationChannel,
    /**
     * The language of the answers to the focal point's SMS short codes written with Latin codes or digits, and of
     * its help text (a code in Arabic, Sorani or Kurmanji is answered in that language). Arabic when unset.
     */
    language: z.enum(LANGUAGES).optional(),
    /** The next person up when a case assigned here is overdue (supervisor, then programme manager). */
    escalatesTo: ConfigId.optional(),
    active: z.boolean().default(true),
  })
  .refine((f) => f.kind !== 'psea' || f.restricted, {
    path: ['restricted'],
    message: 'a PSEA focal point must be allowed restricted cases',
  })
  .refine((f) => f.escalatesTo !== f.focalPointId, {
    path: ['escalatesTo'],
    message: 'cannot escalate to itself',
  });
export type FocalPoint = z.infer<typeof FocalPointSchema>;

const list = <T extends z.ZodType>(item: T) => z.array(item).min(1).max(200).optional();

/** Which cases a rule routes; a missing field matches anything, a listed one must contain the case's value. */
export const RoutingMatch = z.object({
  categories: list(Category),
  governorates: list(GovernoratePcode),
  districts: list(DistrictPcode),
  programmes: list(z.string().min(1).max(64)),
  sensitivities: list(Sensitivity),
});
export type RoutingMatch = z.infer<typeof RoutingMatch>;

export const RoutingRuleSchema = z
  .object({
    ruleId: ConfigId,
    name: z.string().min(1).max(120).optional(),
    /** The agency whose cases this rule routes (to that agency's focal points); the default agency when unset. */
    agency: AgencyId.optional(),
    /** Orders rules that match equally well: higher first. */
    priority: z.number().int().default(0),
    match: RoutingMatch.default({}),
    focalPoints: z.array(ConfigId).min(1).max(20),
    /** The rule that takes what no other rule matches. */
    isDefault: z.boolean().default(false),
    active: z.boolean().default(true),
  })
  .refine((r) => !r.isDefault || Object.keys(r.match).length === 0, {
    path: ['match'],
    message: 'the default rule matches everything; leave match empty',
  });
export type RoutingRule = z.infer<typeof RoutingRuleSchema>;

export { ANONYMOUS_SUMMARY_FIELDS, PARTNER_FIELDS, type PartnerField } from './partner-fields.ts';

/** An organisation cases are referred to: a record an admin keeps, not free text typed at referral time. */
export const PartnerSchema = z.object({
  partnerId: ConfigId,
  name: z.string().trim().min(2).max(120),
  /** Who receives referrals there, and how to reach them (a work contact, stored in clear). */
  contact: z.object({
    person: z.string().trim().max(120).optional(),
    email: z.email().optional(),
    phone: z
      .string()
      .regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 number such as +9647501234567')
      .optional(),
  }),
  /** Beyond the anonymous summary, the fields this partner may receive when the person consented. */
  receives: z
    .array(z.enum(PARTNER_FIELDS))
    .max(PARTNER_FIELDS.length)
    .default([...ANONYMOUS_SUMMARY_FIELDS]),
  sectors: z.array(Sector).max(20).optional(),
  active: z.boolean().default(true),
});
export type Partner = z.infer<typeof PartnerSchema>;

/** A public number as people dial it: +<country><number> or a national short code, stored without separators. */
const AgencyNumber = z
  .string()
  .transform((v) => v.replace(/[\s\-().]/g, ''))
  .refine(
    (v) => /^\+[1-9]\d{7,14}$/.test(v) || /^[1-9]\d{2,7}$/.test(v),
    'must be +<country><number> or a short code',
  );

/**
 * An organisation the deployment serves (see shared/agencies). What makes a new case its own, after an operator's
 * choice: its public numbers (the number texted or called), then its programmes, then its places.
 */
export const AgencySchema = z.object({
  agencyId: AgencyId,
  name: z.string().trim().min(2).max(120),
  numbers: z.array(AgencyNumber).max(20).default([]),
  programmes: z.array(z.string().min(1).max(64)).max(50).default([]),
  governorates: z.array(GovernoratePcode).max(20).default([]),
  districts: z.array(DistrictPcode).max(150).default([]),
  active: z.boolean().default(true),
});
export type Agency = z.infer<typeof AgencySchema>;
