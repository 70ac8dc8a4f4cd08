import * as z from 'zod';
import { logger } from '#functions/lib/logger.ts';
import type { Platform } from '#functions/lib/platform.ts';
import { AGE_BANDS, type NewCaseInput, POPULATION_GROUPS, SEXES } from '#shared/cases/case-schema.ts';
import { CATEGORIES, CATEGORY_SENSITIVITY } from '#shared/classification/taxonomy.ts';
import { RequestError } from '#shared/errors/domain-error.ts';
import { findDistrict, findGovernorate, isDistrictOf } from '#shared/gazetteer/gazetteer.ts';
import { takeClientBudget } from '#shared/intake/client-budget.ts';
import { normalisePhone } from '#shared/privacy/personal-data.ts';
import { type ReplyPromise, replyPromise } from './promise.ts';
import { deriveSecret, serverIdempotencyKey } from './secret.ts';
import { ABOUT_CHOICES, type AboutChoice, caseLanguage, PUBLIC_LANGUAGES } from './strings.ts';

/** Form posts send empty strings for untouched fields; they mean "not given". */
const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema.optional());
const optionalText = (max: number) => optional(z.string().trim().max(max));

/** A checkbox arrives as `yes`/`on` from a form, a boolean from JSON; anything else is "no". */
const Consent = z.preprocess(
  (v) => (typeof v === 'string' ? ['yes', 'on', 'true', '1'].includes(v.trim().toLowerCase()) : v),
  z.boolean().default(false),
);

/**
 * A web submission, JSON or form-encoded (same field names). Only the description is required; a phone number is
 * brought to E.164 and places must be P-codes of the gazetteer, a district inside its governorate.
 */
export const SubmissionSchema = z
  .object({
    about: optional(z.enum(ABOUT_CHOICES)),
    category: optional(z.enum(CATEGORIES)),
    description: z
      .string({ error: 'is required' })
      .trim()
      .min(1, 'is required')
      .max(5000, 'must be at most 5000 characters'),
    /** The page's language (`kmr-arab`, Badini in Arabic script, is recorded as Kurmanji). */
    language: z.preprocess(blankToUndefined, z.enum(PUBLIC_LANGUAGES).default('en')),
    governorate: optional(z.string().max(16)),
    district: optional(z.string().max(16)),
    name: optionalText(200),
    phone: optional(z.string().max(32)),
    consent: Consent,
    populationGroup: optional(z.enum(POPULATION_GROUPS)),
    sex: optional(z.enum(SEXES)),
    ageBand: optional(z.enum(AGE_BANDS)),
    /** The page's own one-time token: a double submit with the same token makes one case. */
    token: optional(z.string().regex(/^[A-Za-z0-9_-]{8,100}$/, 'must be 8 to 100 letters, digits, - or _')),
    /** The bot trap: hidden from people, so anything in it came from a program filling every field. */
    website: z.unknown().optional(),
  })
  .superRefine((b, ctx) => {
    if (b.governorate !== undefined && !findGovernorate(b.governorate)) {
      ctx.addIssue({ code: 'custom', path: ['governorate'], message: 'is not a governorate P-code' });
    }
    if (b.district !== undefined) {
      if (!findDistrict(b.district)) {
        ctx.addIssue({ code: 'custom', path: ['district'], message: 'is not a district P-code' });
      } else if (b.governorate !== undefined && !isDistrictOf(b.district, b.governorate)) {
        ctx.addIssue({ code: 'custom', path: ['district'], message: 'is not in the chosen governorate' });
      }
    }
    if (b.phone !== undefined && !normalisePhone(b.phone)) {
      ctx.addIssue({ code: 'custom', path: ['phone'], message: 'is not a phone number' });
    }
  });
export type Submission = z.output<typeof SubmissionSchema>;

