import type { Calendar } from '#shared/calendar/calendar-schema.ts';
import { IRAQ_CALENDAR } from '#shared/calendar/iraq-calendar.ts';
import type { CaseRecord } from './api.ts';
import { html } from './html.ts';
import { formatDateTime, t } from './i18n.ts';
import { type SlaState, slaState, splitDuration } from './sla-clock.ts';

let calendar: Calendar = IRAQ_CALENDAR;
/** Replaces the built-in Iraq calendar with the admins' record when the console could read it. */
export const useCalendar = (c: Calendar): void => {
  calendar = c;
};

export function durationText(ms: number, clock: 'working' | '24x7'): string {
  const { days, hours, minutes } = splitDuration(ms, clock, calendar);
  if (days > 0) return t('durationDays', { d: days, h: hours });
  if (hours > 0) return t('durationHours', { h: hours, m: minutes });
  // Whole minutes are floored: a case just past (or just short of) its time would read "Overdue by 0 min".
  if (minutes === 0) return t('durationUnderMinute');
  return t('durationMinutes', { m: minutes });
}

function stateText(s: SlaState): { text: string; tone: 'ok' | 'warn' | 'late' | 'muted' } {
  switch (s.kind) {
    case 'none':
      return { text: t('slaNone'), tone: 'muted' };
    case 'paused':
      return { text: t('slaPaused'), tone: 'muted' };
    case 'done':
      return { text: s.met ? t('slaMet') : t('slaLate'), tone: s.met ? 'ok' : 'late' };
    default: {
      const d = durationText(s.remainingMs, s.clock);
      const late = s.remainingMs < 0;
      return {
        text: late ? t('slaOverdue', { time: d }) : t('slaLeft', { time: d }),
        tone: late ? 'late' : s.remainingMs < 4 * 3_600_000 ? 'warn' : 'ok',
      };
    }
  }
}

/** The clock in a queue row: time left or overdue. */
export function SlaBadge(props: { c: CaseRecord; now: Date; compact?: boolean }) {
  const s = slaState(props.c, props.now, calendar);
  const { text, tone } = stateText(s);
  return html`<span class=${`sla sla-${tone}`}>${text}</span>`;
}

/** The clock on a case page: the next target, its due time, time left or overdue, and how time is counted. */
export function SlaClock(props: { c: CaseRecord; now: Date }) {
  const s = slaState(props.c, props.now, calendar);
  const { text, tone } = stateText(s);
  const sla = props.c.sla;
  return html`<section class=${`sla-clock sla-${tone}`} aria-labelledby="sla-title">
    <h2 id="sla-title">${t('slaClock')}</h2>
    <p class="sla-big" data-sla=${s.kind === 'running' ? (s.remainingMs < 0 ? 'overdue' : 'left') : s.kind}>${text}</p>
    ${
      sla
        ? html`<p>${t('slaAcknowledge', { time: formatDateTime(sla.acknowledgeBy) })}<br />
            ${t('slaResolve', { time: formatDateTime(sla.resolveBy) })}<br />
            <small>${sla.clock === 'working' ? t('slaWorking') : t('slaCalendar')}</small></p>`
        : null
    }
  </section>`;
}
