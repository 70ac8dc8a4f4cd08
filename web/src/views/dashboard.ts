import { useState } from 'preact/hooks';
import {
  type CaseRecord,
  exportCsv,
  listCases,
  type ReportGroup,
  type TimeToCloseReport,
  timeToClose,
} from '../api.ts';
import type { Session } from '../auth.ts';
import { BarChart, PALETTE, ShareGauge, StackedBarChart } from '../charts.ts';
import { CATEGORIES, CHANNELS } from '../codes.ts';
import { html } from '../html.ts';
import { formatNumber, label, t } from '../i18n.ts';
import { ErrorBox, Loading, useAsync } from '../ui.ts';
import { Reclassifications } from './downgrades.ts';

const DAY = 86_400_000;
const CASE_READERS = ['operator', 'officer', 'psea'];

/** Monday-less weeks: the platform's weeks start on Sunday, as Iraq's working week does. */
export function weekStart(iso: string): string {
  const d = new Date(Date.parse(iso) + 3 * 3_600_000); // Baghdad local date
  const day = d.getUTCDay();
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day))
    .toISOString()
    .slice(0, 10);
}

/** Figures for the charts, from the cases the person may see in the period. */
export function dashboardFigures(cases: CaseRecord[], now: Date, by: 'category' | 'channel') {
  const keys: readonly string[] = by === 'category' ? [...CATEGORIES, ''] : CHANNELS;
  const weeks = [...new Set(cases.map((c) => weekStart(c.receivedAt)))].sort();
  const perWeek = weeks.map((w) =>
    keys.map(
      (k) =>
        cases.filter(
          (c) => weekStart(c.receivedAt) === w && (by === 'category' ? (c.category ?? '') : c.channel) === k,
        ).length,
    ),
  );
  const closed = cases.filter((c) => c.closedAt);
  const closeBins = [
    { label: '≤1', max: 1 },
    { label: '1–3', max: 3 },
    { label: '3–7', max: 7 },
    { label: '7–14', max: 14 },
    { label: '14–30', max: 30 },
    { label: '>30', max: Number.POSITIVE_INFINITY },
  ];
  const closeDays = closed.map((c) => (Date.parse(c.closedAt ?? '') - Date.parse(c.receivedAt)) / DAY);
  const ttc = closeBins.map((b, i) => ({
    label: b.label,
    value: closeDays.filter((d) => d <= b.max && (i === 0 || d > (closeBins[i - 1]?.max ?? 0))).length,
  }));
  const done = cases.filter((c) => c.sla && (c.resolvedAt || c.closedAt));
  const withinSla = done.length
    ? done.filter((c) => Date.parse(c.resolvedAt ?? c.closedAt ?? '') <= Date.parse(c.sla?.resolveBy ?? ''))
        .length / done.length
    : undefined;
  const open = cases.filter((c) => !['resolved', 'closed'].includes(c.status));
  const ageBins = [
    { label: '0–2', min: 0, max: 2 },
    { label: '3–7', min: 3, max: 7 },
    { label: '8–14', min: 8, max: 14 },
    { label: '15–30', min: 15, max: 30 },
    { label: '>30', min: 31, max: Number.POSITIVE_INFINITY },
  ];
  // Age in whole days since receipt.
  const ages = open.map((c) => Math.floor((now.getTime() - Date.parse(c.receivedAt)) / DAY));
  const backlog = ageBins.map((b) => ({
    label: b.label,
    value: ages.filter((a) => a >= b.min && a <= b.max).length,
  }));
  const loop = closed.length
    ? closed.filter((c) => c.loopClosedBy || c.satisfaction).length / closed.length
    : undefined;
  return { keys, weeks, perWeek, ttc, withinSla, backlog, loop, total: cases.length };
}

async function loadCases(from: string, to: string): Promise<CaseRecord[]> {
  const out: CaseRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await listCases({ from, to, limit: 100, cursor });
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && out.length < 2000);
  return out;
}

const hoursText = (ms: number | undefined) => (ms === undefined ? '–' : formatNumber(ms / 3_600_000, 1));

function ReportTable(props: { group: string; rows: ReportGroup[]; labelOf: (key: string) => string }) {
  if (!props.rows.length) return null;
  return html`<div class="table-wrap"><table data-report=${props.group}>
    <caption>${t('reportTable', { group: props.group })}</caption>
    <thead><tr><th scope="col"></th><th scope="col">${t('count')}</th><th scope="col">${t('median')}</th>
      <th scope="col">${t('p90')}</th><th scope="col">${t('withinSla')}</th><th scope="col">${t('loopClosure')}</th></tr></thead>
    <tbody>${props.rows.map(
      (r) => html`<tr><th scope="row">${props.labelOf(r.group)}</th><td>${r.received}</td>
        <td>${hoursText(r.timeToClose.calendar.medianMs)}</td>
        <td>${hoursText(r.timeToClose.calendar.p90Ms)}</td>
        <td>${r.withinSla.share === null ? '–' : `${formatNumber(r.withinSla.share * 100)}%`}</td>
        <td>${r.loopClosed.share === null ? '–' : `${formatNumber(r.loopClosed.share * 100)}%`}</td></tr>`,
    )}</tbody>
  </table></div>`;
}

const month = (d: Date) => d.toISOString().slice(0, 7);

/**
 * The dashboard. Shares within SLA, loop closure and the backlog by age come from the time-to-close report
 * (aggregates the projector keeps, so managers see them without reading cases); weekly volumes and the
 * distribution of closing times are drawn from the cases the person may list.
 */
