/**
 * Staff case routes (see functions/routes.ts): each parses one schema and calls one use-case of case-service.ts.
 * Write routes that change a case take `If-Match: <version>` (428 without it, 409 CASE.VERSION_CONFLICT when
 * stale) and answer with the new version as the ETag.
 */
import { httpRoute, type RouteRequest, routeGroup } from '#functions/lib/http-route.ts';
import { getPlatform, type Platform } from '#functions/lib/platform.ts';
import { json } from '#functions/lib/responses.ts';
import type { Principal } from '#shared/auth/principal.ts';
import { RequestError } from '#shared/errors/domain-error.ts';
import { type CaseService, makeCaseService } from './case-service.ts';
import { type ClusterService, makeClusterService } from './cluster-service.ts';
import { CASE_ROUTES as R } from './schemas.ts';

let cached: { platform: Platform; service: CaseService; clusters: ClusterService } | undefined;
const services = async () => {
  const platform = await getPlatform();
  if (cached?.platform !== platform) {
    const service = makeCaseService(platform);
    cached = { platform, service, clusters: makeClusterService(platform, service) };
  }
  return cached;
};
/** The use-cases over this process's platform (rebuilt if a test installs another one). */
const cases = async (): Promise<CaseService> => (await services()).service;
const clusters = async (): Promise<ClusterService> => (await services()).clusters;

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

const createCase = httpRoute(R['POST /api/cases'], async (req) => {
  const result = await (await cases()).create(who(req), req.input.body, req.input.headers['idempotency-key']);
  return json(result.created ? 201 : 200, result.body, {
    location: `/api/cases/${result.body.caseId}`,
    etag: `"${result.body.version}"`,
  });
});

const listCases = httpRoute(R['GET /api/cases'], async (req) => {
  const { overdue, ...rest } = req.input.query;
  const page = await (await cases()).list(who(req), {
    ...rest,
    overdue: overdue === 'true' ? true : undefined,
  });
  return json(200, page);
});

const lookup = httpRoute(R['POST /api/cases/lookup'], async (req) =>
  json(200, await (await cases()).lookup(who(req), req.input.body)),
);

const getCase = httpRoute(R['GET /api/cases/{id}'], async (req) =>
  withEtag(200, await (await clusters()).caseDetail(who(req), req.input.path.id)),
);

const patchCase = httpRoute(R['PATCH /api/cases/{id}'], async (req) =>
  withEtag(
    200,
    await (await cases()).patch(who(req), req.input.path.id, ifMatch(req.input.headers), req.input.body),
  ),
);

const addNote = httpRoute(R['POST /api/cases/{id}/notes'], async (req) =>
  json(201, await (await cases()).note(who(req), req.input.path.id, req.input.body.text)),
);

const transition = httpRoute(R['POST /api/cases/{id}/transitions'], async (req) =>
  withEtag(
    200,
    await (await cases()).transition(who(req), req.input.path.id, ifMatch(req.input.headers), req.input.body),
  ),
);

const referral = httpRoute(R['POST /api/cases/{id}/referral'], async (req) =>
  withEtag(
    200,
    await (await cases()).referral(who(req), req.input.path.id, ifMatch(req.input.headers), req.input.body),
  ),
);

const transfer = httpRoute(R['POST /api/cases/{id}/transfer'], async (req) =>
  withEtag(
    200,
    await (await cases()).transfer(who(req), req.input.path.id, ifMatch(req.input.headers), req.input.body),
  ),
);

const breakGlass = httpRoute(R['POST /api/cases/{id}/break-glass'], async (req) =>
  json(200, await (await cases()).breakGlass(who(req), req.input.path.id, req.input.body.reason)),
);

const listClusters = httpRoute(R['GET /api/clusters'], async (req) =>
  json(200, await (await clusters()).list(who(req), req.input.query)),
);

const getCluster = httpRoute(R['GET /api/clusters/{clusterId}'], async (req) =>
  json(200, await (await clusters()).get(who(req), req.input.path.clusterId)),
);

const resolveCluster = httpRoute(R['POST /api/clusters/{clusterId}/resolve'], async (req) =>
  json(200, await (await clusters()).resolve(who(req), req.input.path.clusterId, req.input.body)),
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
  'POST /api/cases/{id}/transfer': transfer,
  'POST /api/cases/{id}/break-glass': breakGlass,
  'GET /api/clusters': listClusters,
  'GET /api/clusters/{clusterId}': getCluster,
  'POST /api/clusters/{clusterId}/resolve': resolveCluster,
});
