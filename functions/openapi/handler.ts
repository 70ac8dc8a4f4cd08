import * as z from 'zod';
import { httpRoute, routeGroup } from '../lib/http-route.ts';
import { json } from '../lib/responses.ts';
import { openApiDocument } from './document.ts';

let document: Record<string, unknown> | undefined;

/**
 * `GET /api/openapi.json` (public): the generated OpenAPI 3.1 document, built once per cold start. It needs no
 * platform (no secret, no table); the server URL is the API's public URL when the environment names one.
 */
const getDocument = httpRoute({ auth: 'public', schema: z.unknown() }, async () => {
  document ??= openApiDocument({ serverUrl: process.env.PUBLIC_BASE_URL });
  return json(200, document, { 'cache-control': 'public, max-age=300' });
});

export const handler = routeGroup({ 'GET /api/openapi.json': getDocument });
