import * as z from 'zod';
import { AGENCY_BASES, AgencyId } from '../agencies/agency-id.ts';
import { SENSITIVITY_BASES } from '../classification/schema.ts';
import {
  CATEGORIES,
  FEEDBACK_TYPES,
  LANGUAGES,
  SECTORS,
  SENSITIVITIES,
  URGENCIES,
} from '../classification/taxonomy.ts';
import { REFERENCE_PATTERN } from '../store/ids.ts';
import {
  AGE_BANDS,
  CASE_STATUSES,
  CASE_TRANSPORTS,
  CHANNELS,
  POPULATION_GROUPS,
  SEXES,
} from './case-codes.ts';

export {
  AGE_BANDS,
  CASE_STATUSES,
  CHANNELS,
  OPEN_STATUSES,
  OPERATOR_CHANNELS,
  POPULATION_GROUPS,
  SEXES,
} from './case-codes.ts';

export const CaseStatus = z.enum(CASE_STATUSES);
export const Channel = z.enum(CHANNELS);
export const Language = z.enum(LANGUAGES);
export const FeedbackType = z.enum(FEEDBACK_TYPES);
export const Category = z.enum(CATEGORIES);
export const Sector = z.enum(SECTORS);
export const Sensitivity = z.enum(SENSITIVITIES);
export const Urgency = z.enum(URGENCIES);
export const Reference = z.string().regex(REFERENCE_PATTERN, 'must look like K7MQ-4XZ9');
export const IsoInstant = z.iso.datetime({ offset: false });
export const GovernoratePcode = z.string().regex(/^IQG\d{2}$/, 'must be a governorate P-code such as IQG09');
export const DistrictPcode = z
  .string()
  .regex(/^IQG\d{2}Q\d{2}$/, 'must be a district P-code such as IQG09Q02');
export type CaseStatus = z.infer<typeof CaseStatus>;
export type Channel = z.infer<typeof Channel>;
export type Sensitivity = z.infer<typeof Sensitivity>;

/** Who did something: a staff member (by user id and role), the complainant, or the platform itself. */
export const Actor = z.object({
  kind: z.enum(['staff', 'complainant', 'system']),
  id: z.string().max(128).optional(),
  role: z.string().max(32).optional(),
});
export type Actor = z.infer<typeof Actor>;

/** What the classification rests on; `source` says who decided the current values. */
export const Classification = z.object({
  source: z.enum(['pending', 'person', 'classifier', 'officer']),
  confidence: z.number().min(0).max(1).optional(),
  evidence: z.array(z.string().max(200)).max(50).default([]),
  /** The classifier's own answer, kept to measure how often officers change it. */
  automatic: z
    .object({
      type: FeedbackType,
      category: Category.nullable(),
      sensitivity: Sensitivity,
      urgency: Urgency,
    })
    .optional(),
  changedByOfficer: z.boolean().default(false),
  /** Why the platform's reading made the case as sensitive as it is (the classifier's basis), for the reports. */
  basis: z.enum(SENSITIVITY_BASES).optional(),
  /**
   * How much of the narrative the platform has read (its length then). Text appended later (a follow-up, a
   * transcript) is read on its own, so a restriction a focal point lifted is not raised again by the same words.
   */
  textRead: z.number().int().nonnegative().optional(),
  /**
   * The basis on which the platform (or the person's own choice) last restricted the case (S2/S3); kept when a
   * focal point lifts the restriction, so the reports can say which restrictions are downgraded.
   */
  restrictedBasis: z.enum(SENSITIVITY_BASES).optional(),
  /** Set when a staff member lifted the restriction (who, when, on what basis it had been restricted). */
  lifted: z
    .object({
      by: z.string().max(128),
      role: z.string().max(32).optional(),
      at: IsoInstant,
      basis: z.enum(SENSITIVITY_BASES),
    })
    .optional(),
});

export const Location = z.object({
  governorate: GovernoratePcode.optional(),
  district: DistrictPcode.optional(),
});

/** Encrypted contact details. Only ciphertext and a keyed hash are stored; see shared/privacy. */
export const Contact = z.object({
  phoneCipher: z.string().optional(),
  phoneHash: z.string().optional(),
  nameCipher: z.string().optional(),
});

export const Sla = z.object({
  policyId: z.string(),
  clock: z.enum(['24x7', 'working']),
  acknowledgeBy: IsoInstant,
  resolveBy: IsoInstant,
  /** Total time the clock stood still while the case waited on the complainant. */
  pausedMs: z.number().int().nonnegative().default(0),
  pausedSince: IsoInstant.optional(),
  /** Escalation levels already fired, so the sweeper fires each exactly once. */
  escalated: z.array(z.string()).default([]),
  warned: z.array(z.string()).default([]),
});

