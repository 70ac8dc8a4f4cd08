/**
 * The staff case routes' contracts: who may call each, what it parses (one zod schema over path, query, headers and
 * body) and every status it can answer with. The handlers parse with these schemas and the OpenAPI document is
 * generated from them, so the two cannot drift. Side-effect free: the OpenAPI function imports it without the
 * case service.
 */
import * as z from 'zod';
import { AgencyId } from '#shared/agencies/agency-id.ts';
import type { Role } from '#shared/auth/principal.ts';
import { CaseListFilterSchema } from '#shared/cases/case-query.ts';
import {
  AGE_BANDS,
  Category,
  DistrictPcode,
  FeedbackType,
  GovernoratePcode,
  IsoInstant,
  Language,
  OPERATOR_CHANNELS,
  POPULATION_GROUPS,
  Reference,
  SEXES,
  Sector,
  Sensitivity,
  Urgency,
} from '#shared/cases/case-schema.ts';
import { TRANSITION_ACTIONS } from '#shared/cases/transitions.ts';
import { ClusterId } from '#shared/clusters/cluster-store.ts';
import { ConfigId } from '#shared/config/schemas.ts';
import { OUTCOMES } from '#shared/messages/templates.ts';

/** A route's contract, as the handler enforces it and the OpenAPI document states it. */
export interface RouteContract<S extends z.ZodType = z.ZodType> {
  summary: string;
  auth: readonly Role[];
  accepts?: readonly 'json'[];
  schema: S;
  /** Success statuses and what each means. */
  ok: Readonly<Record<number, string>>;
  /** Error statuses the route itself can give (besides 401/403, which every staff route can). */
  errors: readonly number[];
}

/** A case id is its reference (K7MQ-4XZ9). */
const CaseId = z.object({ id: Reference });
const Location = z.strictObject({
  governorate: GovernoratePcode.optional(),
  district: DistrictPcode.optional(),
});
/** What staff may set on a case when logging it or correcting it later. */
const Classification = {
  type: FeedbackType.optional(),
  category: Category.optional(),
  sector: Sector.optional(),
  sensitivity: Sensitivity.optional(),
  urgency: Urgency.optional(),
  location: Location.optional(),
};
/** `If-Match: <version>` on every write to an existing case (428 without it, 409 when stale). */
const IfMatch = z
  .object({
    'if-match': z
      .string()
      .max(40)
      .optional()
      .describe('The case version last read, as the ETag gave it ("3"); required, 428 without it.'),
  })
  .loose();

const OPERATOR_OFFICER = ['operator', 'officer'] as const;
const READERS = ['operator', 'officer', 'psea', 'admin'] as const;
const WRITERS = ['officer', 'psea'] as const;
/** Clusters carry no personal data and no restricted case, so report readers see the list too. */
const CLUSTER_LISTERS = ['operator', 'officer', 'psea', 'manager', 'admin'] as const;
/** Statuses every route with a JSON body can give: bad input, too large, wrong media type. */
const BODY_ERRORS = [400, 413, 415] as const;
/** Statuses of a write to an existing case: not found, stale version or invalid transition, no If-Match. */
const WRITE_ERRORS = [404, 409, 428] as const;

/** Keeps a contract's own schema type, so the handler's input is typed from it. */
export const contract = <S extends z.ZodType>(c: RouteContract<S>): RouteContract<S> => c;

