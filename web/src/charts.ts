import { html } from './html.ts';
import { formatNumber, formatPercent, t } from './i18n.ts';

/**
 * Hand-drawn SVG charts: bars, stacked bars and a share gauge. Each is an `<svg role="img">` with a text
 * alternative (title and a list of the values), so the numbers are there for screen readers and printouts too.
 * Counts are written on their bars and every number in the locale's digits; a share always says what it is a share
 * of.
 */

export interface Bar {
  label: string;
  value: number;
  /** A second line under the label, such as the number of cases the bar is over. */
  note?: string;
}

export interface Series {
  name: string;
  color: string;
}

/** Colour-blind-safe categorical palette (Okabe and Ito), darkened where needed for contrast on white. */
export const PALETTE = [
  '#0072b2',
  '#d55e00',
  '#009e73',
  '#cc79a7',
  '#8a6d00',
  '#56b4e9',
  '#6a3d9a',
  '#555555',
  '#b2182b',
  '#1b7837',
];

const WIDE = 560;
const NARROW = 320;
const H = 220;
const PAD = { top: 12, right: 12, bottom: 54, left: 40 };

function niceMax(max: number): number {
  if (max <= 0) return 1;
  const exp = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * exp >= max) return step * exp;
  return 10 * exp;
}

/** Axis ticks at whole numbers (counts have no halves): up to five, evenly spaced, from 0 to `max`. */
function ticksOf(max: number): number[] {
  for (const parts of [4, 5, 2, 1]) {
    const step = max / parts;
    if (Number.isInteger(step)) return Array.from({ length: parts + 1 }, (_, i) => i * step);
  }
  return [0, max];
}

function axis(max: number, W: number) {
  const ticks = ticksOf(max);
  const y = (v: number) => PAD.top + (H - PAD.top - PAD.bottom) * (1 - v / max);
  return html`<g class="axis" aria-hidden="true">
    ${ticks.map(
      (
        v,
      ) => html`<line x1=${PAD.left} x2=${W - PAD.right} y1=${y(v)} y2=${y(v)} stroke="#d0d0d0" stroke-width="1" />
        <text x=${PAD.left - 6} y=${y(v) + 4} text-anchor="end" font-size="11" fill="#333">${formatNumber(v)}</text>`,
    )}
  </g>`;
}

/** A bar chart of labelled values. */
export function BarChart(props: {
  id: string;
  title: string;
  bars: Bar[];
  unit?: string;
  wide?: boolean;
  /** Written under the chart; the title alone is the chart's text alternative. */
  caption?: string;
}) {
  const { bars } = props;
  const W = props.wide ? WIDE : NARROW;
  const max = niceMax(Math.max(0, ...bars.map((b) => b.value)));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const step = plotW / Math.max(1, bars.length);
  const bw = Math.max(4, step * 0.7);
  return html`<figure class="chart" data-chart=${props.id}>
    <svg viewBox="0 0 ${W} ${H}" role="img" aria-labelledby=${`${props.id}-t`} dir="ltr">
      <title id=${`${props.id}-t`}>${props.title}</title>
      ${axis(max, W)}
      ${bars.map((b, i) => {
        const hgt = (plotH * b.value) / max;
        const x = PAD.left + i * step + (step - bw) / 2;
        return html`<g>
          <rect class="bar" x=${x} y=${PAD.top + plotH - hgt} width=${bw} height=${hgt} fill=${PALETTE[0]}>
            <title>${b.label}: ${formatNumber(b.value, 1)}${props.unit ?? ''}${b.note ? ` (${b.note})` : ''}</title>
          </rect>
          <text class="bar-value" x=${x + bw / 2} y=${PAD.top + plotH - hgt - 3} font-size="11" text-anchor="middle" fill="#222">${formatNumber(b.value, 1)}</text>
          ${
            i % Math.ceil(bars.length / 6) === 0
              ? html`<text x=${x + bw / 2} y=${H - PAD.bottom + 14} font-size="11" text-anchor="middle" fill="#222">${b.label}</text>`
              : null
          }
          ${
            b.note && i % Math.ceil(bars.length / 6) === 0
              ? html`<text class="bar-note" x=${x + bw / 2} y=${H - PAD.bottom + 28} font-size="11" text-anchor="middle" fill="#444">${b.note}</text>`
              : null
          }
        </g>`;
      })}
    </svg>
    ${props.caption ? html`<figcaption>${props.caption}</figcaption>` : null}
  </figure>`;
}

