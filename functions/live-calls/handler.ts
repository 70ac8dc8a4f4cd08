/** Live hotline calls for the operators who took them (see service.ts). */
import { httpRoute, routeGroup } from '#functions/lib/http-route.ts';
import { getPlatform, type Platform } from '#functions/lib/platform.ts';
import { json } from '#functions/lib/responses.ts';
import type { Principal } from '#shared/auth/principal.ts';
import { RequestError } from '#shared/errors/domain-error.ts';
import { LIVE_CALL_ROUTES as R } from './schemas.ts';
import { type LiveCallService, makeLiveCallService } from './service.ts';

let cached: { platform: Platform; service: LiveCallService } | undefined;
const service = async (): Promise<LiveCallService> => {
  const platform = await getPlatform();
  if (cached?.platform !== platform) cached = { platform, service: makeLiveCallService(platform) };
  return cached.service;
};

/** `If-Match: 3`, `"3"` or `W/"3"` → 3; 428 without it. */
function ifMatch(raw: string | undefined): number {
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

const mine = httpRoute(R['GET /api/live-calls'], async (req) =>
  json(200, await (await service()).mine(req.principal as Principal)),
);

const complete = httpRoute(R['POST /api/live-calls/{id}/complete'], async (req) => {
  const { path, headers, body } = req.input;
  const done = await (await service()).complete(
    req.principal as Principal,
    path.id,
    ifMatch(headers['if-match']),
    body,
  );
  return json(200, done, { etag: `"${done.version}"` });
});

export const handler = routeGroup({
  'GET /api/live-calls': mine,
  'POST /api/live-calls/{id}/complete': complete,
});
