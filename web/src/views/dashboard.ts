import { useState } from 'preact/hooks';
import {
  type CaseRecord,
  devClock,
  exportCsv,
  listCases,
  listClusters,
  spikes as loadSpikes,
  type ReportGroup,
  type SpikeRecord,
  type TimeToCloseReport,
  timeToClose,
} from '../api.ts';
import type { Session } from '../auth.ts';
import { BarChart, PALETTE, RowBarChart, ShareGauge, StackedBarChart } from '../charts.ts';
import { CATEGORIES, CHANNELS } from '../codes.ts';
import { html } from '../html.ts';
import {
  formatDateTime,
  formatDay,
  formatMonth,
  formatNumber,
  formatPercent,
  getLang,
  label,
  localDigits,
  t,
} from '../i18n.ts';
import { placeName } from '../places.ts';
import { ErrorBox, Loading, useAsync } from '../ui.ts';
import { ClusterTable } from './clusters.ts';
import { Reclassifications } from './downgrades.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
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

/** A duration for people: days and hours past a day, hours and minutes below it. */
function durationText(ms: number | undefined): string {
  if (ms === undefined) return t('dashNotYet');
  const minutes = Math.round(ms / 60_000);
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  if (d > 0) return t('durationDays', { d: formatNumber(d), h: formatNumber(h) });
  if (h > 0) return t('durationHours', { h: formatNumber(h), m: formatNumber(m) });
  return t('durationMinutes', { m: formatNumber(m) });
}

const hoursText = (ms: number | undefined) => (ms === undefined ? '–' : formatNumber(ms / HOUR, 1));

/** A share with what it is a share of: `85 % (17 of 20)`; a dash with its zero when there is nothing to share. */
function shareText(part: number, whole: number): string {
  const of = t('dashShareOf', { part: formatNumber(part), whole: formatNumber(whole) });
  return whole > 0 ? `${formatPercent(part / whole)} (${of})` : `– (${of})`;
}

/** The n of a time-to-close figure, saying so when it covers fewer than all the closed cases. */
function nText(count: number, closed: number): string {
  return count === closed
    ? t('dashN', { n: formatNumber(count) })
    : t('dashNOf', { n: formatNumber(count), m: formatNumber(closed) });
}

function Figures(props: { report: TimeToCloseReport }) {
  const { total, restricted } = props.report;
  const ttc = total.timeToClose.calendar;
  const card = (id: string, title: string, value: string, note: string) =>
    html`<div class="figure-card" data-figure=${id}>
      <h2>${title}</h2>
      <p class="figure-value">${value}</p>
      <p class="figure-note">${note}</p>
    </div>`;
  return html`<div class="figure-cards">
    ${card(
      'received',
      t('dashReceived'),
      formatNumber(total.received),
      t('dashOfWhichRestricted', { n: formatNumber(restricted.received) }),
    )}
    ${card(
      'closed',
      t('dashClosed'),
      formatNumber(total.closed),
      t('dashStillOpen', { n: formatNumber(total.backlog.open) }),
    )}
    ${card('median', t('dashMedian'), durationText(ttc.medianMs), nText(ttc.count, total.closed))}
    ${card('p90', t('dashP90'), durationText(ttc.p90Ms), nText(ttc.count, total.closed))}
    <div class="figure-card" data-figure="within-sla">
      <h2>${t('dashWithinSla')}</h2>
      <${ShareGauge} id="within-sla" title=${t('dashWithinSla')} part=${total.withinSla.within} whole=${total.withinSla.resolved} />
    </div>
    <div class="figure-card" data-figure="loop">
      <h2>${t('dashLoopClosed')}</h2>
      <${ShareGauge} id="loop-closure" title=${t('dashLoopClosed')} part=${total.loopClosed.loopClosed} whole=${total.loopClosed.closed} />
    </div>
  </div>`;
}