export function DashboardView(props: { session: Session }) {
  const today = new Date();
  const [from, setFrom] = useState(month(new Date(today.getTime() - 92 * DAY)));
  const [to, setTo] = useState(month(today));
  const [by, setBy] = useState<'category' | 'channel'>('category');
  const [csvError, setCsvError] = useState<unknown>();
  const canList = props.session.roles.some((r) => CASE_READERS.includes(r));
  const cases = useAsync(
    () => (canList ? loadCases(from, to) : Promise.resolve(undefined)),
    [from, to, canList],
  );
  const report = useAsync(
    () =>
      Promise.all(
        (['category', 'channel', 'month'] as const).map((g) =>
          timeToClose(g, { from, to }).catch(() => undefined as TimeToCloseReport | undefined),
        ),
      ),
    [from, to],
  );
  const download = async () => {
    setCsvError(undefined);
    try {
      const blob = await exportCsv({ from, to });
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `cases-${from}-${to}.csv`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 5000);
    } catch (err) {
      setCsvError(err);
    }
  };
  const f = cases.data ? dashboardFigures(cases.data, today, by) : undefined;
  const [byCategory, byChannel, byMonth] = report.data ?? [];
  const total = byCategory?.total;
  // Only the series that have cases in the period, each keeping its colour whatever the period.
  const shown = f
    ? f.keys.map((k, i) => ({ k, i })).filter(({ i }) => f.perWeek.some((w) => (w[i] ?? 0) > 0))
    : [];
  const series = shown.map(({ k, i }) => ({
    name: by === 'category' ? (k ? label('category', k) : t('none')) : label('channel', k),
    color: PALETTE[i % PALETTE.length] ?? '#555',
  }));
  const seriesValues = f ? f.perWeek.map((w) => shown.map(({ i }) => w[i] ?? 0)) : [];
  const backlog = total
    ? Object.entries(total.backlog.byAge).map(([band, n]) => ({ label: band.replace('d', ''), value: n }))
    : f?.backlog;
  const withinSla = total ? (total.withinSla.share ?? undefined) : f?.withinSla;
  const loop = total ? (total.loopClosed.share ?? undefined) : f?.loop;
  return html`<section>
    <h1>${t('dashTitle')}</h1>
    <form class="inline" onSubmit=${(e: Event) => e.preventDefault()}>
      <label for="d-from">${t('filterFrom')}</label>
      <input id="d-from" type="month" value=${from} onChange=${(e: Event) => setFrom((e.target as HTMLInputElement).value)} />
      <label for="d-to">${t('filterTo')}</label>
      <input id="d-to" type="month" value=${to} onChange=${(e: Event) => setTo((e.target as HTMLInputElement).value)} />
      <button type="button" id="export-csv" onClick=${download}>${t('exportCsv')}</button>
    </form>
    <${ErrorBox} error=${csvError} />
    ${cases.loading || report.loading ? html`<${Loading} />` : null}
    <${ErrorBox} error=${cases.error} />
    ${f ? html`<p class="muted">${t('dashFromList', { n: f.total })}</p>` : null}
    <div class="charts">
      ${
        f
          ? html`<div class="chart-card wide">
              <h2>${t('casesOverTime')}</h2>
              <div class="buttons" role="group">
                <button type="button" aria-pressed=${by === 'category'} onClick=${() => setBy('category')}>${t('byCategory')}</button>
                <button type="button" aria-pressed=${by === 'channel'} onClick=${() => setBy('channel')}>${t('byChannel')}</button>
              </div>
              <${StackedBarChart} id="over-time" title=${`${t('casesOverTime')} · ${by === 'category' ? t('byCategory') : t('byChannel')}`}
                columns=${f.weeks} series=${series} values=${seriesValues} />
            </div>
            <div class="chart-card"><h2>${t('timeToClose')}</h2>
              <${BarChart} id="time-to-close" title=${t('timeToCloseHint')} bars=${f.ttc} unit=${` ${t('days')}`} /></div>`
          : byMonth?.groups.length
            ? html`<div class="chart-card wide"><h2>${t('casesPerMonth')}</h2>
                <${BarChart} id="over-time" wide=${true} title=${t('casesPerMonth')} bars=${byMonth.groups.map((g) => ({ label: g.group, value: g.received }))} /></div>`
            : null
      }
      ${
        backlog
          ? html`<div class="chart-card"><h2>${t('backlogByAge')}</h2>
              <${BarChart} id="backlog" title=${`${t('backlogByAge')} (${t('days')})`} bars=${backlog} /></div>`
          : null
      }
      <div class="chart-card"><h2>${t('withinSla')}</h2>
        <${ShareGauge} id="within-sla" title=${t('withinSla')} share=${withinSla} /></div>
      <div class="chart-card"><h2>${t('loopClosure')}</h2>
        <${ShareGauge} id="loop-closure" title=${t('loopClosure')} share=${loop} hint=${t('loopClosureHint')} /></div>
    </div>
    ${total ? html`<${Reclassifications} total=${total} />` : null}
    ${byCategory ? html`<${ReportTable} group=${t('byCategory')} rows=${byCategory.groups} labelOf=${(k: string) => label('category', k === 'none' ? '' : k)} />` : null}
    ${byChannel ? html`<${ReportTable} group=${t('byChannel')} rows=${byChannel.groups} labelOf=${(k: string) => label('channel', k)} />` : null}
  </section>`;
}
