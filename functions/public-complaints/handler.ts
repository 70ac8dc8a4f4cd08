// PLACEHOLDER until this route group is built: every route answers 404 ROUTE.NOT_FOUND.
import { routeGroup } from '#functions/lib/http-route.ts';

export const handler = routeGroup({});
