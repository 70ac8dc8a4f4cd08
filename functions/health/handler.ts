import * as z from 'zod';
import { httpRoute, routeGroup } from '#functions/lib/http-route.ts';
import { json } from '#functions/lib/responses.ts';

/** Liveness: answers without touching the table, so a slow dependency never makes the platform look dead. */
export const handler = routeGroup({
  'GET /health': httpRoute({ auth: 'public', schema: z.object({}).passthrough() }, async () =>
    json(200, { status: 'ok', service: 'cfm', time: new Date().toISOString() }),
  ),
});