export const CASE_ROUTES = {
  'POST /api/cases': contract({
    summary: 'Log a case taken by phone or in person (idempotent on Idempotency-Key)',
    auth: OPERATOR_OFFICER,
    accepts: ['json'],
    schema: z.object({
      headers: z
        .object({
          'idempotency-key': z
            .string({ error: 'Send an Idempotency-Key header (one per case being logged).' })
            .regex(/^[\x21-\x7e]{8,128}$/, 'must be 8 to 128 visible ASCII characters')
            .describe('One per case being logged; a repeat answers 200 with the case it made.'),
        })
        .loose(),
      body: z.strictObject({
        channel: z.enum(OPERATOR_CHANNELS),
        narrative: z.string().trim().min(1).max(5000),
        language: Language,
        ...Classification,
        programme: z.string().min(1).max(64).optional(),
        populationGroup: z.enum(POPULATION_GROUPS).optional(),
        sex: z.enum(SEXES).optional(),
        ageBand: z.enum(AGE_BANDS).optional(),
        consentToFollowUp: z.boolean(),
        consentToShare: z.boolean().optional(),
        phone: z.string().min(4).max(32).optional(),
        name: z.string().trim().min(1).max(200).optional(),
        resolvedOnContact: z
          .strictObject({ outcome: z.enum(OUTCOMES), note: z.string().max(2000).optional() })
          .optional(),
        callback: z.strictObject({ note: z.string().trim().max(500).optional() }).optional(),
        /** The agency the call is for (a shared hotline); the operator's own agency when unset. */
        agency: AgencyId.optional(),
      }),
    }),
    ok: { 201: 'The case was created', 200: 'The same Idempotency-Key was sent before: the case it created' },
    errors: [...BODY_ERRORS],
  }),
  'GET /api/cases': contract({
    summary: 'List cases by queue, status, category, place or period (paged)',
    auth: READERS,
    schema: z.object({
      // The store's filter, as a query string spells it.
      query: z.strictObject({
        ...CaseListFilterSchema.shape,
        overdue: z.enum(['true', 'false']).optional(),
        limit: z.coerce.number().int().min(1).max(100).optional(),
      }),
    }),
    ok: { 200: 'A page of cases the caller may see' },
    errors: [400],
  }),
  'POST /api/cases/lookup': contract({
    summary: 'Find cases by a caller’s phone number or a reference',
    auth: ['operator', 'officer', 'psea'],
    accepts: ['json'],
    schema: z.object({
      body: z.union([
        z.strictObject({ phone: z.string().min(4).max(32) }),
        z.strictObject({ reference: z.string().min(4).max(20) }),
      ]),
    }),
    ok: { 200: 'The matching cases the caller may see (possibly none)' },
    errors: [...BODY_ERRORS],
  }),
  'GET /api/cases/{id}': contract({
    summary: 'A case with its timeline, as the caller’s role may see it (ETag: its version)',
    auth: READERS,
    schema: z.object({ path: CaseId }),
    ok: { 200: 'The case' },
    errors: [400, 404],
  }),
  'PATCH /api/cases/{id}': contract({
    summary: 'Correct a case’s classification, place, programme, assignee or consent',
    auth: WRITERS,
    accepts: ['json'],
    schema: z.object({
      path: CaseId,
      headers: IfMatch,
      body: z.strictObject({
        ...Classification,
        programme: z.string().min(1).max(64).nullable().optional(),
        assignee: z.string().min(1).max(128).nullable().optional(),
        waitingOn: z.literal('complainant').nullable().optional(),
        consentToShare: z
          .strictObject({
            given: z.boolean(),
            how: z.enum(['phone_call', 'in_person', 'sms']),
            at: IsoInstant.optional(),
          })
          .optional(),
        reason: z.string().max(2000).optional(),
      }),
    }),
    ok: { 200: 'The case as changed (ETag: its new version)' },
    errors: [...BODY_ERRORS, ...WRITE_ERRORS],
  }),
  'POST /api/cases/{id}/notes': contract({
    summary: 'Add an internal note to a case',
    auth: ['operator', 'officer', 'psea'],
    accepts: ['json'],
    schema: z.object({ path: CaseId, body: z.strictObject({ text: z.string().trim().min(1).max(2000) }) }),
    ok: { 201: 'The note was added' },
    errors: [...BODY_ERRORS, 404],
  }),
  'POST /api/cases/{id}/transitions': contract({
    summary: 'Move a case on: acknowledge, start, resolve (with an outcome), close, reopen, escalate',
    auth: WRITERS,
    accepts: ['json'],
    schema: z.object({
      path: CaseId,
      headers: IfMatch,
      body: z.strictObject({
        action: z.enum(TRANSITION_ACTIONS),
        reason: z.string().max(2000).optional(),
        outcome: z.enum(OUTCOMES).optional(),
        message: z.string().trim().min(1).max(320).optional(),
        loopClosedBy: z.literal('call').optional(),
        callComplainant: z.boolean().optional(),
      }),
    }),
    ok: { 200: 'The case after the transition (ETag: its new version)' },
    errors: [...BODY_ERRORS, ...WRITE_ERRORS],
  }),
  'POST /api/cases/{id}/transfer': contract({
    summary: 'Transfer a case to another agency (needs the person’s consent to share; audited)',
    auth: WRITERS,
    accepts: ['json'],
    schema: z.object({
      path: CaseId,
      headers: IfMatch,
      body: z.strictObject({
        agency: AgencyId,
        reason: z.string().trim().min(1).max(2000),
      }),
    }),
    ok: { 200: 'The case moved: its id, reference, new agency and version (it leaves the caller’s lists)' },
    errors: [...BODY_ERRORS, ...WRITE_ERRORS],
  }),
  'POST /api/cases/{id}/referral': contract({
    summary: 'Refer a case to a partner, or record the partner’s acceptance or refusal',
    auth: WRITERS,
    accepts: ['json'],
    schema: z.object({
      path: CaseId,
      headers: IfMatch,
      body: z.discriminatedUnion('action', [
        z.strictObject({
          action: z.literal('refer'),
          partnerId: ConfigId,
          /** `consented` needs the person's consent to sharing on the case; `anonymous` never does. */
          share: z.enum(['consented', 'anonymous']),
          dueBy: IsoInstant.optional(),
          reason: z.string().max(2000).optional(),
        }),
        z.strictObject({
          action: z.literal('accept'),
          dueBy: IsoInstant,
          reason: z.string().max(2000).optional(),
        }),
        z.strictObject({ action: z.literal('decline'), reason: z.string().trim().min(1).max(2000) }),
      ]),
    }),
    ok: { 200: 'The case with its referral (ETag: its new version)' },
    errors: [...BODY_ERRORS, ...WRITE_ERRORS],
  }),
  'POST /api/cases/{id}/break-glass': contract({
    summary: 'An admin opens a restricted case for a stated reason (audited)',
    auth: ['admin'],
    accepts: ['json'],
    schema: z.object({
      path: CaseId,
      body: z.strictObject({
        reason: z
          .string()
          .trim()
          .min(20, 'explain in at least 20 characters why you need this case')
          .max(2000),
      }),
    }),
    ok: { 200: 'The case, opened for this admin' },
    errors: [...BODY_ERRORS, 404],
  }),
  'GET /api/clusters': contract({
    summary: 'Open clusters of similar complaints: category, place, size and newest member (no references)',
    auth: CLUSTER_LISTERS,
    schema: z.object({
      query: z.strictObject({
        category: Category.optional(),
        governorate: GovernoratePcode.optional(),
        district: DistrictPcode.optional(),
      }),
    }),
    ok: { 200: 'The open clusters the caller’s scope covers, newest member first' },
    errors: [400],
  }),
  'GET /api/clusters/{clusterId}': contract({
    summary: 'A cluster and those of its members the caller may read',
    auth: ['operator', 'officer', 'psea'],
    schema: z.object({ path: z.object({ clusterId: ClusterId }) }),
    ok: { 200: 'The cluster and its members the caller may see' },
    errors: [400, 404],
  }),
  'POST /api/clusters/{clusterId}/resolve': contract({
    summary:
      'Resolve every open member of a cluster with one outcome, each under its own version check; the person of each consenting member gets the outcome SMS',
    auth: WRITERS,
    accepts: ['json'],
    schema: z.object({
      path: z.object({ clusterId: ClusterId }),
      body: z.strictObject({
        outcome: z.enum(OUTCOMES),
        /** The words to each person, in their language where given in `messages`, else this text. */
        message: z.string().trim().min(1).max(320),
        messages: z.partialRecord(Language, z.string().trim().min(1).max(320)).optional(),
        reason: z.string().max(2000).optional(),
        /** The versions of the members as the caller saw them; a member changed since is left as it is. */
        versions: z.record(Reference, z.number().int().positive()).optional(),
      }),
    }),
    ok: { 200: 'Which members were resolved, and which were left as they were (and why)' },
    errors: [...BODY_ERRORS, 404],
  }),
} as const;

export type CaseRouteKey = keyof typeof CASE_ROUTES;