function ReportTable(props: {
  id: string;
  caption: string;
  groupHeading: string;
  report: TimeToCloseReport;
  labelOf: (key: string) => string;
}) {
  const { report } = props;
  const heads = [
    t('dashColReceived'),
    t('dashColClosed'),
    t('dashColMedian'),
    t('dashColP90'),
    t('dashColWithinSla'),
    t('dashColLoop'),
  ];
  // Each cell carries its column's name, so that on a phone a row can be read as a card (see styles.css).
  const cells = (values: string[]) => values.map((v, i) => html`<td data-label=${heads[i]}>${v}</td>`);
  const row = (r: ReportGroup, name: string, cls?: string) =>
    html`<tr class=${cls} data-group=${r.group}><th scope="row">${name}</th>${cells([
      formatNumber(r.received),
      formatNumber(r.closed),
      hoursText(r.timeToClose.calendar.medianMs),
      hoursText(r.timeToClose.calendar.p90Ms),
      shareText(r.withinSla.within, r.withinSla.resolved),
      shareText(r.loopClosed.loopClosed, r.loopClosed.closed),
    ])}</tr>`;
  const restricted = report.restricted;
  return html`<div class="table-wrap"><table class="report-table" data-report=${props.id}>
    <caption>${props.caption}</caption>
    <thead><tr><th scope="col">${props.groupHeading}</th>${heads.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead>
    <tbody>
      ${report.groups.map((r) => row(r, props.labelOf(r.group)))}
      ${
        !restricted.inGroups && restricted.received > 0
          ? html`<tr class="restricted-row" data-group="restricted"><th scope="row">${t('dashRowRestricted')}</th>${cells(
              [formatNumber(restricted.received), formatNumber(restricted.closed), '–', '–', '–', '–'],
            )}</tr>`
          : null
      }
    </tbody>
    <tfoot>${row(report.total, t('dashRowAll'), 'total-row')}</tfoot>
  </table></div>`;
}

/** The open clusters of similar complaints, each with its size (n); the list is read from one partition. */
function Clusters(props: { session: Session }) {
  const found = useAsync(() => listClusters(), []);
  return html`<section class="chart-card wide clusters-card" id="clusters" aria-labelledby="clusters-title">
    <h2 id="clusters-title">${t('clustersTitle')}</h2>
    <${ErrorBox} error=${found.error} />
    ${found.data ? html`<${ClusterTable} clusters=${found.data} session=${props.session} id="dash-clusters" />` : null}
    <p><a href="#/clusters">${t('clustersAll')}</a></p>
  </section>`;
}

/** Where a spike is: a district with its governorate, or a governorate, named in the console's language. */
function spikePlace(s: SpikeRecord): string {
  const lang = getLang();
  return s.level === 'district'
    ? `${placeName(s.place, lang)} · ${placeName(s.governorate, lang)}`
    : placeName(s.place, lang);
}

/**
 * The current spikes (today and yesterday): each category × place over its threshold, with the day's count (n) beside
 * its usual daily count and the count it alerted from. Read from the alerts the projector raised, so it costs two
 * small queries, whatever the period chosen above.
 */
function Spikes() {
  const found = useAsync(() => loadSpikes(), []);
  const data = found.data;
  const heads = [
    t('filterCategory'),
    t('dashSpikeColPlace'),
    t('dashSpikeColDay'),
    t('dashSpikeColCount'),
    t('dashSpikeColBaseline'),
    t('dashSpikeColThreshold'),
    t('dashSpikeColWords'),
  ];
  // The first column is the row's header, so the cells' labels start at the second heading.
  const cells = (values: string[]) => values.map((v, i) => html`<td data-label=${heads[i + 1]}>${v}</td>`);
  return html`<section class="chart-card wide spikes" id="spikes" aria-labelledby="spikes-title">
    <h2 id="spikes-title">${t('dashSpikes')}</h2>
    <${ErrorBox} error=${found.error} />
    ${
      data
        ? html`<p class="muted" id="spike-rule">${t('dashSpikesRule', {
            min: formatNumber(data.rule.minimum),
            ratio: formatNumber(data.rule.ratio),
            days: formatNumber(data.rule.baselineDays),
          })}</p>
          ${
            data.spikes.length === 0
              ? html`<p id="no-spikes">${t('dashSpikesNone')}</p>`
              : html`<div class="table-wrap"><table class="report-table" data-report="spikes">
                  <caption class="visually-hidden">${t('dashSpikes')}</caption>
                  <thead><tr><th scope="col">${heads[0]}</th>${heads.slice(1).map((h) => html`<th scope="col">${h}</th>`)}</tr></thead>
                  <tbody>${data.spikes.map(
                    (s) =>
                      html`<tr data-spike=${`${s.category}#${s.place}`}><th scope="row">${label('category', s.category)}</th>${cells(
                        [
                          spikePlace(s),
                          formatDay(s.day),
                          t('dashN', { n: formatNumber(s.count) }),
                          formatNumber(s.baseline, 1),
                          formatNumber(s.threshold),
                          s.example.join(' · ') || '–',
                        ],
                      )}</tr>`,
                  )}</tbody>
                </table></div>`
          }`
        : null
    }
  </section>`;
}

