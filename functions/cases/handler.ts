/**
 * Staff case routes (see functions/routes.ts): each parses one schema and calls one use-case of case-service.ts.
 * Write routes that change a case take `If-Match: <version>` (428 without it, 409 CASE.VERSION_CONFLICT when
 * stale) and answer with the new version as the ETag.
 */
import * as z from 'zod';
import { httpRoute, type RouteRequest, routeGroup } from '#functions/lib/http-route.ts';
import { getPlatform, type Platform } from '#functions/lib/platform.ts';
import { json } from '#functions/lib/responses.ts';
import type { Principal } from '#shared/auth/principal.ts';
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
import { ConfigId } from '#shared/config/schemas.ts';
import { RequestError } from '#shared/errors/domain-error.ts';
import { OUTCOMES } from '#shared/messages/templates.ts';
import { type CaseService, makeCaseService } from './case-service.ts';

let cached: { platform: Platform; service: CaseService } | undefined;
/** The use-cases over this process's platform (rebuilt if a test installs another one). */
const cases = async (): Promise<CaseService> => {
  const platform = await getPlatform();
  if (cached?.platform !== platform) cached = { platform, service: makeCaseService(platform) };
  return cached.service;
};

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
const Headers = z.object({ 'if-match': z.string().max(40).optional() }).loose();

/** `If-Match: 3`, `"3"` or `W/"3"` → 3; 428 without it. */
function ifMatch(headers: { 'if-match'?: string | undefined }): number {
  const raw = headers['if-match'];
  if (raw === undefined) {
    throw new RequestError(
      428,
      'CASE.PRECONDITION_REQUIRED',
      'Send If-Match with the version you last read.',
    );
  }
  const m = /^(?:W\/)?"?(\d{1,9})"?$/.exec(raw.trim());
  if (!m) throw new RequestError(400, 'REQUEST.INVALID', 'If-Match must be a case version such as "3".');
  return Number(m[1]);
}

const withEtag = (status: number, body: { version?: number; case?: { version: number } }) => {
  const version = body.case?.version ?? body.version;
  return json(status, body, version === undefined ? {} : { etag: `"${version}"` });
};

const who = (req: RouteRequest<unknown>): Principal => req.principal as Principal;
const OPERATOR_OFFICER = ['operator', 'officer'] as const;
const READERS = ['operator', 'officer', 'psea', 'admin'] as const;
const WRITERS = ['officer', 'psea'] as const;

const createCase = httpRoute(
  {
    auth: OPERATOR_OFFICER,
    accepts: ['json'],
    schema: z.object({
      headers: z
        .object({
          'idempotency-key': z
            .string({ error: 'Send an Idempotency-Key header (one per case being logged).' })
            .regex(/^[\x21-\x7e]{8,128}$/, 'must be 8 to 128 visible ASCII characters'),
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
      }),
    }),
  },
  async (req) => {
    const result = await (await cases()).create(
      who(req),
      req.input.body,
      req.input.headers['idempotency-key'],
    );
    return json(result.created ? 201 : 200, result.body, {
      location: `/api/cases/${result.body.caseId}`,
      etag: `"${result.body.version}"`,
    });
  },
);

const listCases = httpRoute(
  {
    auth: READERS,
    schema: z.object({
      // The store's filter, as a query string spells it.
      query: z.strictObject({
        ...CaseListFilterSchema.shape,
        overdue: z.enum(['true', 'false']).optional(),
        limit: z.coerce.number().int().min(1).max(100).optional(),
      }),
    }),
  },
  async (req) => {
    const { overdue, ...rest } = req.input.query;
    const page = await (await cases()).list(who(req), {
      ...rest,
      overdue: overdue === 'true' ? true : undefined,
    });
    return json(200, page);
  },
);

const lookup = httpRoute(
  {
    auth: ['operator', 'officer', 'psea'],
    accepts: ['json'],
    schema: z.object({
      body: z.union([
        z.strictObject({ phone: z.string().min(4).max(32) }),
        z.strictObject({ reference: z.string().min(4).max(20) }),
      ]),
    }),
  },
  async (req) => json(200, await (await cases()).lookup(who(req), req.input.body)),
);

const getCase = httpRoute({ auth: READERS, schema: z.object({ path: CaseId }) }, async (req) =>
  withEtag(200, await (await cases()).detail(who(req), req.input.path.id)),
);

const patchCase = httpRoute(
  {
    auth: WRITERS,
    accepts: ['json'],
    schema: z.object({
      path: CaseId,
      headers: Headers,
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
  },
  async (req) =>
    withEtag(
      200,
      await (await cases()).patch(who(req), req.input.path.id, ifMatch(req.input.headers), req.input.body),
    ),
);

const addNote = httpRoute(
  {
    auth: ['operator', 'officer', 'psea'],
    accepts: ['json'],
    schema: z.object({ path: CaseId, body: z.strictObject({ text: z.string().trim().min(1).max(2000) }) }),
  },
  async (req) => json(201, await (await cases()).note(who(req), req.input.path.id, req.input.body.text)),
);

const transition = httpRoute(
  {
    auth: WRITERS,
    accepts: ['json'],
    schema: z.object({
      path: CaseId,
      headers: Headers,
      body: z.strictObject({
        action: z.enum(TRANSITION_ACTIONS),
        reason: z.string().max(2000).optional(),
        outcome: z.enum(OUTCOMES).optional(),
        message: z.string().trim().min(1).max(320).optional(),
        loopClosedBy: z.literal('call').optional(),
        callComplainant: z.boolean().optional(),
      }),
    }),
  },
  async (req) =>
    withEtag(
      200,
      await (await cases()).transition(
        who(req),
        req.input.path.id,
        ifMatch(req.input.headers),
        req.input.body,
      ),
    ),
);

const referral = httpRoute(
  {
    auth: WRITERS,
    accepts: ['json'],
    schema: z.object({
      path: CaseId,
      headers: Headers,
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
  },
  async (req) =>
    withEtag(
      200,
      await (await cases()).referral(who(req), req.input.path.id, ifMatch(req.input.headers), req.input.body),
    ),
);

const breakGlass = httpRoute(
  {
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
  },
  async (req) =>
    json(200, await (await cases()).breakGlass(who(req), req.input.path.id, req.input.body.reason)),
);

export const handler = routeGroup({
  'POST /api/cases': createCase,
  'GET /api/cases': listCases,
  'POST /api/cases/lookup': lookup,
  'GET /api/cases/{id}': getCase,
  'PATCH /api/cases/{id}': patchCase,
  'POST /api/cases/{id}/notes': addNote,
  'POST /api/cases/{id}/transitions': transition,
  'POST /api/cases/{id}/referral': referral,
  'POST /api/cases/{id}/break-glass': breakGlass,
});
