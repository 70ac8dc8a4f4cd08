import * as z from 'zod';

/** Which region's public holidays a date closes: the federal government's, the Kurdistan Region's, or both. */
export const HolidayScope = z.enum(['federal', 'kri', 'all']);
export type HolidayScope = z.infer<typeof HolidayScope>;

/** The region a working-time question is asked for (a case in Erbil keeps the Kurdistan Region's holidays). */
export const Region = z.enum(['federal', 'kri']);
export type Region = z.infer<typeof Region>;

const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time such as 08:00');

export const HolidaySchema = z.object({
  date: z.iso.date(),
  name: z.string().min(1).max(120),
  scope: HolidayScope.default('all'),
});
export type Holiday = z.infer<typeof HolidaySchema>;

/**
 * A working calendar record, as admins edit it. Only Asia/Baghdad is accepted: Iraq keeps UTC+3 all year (no
 * daylight saving since 2008), which lets the working-time arithmetic use a fixed offset.
 */
export const CalendarSchema = z
  .object({
    id: z.string().min(1).max(64),
    name: z.string().min(1).max(120),
    timeZone: z.literal('Asia/Baghdad').default('Asia/Baghdad'),
    /** Days of the week the offices work, 0 = Sunday … 6 = Saturday. */
    workingDays: z
      .array(z.number().int().min(0).max(6))
      .min(1)
      .max(7)
      .refine((days) => new Set(days).size === days.length, 'must not repeat a day')
      .default([0, 1, 2, 3, 4]),
    workdayStart: ClockTime.default('08:00'),
    workdayEnd: ClockTime.default('16:00'),
    /** Used when a question names no region (the office's own region, for hotline hours). */
    defaultRegion: Region.default('federal'),
    holidays: z.array(HolidaySchema).max(2000).default([]),
  })
  .refine((c) => c.workdayEnd > c.workdayStart, {
    path: ['workdayEnd'],
    message: 'must be later than workdayStart',
  });
export type Calendar = z.infer<typeof CalendarSchema>;
export type CalendarInput = z.input<typeof CalendarSchema>;
