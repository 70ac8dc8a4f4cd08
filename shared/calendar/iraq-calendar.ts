/**
 * The default working calendar: Sunday to Thursday, 08:00 to 16:00 Baghdad time, with the public holidays of
 * 2026 and 2027 for the federal government (Official Holidays Law No. 12 of 2024) and the Kurdistan Region.
 *
 * Islamic holidays follow the Hijri calendar and are fixed each year by moon sighting, so the dates below are
 * the expected ones and may move by a day; the councils of ministers in Baghdad and Erbil also add or shift
 * days by circular (bridging days, weather closures). Admins correct this record at run time through the admin
 * API: it is data, not code, and these dates are only where it starts.
 */
import type { Calendar, Holiday } from './calendar-schema.ts';

type Scope = Holiday['scope'];

const h = (date: string, name: string, scope: Scope = 'all'): Holiday => ({ date, name, scope });
const days = (dates: string[], name: string, scope: Scope = 'all'): Holiday[] =>
  dates.map((d) => h(d, name, scope));

const HOLIDAYS_2026: Holiday[] = [
  h('2026-01-01', "New Year's Day"),
  h('2026-01-06', 'Army Day'),
  h('2026-03-05', 'Uprising Day (Raperin)', 'kri'),
  h('2026-03-11', 'Liberation of Erbil / 11 March Agreement', 'kri'),
  h('2026-03-14', "Mustafa Barzani's birthday", 'kri'),
  h('2026-03-16', 'Halabja Martyrs Day', 'kri'),
  // 1 to 3 Shawwal 1447 (expected; moon sighting)
  ...days(['2026-03-20', '2026-03-21', '2026-03-22'], 'Eid al-Fitr'),
  h('2026-03-21', 'Nowruz'),
  ...days(['2026-03-20', '2026-03-22', '2026-03-23'], 'Nowruz holiday', 'kri'),
  h('2026-05-01', 'Labour Day'),
  // 10 to 13 Dhu al-Hijjah 1447 (expected)
  ...days(['2026-05-27', '2026-05-28', '2026-05-29', '2026-05-30'], 'Eid al-Adha'),
  // 18 Dhu al-Hijjah 1447 (expected)
  h('2026-06-04', 'Eid al-Ghadir', 'federal'),
  // 1 Muharram 1448 (expected)
  h('2026-06-16', 'Islamic New Year'),
  // 10 Muharram 1448 (expected)
  h('2026-06-25', 'Ashura'),
  h('2026-07-14', 'Republic Day'),
  // 12 Rabi al-Awwal 1448 (expected)
  h('2026-08-25', "Prophet's Birthday (Mawlid)"),
  h('2026-10-03', 'National Day', 'federal'),
  h('2026-12-10', 'Victory Day', 'federal'),
  h('2026-12-25', 'Christmas Day'),
];

const HOLIDAYS_2027: Holiday[] = [
  h('2027-01-01', "New Year's Day"),
  h('2027-01-06', 'Army Day'),
  h('2027-03-05', 'Uprising Day (Raperin)', 'kri'),
  // 1 to 3 Shawwal 1448 (expected; moon sighting)
  ...days(['2027-03-10', '2027-03-11', '2027-03-12'], 'Eid al-Fitr'),
  h('2027-03-11', 'Liberation of Erbil / 11 March Agreement', 'kri'),
  h('2027-03-14', "Mustafa Barzani's birthday", 'kri'),
  h('2027-03-16', 'Halabja Martyrs Day', 'kri'),
  h('2027-03-21', 'Nowruz'),
  ...days(['2027-03-20', '2027-03-22', '2027-03-23'], 'Nowruz holiday', 'kri'),
  h('2027-05-01', 'Labour Day'),
  // 10 to 13 Dhu al-Hijjah 1448 (expected)
  ...days(['2027-05-16', '2027-05-17', '2027-05-18', '2027-05-19'], 'Eid al-Adha'),
  // 18 Dhu al-Hijjah 1448 (expected)
  h('2027-05-24', 'Eid al-Ghadir', 'federal'),
  // 1 Muharram 1449 (expected)
  h('2027-06-06', 'Islamic New Year'),
  // 10 Muharram 1449 (expected)
  h('2027-06-15', 'Ashura'),
  h('2027-07-14', 'Republic Day'),
  // 12 Rabi al-Awwal 1449 (expected)
  h('2027-08-14', "Prophet's Birthday (Mawlid)"),
  h('2027-10-03', 'National Day', 'federal'),
  h('2027-12-10', 'Victory Day', 'federal'),
  h('2027-12-25', 'Christmas Day'),
];

/**
 * The seed calendar record (id `iraq`). Written out in full as the schema's output type rather than parsed at
 * import (every Lambda cold start would pay for it); a unit test holds it equal to `CalendarSchema.parse` of itself.
 */
export const IRAQ_CALENDAR: Calendar = {
  id: 'iraq',
  name: 'Iraq: Sunday to Thursday, federal and Kurdistan Region holidays',
  timeZone: 'Asia/Baghdad',
  workingDays: [0, 1, 2, 3, 4],
  workdayStart: '08:00',
  workdayEnd: '16:00',
  defaultRegion: 'federal',
  holidays: [...HOLIDAYS_2026, ...HOLIDAYS_2027],
};
