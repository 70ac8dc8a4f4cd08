/**
 * The live-call routes' contracts (who, what they parse, what they answer), shared by the handler and the OpenAPI
 * document. Side-effect free.
 */
import * as z from 'zod';
import {
  Category,
  DistrictPcode,
  FeedbackType,
  GovernoratePcode,
  Reference,
} from '#shared/cases/case-schema.ts';
import { contract } from '../cases/schemas.ts';

/** The hotline's staff: the operators who take calls, and the officers and PSEA focal points who may too. */
const TAKERS = ['operator', 'officer', 'psea'] as const;

export const LIVE_CALL_ROUTES = {
  'GET /api/live-calls': contract({
    summary: 'The hotline calls put through to you that wait to be completed (oldest first)',
    auth: TAKERS,
    schema: z.object({ query: z.strictObject({}) }),
    ok: { 200: 'The waiting calls' },
    errors: [400],
  }),
  'POST /api/live-calls/{id}/complete': contract({
    summary:
      'Complete a live call: your summary, the category and place; acknowledges the case (If-Match). 403 LIVE_CALL.NOT_YOURS, 409 LIVE_CALL.ALREADY_COMPLETED or CASE.VERSION_CONFLICT',
    auth: TAKERS,
    accepts: ['json'],
    schema: z.object({
      path: z.object({ id: Reference }),
      headers: z
        .object({
          'if-match': z
            .string()
            .max(40)
            .optional()
            .describe('The case version last read ("3"); 428 without it.'),
        })
        .loose(),
      body: z.strictObject({
        summary: z.string().trim().min(3, 'must say what the call was about').max(2000),
        type: FeedbackType.optional(),
        category: Category.optional(),
        location: z
          .strictObject({ governorate: GovernoratePcode.optional(), district: DistrictPcode.optional() })
          .optional(),
      }),
    }),
    ok: { 200: 'The case as completed' },
    errors: [400, 403, 404, 409, 413, 415, 428],
  }),
};