export const Routing = z.object({
  focalPoints: z.array(z.string()).max(20),
  ruleId: z.string(),
  routedAt: IsoInstant,
  /** The case fields the routing and SLA were chosen from (shared/routing); a change to them re-routes the case. */
  basis: z.string().max(400).optional(),
  /** Why no focal point was found (a stable code such as ROUTING.NO_RESTRICTED_FOCAL_POINT). */
  problem: z.string().max(64).optional(),
});

/**
 * A call the IVR put through to the hotline's operators: who was rung (roster ids, and the console users behind
 * them), how the dial ended, whether the caller agreed to recording, and the operator's completion in the console.
 * Ids only: the operators' numbers stay in the roster.
 */
export const LiveCall = z.object({
  dialledAt: IsoInstant,
  operatorIds: z.array(z.string().max(64)).max(10),
  /** The console users of the operators rung; the one who answered, once known, completes the call. */
  operatorUserIds: z.array(z.string().max(128)).max(10).default([]),
  gender: z.enum(['female', 'male']).optional(),
  recordingConsent: z.boolean(),
  outcome: z.enum(['dialling', 'completed', 'answered', 'busy', 'no-answer', 'failed', 'canceled']),
  durationSeconds: z.number().int().nonnegative().optional(),
  answeredBy: z.string().max(64).optional(),
  answeredByUserId: z.string().max(128).optional(),
  completedAt: IsoInstant.optional(),
  completedBy: z.string().max(128).optional(),
});
export type LiveCall = z.infer<typeof LiveCall>;

export const SHARE_CONSENT_METHODS = ['intake', 'phone_call', 'in_person', 'sms', 'web_form'] as const;

/** The person's answer to "may we share your case with another organisation?", and how it was obtained. */
export const ShareConsent = z.object({
  given: z.boolean(),
  how: z.enum(SHARE_CONSENT_METHODS),
  /** When the person answered. */
  at: IsoInstant,
  /** The staff member who recorded it (absent when the person gave it on the web form). */
  recordedBy: z.string().max(128).optional(),
});
export type ShareConsent = z.infer<typeof ShareConsent>;

export const CaseSchema = z.object({
  caseId: z.string(),
  reference: Reference,
  version: z.number().int().positive(),
  /**
   * The agency the case belongs to (shared/agencies); absent on cases of a deployment without agencies and on
   * cases from before, which read as the default agency.
   */
  agency: AgencyId.optional(),
  /** How the agency was decided (operator, number, programme, place, default, transfer). */
  agencyBasis: z.enum(AGENCY_BASES).optional(),
  status: CaseStatus,
  channel: Channel,
  /**
   * What carried the person's messages on the `sms` channel (see TRANSPORTS), or `kobo` for a field form; absent on
   * cases from before.
   */
  transport: z.enum(CASE_TRANSPORTS).optional(),
  language: Language,
  type: FeedbackType.nullable(),
  category: Category.nullable(),
  sector: Sector.nullable(),
  sensitivity: Sensitivity,
  urgency: Urgency,
  classification: Classification,
  narrative: z.string().max(5000),
  location: Location.default({}),
  programme: z.string().max(64).optional(),
  populationGroup: z.enum(POPULATION_GROUPS).optional(),
  sex: z.enum(SEXES).optional(),
  ageBand: z.enum(AGE_BANDS).optional(),
  consentToFollowUp: z.boolean(),
  contact: Contact.default({}),
  mediaUrls: z.array(z.string().url()).max(10).default([]),
  /** Hash of the secret the web form hands back for status lookups. */
  lookupSecretHash: z.string().optional(),
  idempotencyKey: z.string(),
  receivedAt: IsoInstant,
  acknowledgedAt: IsoInstant.optional(),
  firstActionAt: IsoInstant.optional(),
  resolvedAt: IsoInstant.optional(),
  closedAt: IsoInstant.optional(),
  reopenedAt: IsoInstant.optional(),
  outcome: z.string().max(64).optional(),
  satisfaction: z.enum(['satisfied', 'not_satisfied', 'no_answer']).optional(),
  routing: Routing.optional(),
  sla: Sla.optional(),
  assignee: z.string().max(128).optional(),
  /** Set while the case waits on the complainant (a satisfaction answer, more information). */
  waitingOn: z.enum(['complainant']).optional(),
  /** When the case began waiting on the complainant (set with `waitingOn`; the clock is paused meanwhile). */
  waitingSince: IsoInstant.optional(),
  /**
   * When the complainant's last message joined this case (a follow-up, an answer); a console compares it with the
   * last staff action to show that the person wrote since.
   */
  lastMessageInAt: IsoInstant.optional(),
  /** How the complainant heard the outcome: outcome SMS, a call, or on the first contact itself. */
  loopClosedBy: z.enum(['sms', 'call', 'on_contact']).optional(),
  linkedCaseIds: z.array(z.string()).max(50).default([]),
  referral: z
    .object({
      partner: z.string().max(128),
      status: z.enum(['pending', 'accepted', 'declined']),
      dueBy: IsoInstant.optional(),
      /** The partner record (shared/config) the case went to; absent on referrals made before partners were records. */
      partnerId: z.string().max(64).optional(),
      /** `consented`: the fields the partner may receive; `anonymous`: a summary without anything identifying. */
      share: z.enum(['consented', 'anonymous']).optional(),
      /** The fields passed on (field names, never values). */
      fields: z.array(z.string().max(32)).max(20).optional(),
    })
    .optional(),
  /**
   * Whether the person agreed that their case may be shared with another organisation (a referral partner), and
   * how that was recorded: at intake, or asked afterwards by an officer (by phone, in person, by SMS).
   */
  consentToShare: ShareConsent.optional(),
  /** The officer's own words to the person on resolution, in the person's language (sent with the outcome SMS). */
  outcomeMessage: z.string().max(320).optional(),
  /**
   * The version the last change by a staff member left the case at. A staff write made against an older version
   * meets another person's change (409); writes the platform makes on its own (routing, classification, the
   * sweeper) move `version` but not this, so they never turn a person's next edit into a conflict.
   */
  staffVersion: z.number().int().positive().optional(),
  /** When a staff member last acted on the case (a change or a note); compared with `lastMessageInAt`. */
  lastStaffActionAt: IsoInstant.optional(),
  createdBy: Actor,
  updatedAt: IsoInstant,
  /** Set when personal data was removed after the retention period. */
  redactedAt: IsoInstant.optional(),
  /** Set on a hotline call the IVR put through to an operator (shared/intake/ivr.ts). */
  liveCall: LiveCall.optional(),
});
export type Case = z.infer<typeof CaseSchema>;