/** A month chooser: a plain select with the months named in the console's language, easy to tap on a phone. */
function MonthSelect(props: {
  id: string;
  label: string;
  value: string;
  options: string[];
  onChange: (month: string) => void;
}) {
  return html`<span class="field"><label for=${props.id}>${props.label}</label>
    <select id=${props.id} value=${props.value} onChange=${(e: Event) => props.onChange((e.target as HTMLSelectElement).value)}>
      ${props.options.map((m) => html`<option value=${m}>${formatMonth(m)}</option>`)}
    </select></span>`;
}

/** Shows, to an admin of the local stack, that its clock runs ahead of this computer. */
function LocalClockNote() {
  const clock = useAsync(() => devClock(), []);
  const c = clock.data;
  if (!c || c.offsetMs <= 0) return null;
  return html`<p class="notice" id="local-clock" role="status">${t('dashLocalClock', {
    offset: durationText(c.offsetMs),
    now: formatDateTime(c.now),
  })}</p>`;
}

const month = (d: Date) => d.toISOString().slice(0, 7);

/** Every month from `from` to `to` (`yyyy-mm`), so a month without cases shows as an empty column, not a gap. */
export function monthsOf(from: string, to: string): string[] {
  const out: string[] = [];
  let y = Number(from.slice(0, 4));
  let m = Number(from.slice(5, 7));
  while (out.length < 60) {
    const key = `${y}-${String(m).padStart(2, '0')}`;
    if (key > to) break;
    out.push(key);
    m = m === 12 ? 1 : m + 1;
    if (m === 1) y++;
  }
  return out;
}

/**
 * The dashboard. Every figure comes from the time-to-close report (aggregates the projector keeps, so managers
 * see them without reading cases) and shows what it counts and over how many cases; restricted cases are in the
 * totals and said to be there. Officers and PSEA also see weekly volumes and the spread of closing times drawn
 * from the cases they may open, marked as such.
 */
