/**
 * The case export as CSV (RFC 4180, UTF-8): one row per case, the clock and its durations in calendar and
 * working hours. Personal data (phone, name) and the narrative are columns only for roles allowed personal
 * data; restricted cases are rows only for roles allowed them (the caller decides which cases to pass).
 * Cells that a spreadsheet would run as a formula are prefixed with an apostrophe.
 */
import type { Calendar } from '../calendar/calendar-schema.ts';
import type { Case } from '../cases/case-schema.ts';
import type { PersonalDataProtector } from '../privacy/personal-data.ts';
import { durations } from '../sla/sla.ts';

const BASE_COLUMNS = [
  'caseId',
  'reference',
  'status',
  'channel',
  'transport',
  'language',
  'type',
  'category',
  'sector',
  'sensitivity',
  'urgency',
  'governorate',
  'district',
  'programme',
  'populationGroup',
  'sex',
  'ageBand',
  'focalPoints',
  'receivedAt',
  'acknowledgedAt',
  'firstActionAt',
  'resolvedAt',
  'closedAt',
  'hoursToClose',
  'workingHoursToClose',
  'resolvedWithinSla',
  'outcome',
  'satisfaction',
  'loopClosedBy',
  'classificationSource',
  'changedByOfficer',
  'restrictedBasis',
  'restrictionLiftedAt',
  'redacted',
] as const;
const PERSONAL_COLUMNS = ['phone', 'name', 'narrative'] as const;

export const csvColumns = (personal: boolean): string[] => [
  ...BASE_COLUMNS,
  ...(personal ? PERSONAL_COLUMNS : []),
];

export function csvCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  let s = String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const csvLine = (cells: readonly unknown[]): string => `${cells.map(csvCell).join(',')}\r\n`;

const hours = (ms: number | undefined) => (ms === undefined ? undefined : (ms / 3_600_000).toFixed(2));

/** One case as a CSV line with the columns of {@link csvColumns}. */
export function caseCsvLine(
  c: Case,
  options: {
    personal: boolean;
    protector: PersonalDataProtector;
    calendar: Calendar;
    region: Calendar['defaultRegion'];
  },
): string {
  const d = durations(c, options.calendar, options.region);
  const cells: unknown[] = [
    c.caseId,
    c.reference,
    c.status,
    c.channel,
    c.transport,
    c.language,
    c.type,
    c.category,
    c.sector,
    c.sensitivity,
    c.urgency,
    c.location.governorate,
    c.location.district,
    c.programme,
    c.populationGroup,
    c.sex,
    c.ageBand,
    (c.routing?.focalPoints ?? []).join(' '),
    c.receivedAt,
    c.acknowledgedAt,
    c.firstActionAt,
    c.resolvedAt,
    c.closedAt,
    hours(d.toClose?.calendarMs),
    hours(d.toClose?.workingMs),
    c.resolvedAt && c.sla ? Date.parse(c.resolvedAt) <= Date.parse(c.sla.resolveBy) : undefined,
    c.outcome,
    c.satisfaction,
    c.loopClosedBy,
    c.classification.source,
    c.classification.changedByOfficer,
    c.classification.restrictedBasis,
    c.classification.lifted?.at,
    Boolean(c.redactedAt),
  ];
  if (options.personal) {
    cells.push(
      c.contact.phoneCipher ? options.protector.decrypt(c.contact.phoneCipher) : undefined,
      c.contact.nameCipher ? options.protector.decrypt(c.contact.nameCipher) : undefined,
      c.narrative,
    );
  }
  return csvLine(cells);
}