export const CASE_EVENT_TYPES = [
  'received',
  'message_in',
  'message_out',
  'transition',
  'note',
  'classified',
  'reclassified',
  'routed',
  'assigned',
  'updated',
  'sla_warning',
  'escalated',
  'satisfaction',
  'recording',
  'transcription',
  'callback_requested',
  'delivery_status',
  'referral',
  'redacted',
  'linked',
  'transferred',
] as const;

/** One entry on a case's append-only timeline. `data` holds no personal data. */
export const CaseEventSchema = z.object({
  caseId: z.string(),
  eventId: z.string(),
  at: IsoInstant,
  type: z.enum(CASE_EVENT_TYPES),
  actor: Actor,
  fromStatus: CaseStatus.optional(),
  toStatus: CaseStatus.optional(),
  reason: z.string().max(2000).optional(),
  data: z.record(z.string(), z.unknown()).optional(),
  /** The case version this event's change produced (set by the store on changes; absent on appended notes). */
  version: z.number().int().positive().optional(),
});
export type CaseEvent = z.infer<typeof CaseEventSchema>;
export type CaseEventType = (typeof CASE_EVENT_TYPES)[number];

/** What a channel hands the store to open a case. Personal data arrives in clear and is protected by the store. */
export const NewCaseInputSchema = z.object({
  channel: Channel,
  /** The agency an operator chose for the case; otherwise it is decided from what follows (shared/agencies). */
  agency: AgencyId.optional(),
  /** The public number the person texted or called (the platform's, not personal data): it may name an agency. */
  receivedOn: z.string().max(64).optional(),
  transport: z.enum(CASE_TRANSPORTS).optional(),
  /** The channel's own message or call id (MessageSid, CallSid, a client-generated id for forms). */
  idempotencyKey: z.string().min(1).max(200),
  narrative: z.string().max(5000),
  language: Language,
  type: FeedbackType.nullable().default(null),
  category: Category.nullable().default(null),
  sector: Sector.nullable().default(null),
  sensitivity: Sensitivity.default('S0'),
  urgency: Urgency.default('none'),
  classification: Classification.default({ source: 'pending', evidence: [], changedByOfficer: false }),
  location: Location.default({}),
  programme: z.string().max(64).optional(),
  populationGroup: z.enum(POPULATION_GROUPS).optional(),
  sex: z.enum(SEXES).optional(),
  ageBand: z.enum(AGE_BANDS).optional(),
  consentToFollowUp: z.boolean().default(false),
  /** The person's answer on sharing the case with a partner, when the channel asked. */
  consentToShare: ShareConsent.optional(),
  phone: z
    .string()
    .regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 number such as +9647701234567')
    .optional(),
  name: z.string().max(200).optional(),
  mediaUrls: z.array(z.string().url()).max(10).default([]),
  lookupSecretHash: z.string().optional(),
  linkedCaseIds: z.array(z.string()).max(50).default([]),
  receivedAt: IsoInstant.optional(),
  createdBy: Actor,
  /** Lets an operator log an information request answered on the call as resolved at once. */
  resolvedOnContact: z
    .object({ outcome: z.string().max(64), note: z.string().max(2000).optional() })
    .optional(),
});
export type NewCaseInput = z.input<typeof NewCaseInputSchema>;

export const isRestricted = (sensitivity: Sensitivity): boolean =>
  sensitivity === 'S2' || sensitivity === 'S3';