/** What the person's own choice says about the case; the router classifies whatever is left open. */
function classificationFrom(
  about: AboutChoice | undefined,
  category: Submission['category'],
): Pick<NewCaseInput, 'type' | 'category' | 'sensitivity' | 'urgency' | 'classification'> {
  if (about === 'abuse') {
    return {
      type: 'complaint',
      category: 'C07',
      sensitivity: 'S3',
      urgency: 'urgent',
      classification: {
        source: 'person',
        evidence: ['web form: abuse by an aid worker'],
        changedByOfficer: false,
      },
    };
  }
  const type = about === undefined ? null : about;
  if (category) {
    return {
      type,
      category,
      sensitivity: CATEGORY_SENSITIVITY[category],
      classification: {
        source: 'person',
        evidence: [`web form: category ${category}`],
        changedByOfficer: false,
      },
    };
  }
  return { type };
}

/** The client address has used up its budget of submissions (shared/intake/client-budget.ts). */
export class TooManySubmissionsError extends RequestError {
  constructor(readonly retryAfterSeconds: number) {
    super(
      429,
      'PUBLIC.TOO_MANY_SUBMISSIONS',
      `Too many submissions from this connection; try again in ${Math.ceil(retryAfterSeconds / 60)} minutes.`,
      { retryAfterSeconds },
    );
  }
}

export interface SubmitResult {
  reference: string;
  secret: string;
  created: boolean;
  /** The reply promised, when the case's policy counts working days. */
  reply?: ReplyPromise;
}

/** The form fields that, taken together, identify one submission when the page sent no token (JavaScript off). */
function contentKey(platform: Platform, b: Submission): string {
  // Ten-minute buckets: the same words sent twice within minutes are one complaint; a week later they are not.
  const bucket = Math.floor(platform.now().getTime() / 600_000);
  const content = JSON.stringify([
    b.description,
    b.about,
    b.category,
    b.governorate,
    b.district,
    b.name,
    b.phone,
    b.language,
  ]);
  return `web:form:${platform.protector.hashSecret(`dedupe\u0000${bucket}\u0000${content}`)}`;
}

/**
 * Stores a web submission as a case (idempotently) and returns its reference and lookup secret. The bot trap
 * answers a generic 400 and stores nothing: a pretend success would teach nothing to a person who filled the
 * hidden field by accident (some autofill does) and would leave them with a reference that leads nowhere.
 */
export async function submitComplaint(
  platform: Platform,
  body: Submission,
  kind: 'json' | 'form',
  clientAddress?: string,
): Promise<SubmitResult> {
  if (typeof body.website === 'string' ? body.website.trim() !== '' : body.website !== undefined) {
    throw new RequestError(400, 'REQUEST.REJECTED', 'The submission was not accepted.');
  }
  if (clientAddress !== undefined) {
    const taken = await takeClientBudget(
      platform,
      platform.protector.hashSecret(`client\u0000${clientAddress}`),
    );
    if (!taken.allowed) throw new TooManySubmissionsError(taken.retryAfterSeconds);
  }
  const idempotencyKey = body.token
    ? `web:${body.token}`
    : kind === 'form'
      ? contentKey(platform, body)
      : serverIdempotencyKey();
  const secret = deriveSecret(platform.protector, idempotencyKey);
  const phone = body.phone === undefined ? undefined : normalisePhone(body.phone);
  const governorate =
    body.governorate ?? (body.district ? findDistrict(body.district)?.governorate : undefined);
  const input: NewCaseInput = {
    channel: 'web',
    idempotencyKey,
    narrative: body.description,
    language: caseLanguage(body.language),
    ...classificationFrom(body.about, body.category),
    location: { governorate, district: body.district },
    populationGroup: body.populationGroup,
    sex: body.sex,
    ageBand: body.ageBand,
    // Consent to be contacted means nothing without a way to contact.
    consentToFollowUp: phone !== undefined && body.consent,
    phone,
    name: body.name,
    lookupSecretHash: platform.protector.hashSecret(secret),
    createdBy: { kind: 'complainant' },
  };
  const { case: c, created } = await platform.cases.create(input);
  // The case is stored: a failed read of the SLA settings only leaves the promise out of the answer.
  const reply = await replyPromise(platform, c).catch((err: unknown) => {
    logger.warn('reply promise left out', {
      code: 'PUBLIC.PROMISE_UNAVAILABLE',
      errorName: err instanceof Error ? err.name : typeof err,
    });
    return undefined;
  });
  return { reference: c.reference, secret, created, ...(reply ? { reply } : {}) };
}