export function DashboardView(props: { session: Session }) {
  const today = new Date();
  const [from, setFrom] = useState(month(new Date(today.getTime() - 92 * DAY)));
  const [to, setTo] = useState(month(today));
  const [by, setBy] = useState<'category' | 'channel'>('category');
  const [csvError, setCsvError] = useState<unknown>();
  const canList = props.session.roles.some((r) => CASE_READERS.includes(r));
  const isLocalAdmin = props.session.mode === 'local' && props.session.roles.includes('admin');
  // The months a report may cover (at most 36), newest first, named in the console's language.
  const choices = monthsOf(month(new Date(today.getTime() - 35 * 31 * DAY)), month(today))
    .slice(-36)
    .reverse();
  const cases = useAsync(
    () => (canList ? loadCases(from, to) : Promise.resolve(undefined)),
    [from, to, canList],
  );
  const report = useAsync(
    () =>
      Promise.all(
        (['category', 'channel', 'governorate', 'month'] as const).map((g) => timeToClose(g, { from, to })),
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
  const [byCategory, byChannel, byGovernorate, byMonth] = report.data ?? [];
  const total = byCategory?.total;
  const restricted = byCategory?.restricted;
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
    ? Object.entries(total.backlog.byAge).map(([band, n]) => ({
        label: localDigits(band.replace('d', '').replace('-', '–')),
        value: n,
      }))
    : undefined;
  const closedMonths = (byMonth?.groups ?? []).filter((g) => g.timeToClose.calendar.count > 0);
  const months = byMonth
    ? monthsOf(byMonth.from, byMonth.to).map((m) => {
        const g = byMonth.groups.find((x) => x.group === m);
        return { month: m, received: g?.received ?? 0, closed: g?.closed ?? 0 };
      })
    : [];
  return html`<section class="dashboard">
    <h1>${t('dashTitle')}</h1>
    ${isLocalAdmin ? html`<${LocalClockNote} />` : null}
    <form class="inline period-form" onSubmit=${(e: Event) => e.preventDefault()}>
      <${MonthSelect} id="d-from" label=${t('filterFrom')} value=${from} options=${choices} onChange=${setFrom} />
      <${MonthSelect} id="d-to" label=${t('filterTo')} value=${to} options=${choices} onChange=${setTo} />
      <button type="button" id="export-csv" onClick=${download}>${t('exportCsv')}</button>
    </form>
    <p class="muted" id="period">${t('dashPeriod', { from: formatMonth(from), to: formatMonth(to) })}</p>
    <${ErrorBox} error=${csvError} />
    ${cases.loading || report.loading ? html`<${Loading} />` : null}
    <${ErrorBox} error=${report.error} />
    <${ErrorBox} error=${cases.error} />
    <${Spikes} />
    <${Clusters} session=${props.session} />
    ${byCategory ? html`<${Figures} report=${byCategory} />` : null}
    ${
      restricted && !restricted.inGroups && restricted.received > 0
        ? html`<p class="muted" id="restricted-note">${t('dashRestrictedNoDetail')}</p>`
        : null
    }
    <div class="charts">
      ${
        months.length
          ? html`<div class="chart-card"><h2>${t('dashPerMonth')}</h2>
              <${RowBarChart} id="per-month" title=${t('dashPerMonth')}
                series=${[
                  { name: t('dashSeriesClosed'), color: PALETTE[0] ?? '#0072b2' },
                  { name: t('dashSeriesOpen'), color: PALETTE[1] ?? '#d55e00' },
                ]}
                rows=${months.map((g) => ({ label: formatMonth(g.month), values: [g.closed, g.received - g.closed] }))} />
              ${
                byMonth && !byMonth.restricted.inGroups && byMonth.restricted.received > 0
                  ? html`<p class="muted">${t('dashRestrictedNotByMonth', { n: formatNumber(byMonth.restricted.received) })}</p>`
                  : null
              }</div>`
          : null
      }
      ${
        byMonth
          ? html`<div class="chart-card"><h2>${t('dashMedianByMonth')}</h2>
              <${BarChart} id="time-to-close" title=${t('dashMedianByMonth')}
                caption=${closedMonths.length ? t('dashMedianByMonthNote') : t('dashNotYet')}
                bars=${closedMonths.map((g) => ({
                  label: formatMonth(g.group),
                  value: (g.timeToClose.calendar.medianMs ?? 0) / HOUR,
                  note: t('dashN', { n: formatNumber(g.timeToClose.calendar.count) }),
                }))}
                unit=${` ${t('dashHours')}`} /></div>`
          : null
      }
      ${
        backlog && total
          ? html`<div class="chart-card"><h2>${t('dashBacklog')}</h2>
              <${BarChart} id="backlog" title=${t('dashBacklog')} caption=${t('dashN', { n: formatNumber(total.backlog.open) })} bars=${backlog} /></div>`
          : null
      }
      ${
        f
          ? html`<div class="chart-card wide">
              <h2>${t('dashWeekly')}</h2>
              <p class="muted">${t('dashListNote', { n: formatNumber(f.total) })}</p>
              <div class="buttons" role="group">
                <button type="button" aria-pressed=${by === 'category'} onClick=${() => setBy('category')}>${t('filterCategory')}</button>
                <button type="button" aria-pressed=${by === 'channel'} onClick=${() => setBy('channel')}>${t('filterChannel')}</button>
              </div>
              <${StackedBarChart} id="over-time" title=${`${t('dashWeekly')} · ${by === 'category' ? t('filterCategory') : t('filterChannel')}`}
                columns=${f.weeks.map((w) => formatDay(w))} series=${series} values=${seriesValues} />
            </div>`
          : null
      }
    </div>
    ${total ? html`<${Reclassifications} total=${total} />` : null}
    ${byCategory ? html`<p class="muted">${t('dashExact')}</p>` : null}
    ${byCategory ? html`<${ReportTable} id="category" caption=${t('dashByCategory')} groupHeading=${t('filterCategory')} report=${byCategory} labelOf=${(k: string) => (k === 'none' ? t('dashNoCategory') : label('category', k))} />` : null}
    ${byChannel ? html`<${ReportTable} id="channel" caption=${t('dashByChannel')} groupHeading=${t('filterChannel')} report=${byChannel} labelOf=${(k: string) => label('channel', k)} />` : null}
    ${byGovernorate ? html`<${ReportTable} id="governorate" caption=${t('dashByGovernorate')} groupHeading=${t('filterGovernorate')} report=${byGovernorate} labelOf=${(k: string) => (k === 'none' ? t('dashNoPlace') : placeName(k, getLang()))} />` : null}
  </section>`;
}
