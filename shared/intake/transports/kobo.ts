/**
 * KoboToolbox field forms (complaint boxes, accountability desks, monitoring visits), received through a Kobo
 * project's REST Service. Kobo posts each submission once, on creation, as JSON (`Content-Type: application/json`)
 * and retries a failed post three times (after 60, 600 and 6,000 seconds). The body is the submission as Kobo
 * stores it: one flat object whose keys are the question names prefixed with their groups (`complaint/description`),
 * Kobo's own metadata (`_uuid`, `_submission_time`, `_id`, `formhub/uuid`, `__version__`, …) and the form's
 * `meta/instanceID` (`uuid:…`), which names the submission for good and so keys the case.
 *
 * The field mapping (docs/kobo/README.md, the XLSForm template beside it) reads each question by its own name,
 * whatever group a programme puts it in, so a copied form may regroup its questions freely.
 */
import * as z from 'zod';
import { AGE_BANDS, OPERATOR_CHANNELS, POPULATION_GROUPS, SEXES } from '../../cases/case-codes.ts';
import type { NewCaseInput } from '../../cases/case-schema.ts';
import type { CaseStore } from '../../cases/case-store.ts';
import {
  CATEGORIES,
  CATEGORY_SENSITIVITY,
  FEEDBACK_TYPES,
  LANGUAGES,
} from '../../classification/taxonomy.ts';
import { parseOrThrow, RequestError } from '../../errors/domain-error.ts';
import { findDistrict, findGovernorate, isDistrictOf } from '../../gazetteer/gazetteer.ts';
import { normalisePhone } from '../../privacy/personal-data.ts';

/** A submission is a few kilobytes of text; Kobo sends attachments as links, never inline. */
export const KOBO_BODY_LIMIT = 64 * 1024;

/**
 * The channels a form may name: those staff record by hand. An accountability or help desk, and a monitoring
 * visit where someone raises a complaint to staff in person, are `walk_in`.
 */
export const KOBO_CHANNELS = OPERATOR_CHANNELS;

/** The questions the platform reads, by their XLSForm `name` (see docs/kobo/). */
export const KOBO_FIELDS = [
  'channel',
  'language',
  'description',
  'feedback_type',
  'category',
  'governorate',
  'district',
  'programme',
  'population_group',
  'sex',
  'age_band',
  'consent_contact',
  'consent_share',
  'phone',
  'name',
] as const;
export type KoboField = (typeof KOBO_FIELDS)[number];

/** Kobo sends an unanswered question as absent, and some exports as an empty string. */
const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema.optional());
const YesNo = optional(z.enum(['yes', 'no']));
/** Kobo's instance id: `uuid:` and a UUID (ODK Collect and Enketo both write it so). */
const INSTANCE_ID = /^uuid:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** The form's answers, once each question has been found by its name. */
export const KoboAnswers = z
  .object({
    instanceId: z.string({ error: 'is required' }).regex(INSTANCE_ID, 'must be uuid: and a UUID'),
    submittedAt: optional(z.iso.datetime({ local: true, offset: true })),
    channel: z.enum(KOBO_CHANNELS, { error: `must be one of ${KOBO_CHANNELS.join(', ')}` }),
    language: z.enum(LANGUAGES, { error: `must be one of ${LANGUAGES.join(', ')}` }),
    description: z
      .string({ error: 'is required' })
      .trim()
      .min(1, 'is required')
      .max(5000, 'must be at most 5000 characters'),
    feedback_type: optional(z.enum(FEEDBACK_TYPES)),
    category: optional(z.enum(CATEGORIES)),
    governorate: optional(z.string().max(16)),
    district: optional(z.string().max(16)),
    programme: optional(z.string().trim().max(64)),
    population_group: optional(z.enum(POPULATION_GROUPS)),
    sex: optional(z.enum(SEXES)),
    age_band: optional(z.enum(AGE_BANDS)),
    consent_contact: YesNo,
    consent_share: YesNo,
    phone: optional(z.string().max(32)),
    name: optional(z.string().trim().max(200)),
  })
  .superRefine((a, ctx) => {
    if (a.governorate !== undefined && !findGovernorate(a.governorate)) {
      ctx.addIssue({ code: 'custom', path: ['governorate'], message: 'is not a governorate P-code' });
    }
    if (a.district !== undefined) {
      if (!findDistrict(a.district)) {
        ctx.addIssue({ code: 'custom', path: ['district'], message: 'is not a district P-code' });
      } else if (a.governorate !== undefined && !isDistrictOf(a.district, a.governorate)) {
        ctx.addIssue({ code: 'custom', path: ['district'], message: 'is not in the chosen governorate' });
      }
    }
    // Never the value: it is personal data.
    if (a.phone !== undefined && !normalisePhone(a.phone)) {
      ctx.addIssue({ code: 'custom', path: ['phone'], message: 'is not a phone number' });
    }
  });
export type KoboAnswers = z.output<typeof KoboAnswers>;

/** Two keys name the same question (`a/phone` and `b/phone`): which one is meant cannot be told. */
export interface KoboDuplicate {
  field: KoboField;
}

