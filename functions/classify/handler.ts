import * as z from 'zod';
import { classify } from '#shared/classification/classify.ts';
import { httpRoute, routeGroup } from '../lib/http-route.ts';
import { json } from '../lib/responses.ts';
import { ClassifyRequestSchema, type ClassifyResponse } from './schema.ts';

const STAFF = ['operator', 'officer', 'psea', 'manager', 'admin'] as const;

/** `POST /api/classify` (any staff role): language, type, category, sector, sensitivity, priority, evidence. */
const classifyText = httpRoute(
  { auth: STAFF, schema: z.object({ body: ClassifyRequestSchema }), accepts: ['json'] },
  async ({ input }) => {
    const { urgency, ...rest } = classify(input.body.text);
    const answer: ClassifyResponse = { ...rest, priority: urgency };
    return json(200, answer);
  },
);

export const handler = routeGroup({ 'POST /api/classify': classifyText });