/** Bars split by series (weeks × categories, for example), with a legend. */
export function StackedBarChart(props: {
  id: string;
  title: string;
  columns: string[];
  series: Series[];
  /** values[column][series] */
  values: number[][];
  caption?: string;
}) {
  const W = WIDE;
  const totals = props.values.map((col) => col.reduce((a, b) => a + b, 0));
  const max = niceMax(Math.max(0, ...totals));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const step = plotW / Math.max(1, props.columns.length);
  const bw = Math.max(4, step * 0.7);
  return html`<figure class="chart" data-chart=${props.id}>
    <svg viewBox="0 0 ${W} ${H}" role="img" aria-labelledby=${`${props.id}-t`} dir="ltr">
      <title id=${`${props.id}-t`}>${props.title}</title>
      ${axis(max, W)}
      ${props.columns.map((col, i) => {
        let y = PAD.top + plotH;
        const x = PAD.left + i * step + (step - bw) / 2;
        return html`<g>
          ${props.series.map((s, j) => {
            const v = props.values[i]?.[j] ?? 0;
            const hgt = (plotH * v) / max;
            y -= hgt;
            return v > 0
              ? html`<rect class="bar" x=${x} y=${y} width=${bw} height=${hgt} fill=${s.color}><title>${col} · ${s.name}: ${formatNumber(v)}</title></rect>`
              : null;
          })}
          ${
            (totals[i] ?? 0) > 0
              ? html`<text class="bar-value" x=${x + bw / 2} y=${y - 3} font-size="11" text-anchor="middle" fill="#222">${formatNumber(totals[i] ?? 0)}</text>`
              : null
          }
          ${
            i % Math.ceil(props.columns.length / 8) === 0
              ? html`<text x=${x + bw / 2} y=${H - PAD.bottom + 14} font-size="11" text-anchor="middle" fill="#222">${col}</text>`
              : null
          }
        </g>`;
      })}
    </svg>
    <ul class="legend">
      ${props.series.map((s) => html`<li><span class="swatch" style=${`background:${s.color}`}></span>${s.name}</li>`)}
    </ul>
    ${props.caption ? html`<figcaption>${props.caption}</figcaption>` : null}
  </figure>`;
}

/**
 * Rows of horizontal bars split by series, drawn with HTML rather than SVG: the labels and numbers are text that
 * wraps, reads right to left in Arabic and Sorani, and stays legible on a phone however many rows there are.
 */
export function RowBarChart(props: {
  id: string;
  title: string;
  rows: { label: string; values: number[] }[];
  series: Series[];
}) {
  const max = Math.max(1, ...props.rows.map((r) => r.values.reduce((a, b) => a + b, 0)));
  return html`<figure class="chart row-bars" data-chart=${props.id}>
    <ul class="legend">
      ${props.series.map((s) => html`<li><span class="swatch" style=${`background:${s.color}`}></span>${s.name}</li>`)}
    </ul>
    <ol aria-label=${props.title}>
      ${props.rows.map((r) => {
        const total = r.values.reduce((a, b) => a + b, 0);
        const parts = r.values.map((v, i) => `${props.series[i]?.name ?? ''}: ${formatNumber(v)}`).join(', ');
        return html`<li class="row-bar" data-row=${r.label}>
          <span class="row-label">${r.label}</span>
          <span class="row-track" title=${parts}>
            ${r.values.map((v, i) =>
              v > 0
                ? html`<span class="bar" style=${`width:${(100 * v) / max}%;background:${props.series[i]?.color ?? '#555'}`}></span>`
                : null,
            )}
          </span>
          <span class="row-value">${formatNumber(total)}</span>
          <span class="visually-hidden">${parts}</span>
        </li>`;
      })}
    </ol>
  </figure>`;
}

/** One share as a horizontal gauge: the percentage, and the counts it is made of. */
export function ShareGauge(props: { id: string; title: string; part: number; whole: number; hint?: string }) {
  const share = props.whole > 0 ? props.part / props.whole : undefined;
  const pct = share === undefined ? '–' : formatPercent(share);
  const of = t('dashShareOf', { part: formatNumber(props.part), whole: formatNumber(props.whole) });
  return html`<figure class="chart gauge" data-chart=${props.id}>
    <p class="figure-value">${pct}</p>
    <svg viewBox="0 0 300 16" role="img" aria-labelledby=${`${props.id}-t`} dir="ltr">
      <title id=${`${props.id}-t`}>${props.title}: ${pct} (${of})</title>
      <rect x="0" y="0" width="300" height="16" rx="4" fill="#e4e4e4" />
      <rect class="bar" x="0" y="0" width=${300 * (share ?? 0)} height="16" rx="4" fill=${PALETTE[2]} />
    </svg>
    <figcaption class="figure-note"><span class="share-of">${of}</span>${
      props.hint ? html` · ${props.hint}` : null
    }</figcaption>
  </figure>`;
}