/**
 * Gathers the questions the platform reads from a submission's flat keys, by the last part of each key, and Kobo's
 * own instance id and submission time. The rest of the submission (Kobo's metadata, a programme's extra questions)
 * is left alone. Returns the duplicated field instead when a name occurs under two groups.
 */
export function gatherKoboAnswers(
  submission: Record<string, unknown>,
): { answers: Record<string, unknown> } | { duplicate: KoboDuplicate } {
  const wanted = new Set<string>(KOBO_FIELDS);
  const answers: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(submission)) {
    if (key.startsWith('_') || key.startsWith('meta/') || key.startsWith('formhub/')) continue;
    const name = key.slice(key.lastIndexOf('/') + 1);
    if (!wanted.has(name)) continue;
    if (name in answers) return { duplicate: { field: name as KoboField } };
    answers[name] = value;
  }
  // `meta/instanceID` is the form's own; `_uuid` is the same id without its `uuid:` prefix (older Kobo servers
  // and the data API's exports carry only that one).
  const instanceId =
    submission['meta/instanceID'] ??
    (typeof submission._uuid === 'string' ? `uuid:${submission._uuid}` : undefined);
  if (instanceId !== undefined) answers.instanceId = instanceId;
  // Kobo writes the time without an offset; it is UTC.
  const at = submission._submission_time;
  if (typeof at === 'string' && at.trim() !== '') answers.submittedAt = at;
  return { answers };
}

/** The key a submission's case is stored under: a retried post finds the case its first post opened. */
export const koboIdempotencyKey = (instanceId: string): string =>
  `kobo:${instanceId.slice('uuid:'.length).toLowerCase()}`;

/** Kobo's `_submission_time` (UTC, often without an offset) as an instant. */
function receivedAt(submittedAt: string | undefined): string | undefined {
  if (!submittedAt) return undefined;
  const iso = /(Z|[+-]\d{2}:?\d{2})$/.test(submittedAt) ? submittedAt : `${submittedAt}Z`;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

/**
 * The case a submission opens, as any channel hands it to the case store: the form's category (when the person or
 * the staff member chose one) is the person's choice with its default sensitivity, as on the web form and the
 * operator's console; everything left open goes to the router's classifier, whose reading can only raise it.
 */
export function koboCaseInput(a: KoboAnswers, now: Date): NewCaseInput {
  const phone = a.phone === undefined ? undefined : normalisePhone(a.phone);
  const governorate = a.governorate ?? (a.district ? findDistrict(a.district)?.governorate : undefined);
  const chose = a.category !== undefined || a.feedback_type !== undefined;
  const at = receivedAt(a.submittedAt);
  return {
    channel: a.channel,
    transport: 'kobo',
    idempotencyKey: koboIdempotencyKey(a.instanceId),
    narrative: a.description,
    language: a.language,
    type: a.feedback_type ?? null,
    category: a.category ?? null,
    sensitivity: a.category ? CATEGORY_SENSITIVITY[a.category] : 'S0',
    classification: chose
      ? {
          source: 'person',
          evidence: [`kobo form: ${[a.feedback_type, a.category].filter(Boolean).join(' ')}`],
          changedByOfficer: false,
        }
      : { source: 'pending', evidence: [], changedByOfficer: false },
    location: { governorate, district: a.district },
    programme: a.programme,
    populationGroup: a.population_group,
    sex: a.sex,
    ageBand: a.age_band,
    // Consent to be contacted means nothing without a way to contact.
    consentToFollowUp: phone !== undefined && a.consent_contact === 'yes',
    ...(a.consent_share
      ? {
          consentToShare: {
            given: a.consent_share === 'yes',
            how: 'intake' as const,
            at: at ?? now.toISOString(),
          },
        }
      : {}),
    phone,
    name: a.name,
    // A submission cannot come from the future: a device clock set wrong must not move the SLA clock.
    ...(at && Date.parse(at) <= now.getTime() ? { receivedAt: at } : {}),
    createdBy: { kind: 'system', id: 'kobo' },
  };
}

/** The submission is not a JSON object of answers (an array, a string, a payload wrapped in something else). */
const Submission = z.record(z.string(), z.unknown(), { error: 'must be the submission, a JSON object' });

export interface KoboReceipt {
  reference: string;
  caseId: string;
  /** False when a post of the same submission had already opened the case (Kobo's retry, or a repeat). */
  created: boolean;
}

/**
 * Opens the case of one submission, or finds the one its earlier post opened: the case store's single conditional
 * write keyed by the submission's instance id makes a retry, even one racing the first post, find that case.
 */
export async function receiveKoboSubmission(
  deps: { cases: Pick<CaseStore, 'create'>; now: () => Date },
  body: unknown,
): Promise<KoboReceipt> {
  const submission = parseOrThrow(Submission, body);
  const gathered = gatherKoboAnswers(submission);
  if ('duplicate' in gathered) {
    throw new RequestError(
      400,
      'KOBO.AMBIGUOUS_FIELD',
      `The question ${gathered.duplicate.field} occurs in two groups; keep one.`,
    );
  }
  const answers = parseOrThrow(KoboAnswers, gathered.answers);
  const { case: c, created } = await deps.cases.create(koboCaseInput(answers, deps.now()));
  return { reference: c.reference, caseId: c.caseId, created };
}
