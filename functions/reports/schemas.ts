/**
 * The report routes' contracts (who, what they parse, what they answer), shared by the handlers and the OpenAPI
 * document. Side-effect free.
 */
import * as z from 'zod';
import { AgencyId } from '#shared/agencies/agency-id.ts';
import { PeriodBound } from '#shared/cases/case-query.ts';
import { ReportQuerySchema } from '#shared/reports/time-to-close.ts';
import { contract } from '../cases/schemas.ts';

const READERS = ['officer', 'psea', 'manager', 'admin'] as const;

export const REPORT_ROUTES = {
  'GET /api/reports/time-to-close': contract({
    summary:
      'Cases received, closed and in SLA, with median and p90 time to close (restricted counted, not detailed)',
    auth: READERS,
    schema: z.object({ query: ReportQuerySchema.strict() }),
    ok: { 200: 'The report' },
    errors: [400],
  }),
  'GET /api/reports/cases.csv': contract({
    summary: 'A period’s cases as CSV without personal data, paged by the Link header',
    auth: READERS,
    schema: z.object({
      query: z.strictObject({
        from: PeriodBound.optional(),
        to: PeriodBound.optional(),
        cursor: z.string().max(8000).optional(),
        /** Which agency's cases: the caller's own; any agency for a deployment-wide manager or admin. */
        agency: AgencyId.optional(),
      }),
    }),
    ok: { 200: 'One page of CSV (text/csv); X-Next-Cursor and Link name the next' },
    errors: [400, 403],
  }),
  'GET /api/reports/spikes': contract({
    summary:
      'Spike alerts of today and yesterday (Iraqi days): category × place, count now and when raised, baseline and threshold',
    auth: READERS,
    schema: z.object({ query: z.strictObject({}) }),
    ok: { 200: 'The alerts, newest day first' },
    errors: [400],
  }),
} as const;
