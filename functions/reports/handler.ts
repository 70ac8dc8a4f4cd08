/**
 * Report routes: the time-to-close report (from the aggregates), the paged CSV export of a period's cases and the
 * current spike alerts.
 */
import { httpRoute, routeGroup } from '#functions/lib/http-route.ts';
import { getPlatform, type Platform } from '#functions/lib/platform.ts';
import { json, text } from '#functions/lib/responses.ts';
import type { Principal } from '#shared/auth/principal.ts';
import { makeReportService, type ReportService } from './report-service.ts';
import { REPORT_ROUTES as R } from './schemas.ts';

let cached: { platform: Platform; service: ReportService } | undefined;
const reports = async (): Promise<ReportService> => {
  const platform = await getPlatform();
  if (cached?.platform !== platform) cached = { platform, service: makeReportService(platform) };
  return cached.service;
};

const timeToClose = httpRoute(R['GET /api/reports/time-to-close'], async (req) =>
  json(200, await (await reports()).timeToClose(req.principal as Principal, req.input.query)),
);

const casesCsv = httpRoute(R['GET /api/reports/cases.csv'], async (req) => {
  const page = await (await reports()).casesCsv(req.principal as Principal, req.input.query);
  const headers: Record<string, string> = {
    'content-disposition': 'attachment; filename="cases.csv"',
    'x-row-count': String(page.rows),
  };
  if (page.cursor) {
    const next = new URLSearchParams({
      ...(req.input.query.from ? { from: req.input.query.from } : {}),
      ...(req.input.query.to ? { to: req.input.query.to } : {}),
      cursor: page.cursor,
    });
    headers['x-next-cursor'] = page.cursor;
    headers.link = `</api/reports/cases.csv?${next.toString()}>; rel="next"`;
  }
  return text(200, page.text, 'text/csv; charset=utf-8', headers);
});

const spikes = httpRoute(R['GET /api/reports/spikes'], async () =>
  json(200, await (await reports()).spikes()),
);

export const handler = routeGroup({
  'GET /api/reports/spikes': spikes,
  'GET /api/reports/time-to-close': timeToClose,
  'GET /api/reports/cases.csv': casesCsv,
});
