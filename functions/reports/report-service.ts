/**
 * Report use-cases: the time-to-close report from the aggregates, and the paged CSV export of a period's cases
 * through the byMonth index. Restricted cases are counted in every report's total, and broken down into its
 * groups only for roles with the right; the export leaves them out for roles without it (their index partitions
 * are not read). Personal data columns only for roles allowed it.
 */

import { loadClockConfig, regionFor } from '#functions/cases/lifecycle.ts';
import type { Platform } from '#functions/lib/platform.ts';
import { agencyPartitions } from '#shared/agencies/agency-partitions.ts';
import { makeAuditTrail } from '#shared/audit/audit-trail.ts';
import type { Principal } from '#shared/auth/principal.ts';
import {
  canExportCase,
  canSeePersonalData,
  listScope,
  reportsIncludeRestricted,
} from '#shared/cases/access.ts';
import { makeCaseQuery } from '#shared/cases/case-query.ts';
import { isRestricted } from '#shared/cases/case-schema.ts';
import { makeConfigStore } from '#shared/config/config-store.ts';
import { ForbiddenError, RequestError } from '#shared/errors/domain-error.ts';
import { makeAggregateStore } from '#shared/reports/aggregate-store.ts';
import { monthIndex, monthOfIndex } from '#shared/reports/aggregates.ts';
import { caseCsvLine, csvColumns, csvLine } from '#shared/reports/case-csv.ts';
import { makeSpikeStore } from '#shared/reports/spike-store.ts';
import { addDays, iraqDay, SPIKE_RULE, spikeKeys } from '#shared/reports/spikes.ts';
import { buildReport, dimensionFor, type GroupBy } from '#shared/reports/time-to-close.ts';

export const MAX_REPORT_MONTHS = 36;
export const CSV_PAGE_ROWS = 500;

export function makeReportService(platform: Platform) {
  const aggregates = makeAggregateStore({ db: platform.db, tableName: platform.tableName });
  const config = makeConfigStore({ db: platform.db, tableName: platform.tableName, now: platform.now });
  const spikeStore = makeSpikeStore({ db: platform.db, tableName: platform.tableName });
  const audit = makeAuditTrail({ db: platform.db, tableName: platform.tableName, now: platform.now });
  const query = makeCaseQuery({
    db: platform.db,
    tableName: platform.tableName,
    getMany: (ids) => platform.cases.getMany(ids),
    now: platform.now,
  });

  return {
    async timeToClose(
      p: Principal,
      q: { groupBy: GroupBy; from?: string | undefined; to?: string | undefined },
    ) {
      const now = platform.now();
      const to = q.to ?? now.toISOString().slice(0, 7);
      const from = q.from ?? monthOfIndex(monthIndex(to) - 11);
      if (from > to) throw new RequestError(400, 'REPORT.INVALID_PERIOD', 'from must not be after to.');
      if (monthIndex(to) - monthIndex(from) >= MAX_REPORT_MONTHS) {
        throw new RequestError(
          400,
          'REPORT.PERIOD_TOO_LONG',
          `A report covers at most ${MAX_REPORT_MONTHS} months.`,
        );
      }
      const includeRestricted = reportsIncludeRestricted(p);
      const dimension = dimensionFor(q.groupBy);
      // Grouping by month needs the monthly rows; any other grouping reads whole quarters from their roll-ups.
      // Both scopes always: restricted cases count in every total, whoever reads it.
      const read = q.groupBy === 'month' ? aggregates.read : aggregates.readPeriod;
      // A case sits in exactly one group of every dimension but the focal point (it may have several), so only
      // there does the total need the `all` rows.
      const ownTotal = dimension !== 'focalPoint';
      // One agency's counts, or every agency's for a deployment-wide manager or admin.
      const agencies = p.allAgencies ? await agencyPartitions(config) : [p.agency];
      const [rows, values, totalRows, totalValues] = await Promise.all([
        read(dimension, from, to, true, agencies),
        aggregates.readValues(dimension, from, to, true, agencies),
        ownTotal ? undefined : aggregates.readPeriod('all', from, to, true, agencies),
        ownTotal ? undefined : aggregates.readValues('all', from, to, true, agencies),
      ]);
      return {
        from,
        to,
        agencies,
        ...buildReport(
          q.groupBy,
          { rows, values, totalRows: totalRows ?? rows, totalValues: totalValues ?? values },
          { includeRestricted },
          now,
        ),
      };
    },

    /**
     * The spike alerts of today and yesterday (Iraqi days), each with its count when raised and its count now (the
     * counter item, read in one BatchGet). Restricted cases count in none of them, so every reader may see them all.
     */
    async spikes() {
      const today = iraqDay(platform.now());
      const days = [today, addDays(today, -1)];
      const alerts = (await Promise.all(days.map((d) => spikeStore.ofDay(d)))).flat();
      const keys = alerts.map((a) => spikeKeys.counter(a.category, a.place, a.day));
      // BatchGetItem takes at most 100 keys a call.
      const chunks: (typeof keys)[] = [];
      for (let i = 0; i < keys.length; i += 100) chunks.push(keys.slice(i, i + 100));
      const counters = (
        await Promise.all(chunks.map((chunk) => platform.db.batchGet(platform.tableName, chunk)))
      ).flat();
      const now = new Map(counters.map((it) => [`${it.pk}|${it.sk}`, it.n]));
      return {
        rule: SPIKE_RULE,
        days,
        spikes: alerts.map((a) => {
          const k = spikeKeys.counter(a.category, a.place, a.day);
          const current = now.get(`${k.pk}|${k.sk}`);
          return {
            day: a.day,
            category: a.category,
            place: a.place,
            level: a.level,
            governorate: a.governorate,
            countWhenRaised: a.count,
            count: typeof current === 'number' ? current : a.count,
            baseline: a.baseline,
            threshold: a.threshold,
            example: a.example,
            raisedAt: a.raisedAt,
          };
        }),
      };
    },

    /** One page of the export: up to {@link CSV_PAGE_ROWS} rows, the header on the first page only. */
    async casesCsv(
      p: Principal,
      q: {
        from?: string | undefined;
        to?: string | undefined;
        cursor?: string | undefined;
        agency?: string | undefined;
      },
    ) {
      if (q.agency !== undefined && q.agency !== p.agency && !p.allAgencies) {
        throw new ForbiddenError('You may export only your own agency’s cases.');
      }
      // A deployment-wide reader exports one agency at a time, as its own staff would.
      const reader: Principal = { ...p, agency: q.agency ?? p.agency };
      const now = platform.now();
      const from = q.from ?? now.toISOString().slice(0, 7);
      const to = q.to ?? from;
      if (from.slice(0, 7) > to.slice(0, 7))
        throw new RequestError(400, 'REPORT.INVALID_PERIOD', 'from must not be after to.');
      const personal = canSeePersonalData(reader);
      const { calendar } = await loadClockConfig(config);
      const scope = listScope(reader);
      let text = q.cursor ? '' : csvLine(csvColumns(personal));
      let cursor = q.cursor;
      let rows = 0;
      const restrictedIds: string[] = [];
      do {
        const page = await query.list({ from, to, limit: 100, ...(cursor ? { cursor } : {}) }, scope, (c) =>
          canExportCase(reader, c),
        );
        for (const c of page.items) {
          text += caseCsvLine(c, {
            personal,
            protector: platform.protector,
            calendar,
            region: regionFor(c, calendar),
          });
          if (isRestricted(c.sensitivity)) restrictedIds.push(c.caseId);
          rows++;
        }
        cursor = page.cursor;
      } while (cursor && rows < CSV_PAGE_ROWS);
      if (restrictedIds.length) {
        await audit.record({
          who: { userId: p.userId, roles: p.roles },
          action: 'case.export',
          caseIds: restrictedIds,
          why: 'routine',
          via: 'GET /api/reports/cases.csv',
        });
      }
      return { text, rows, cursor };
    },
  };
}

export type ReportService = ReturnType<typeof makeReportService>;
