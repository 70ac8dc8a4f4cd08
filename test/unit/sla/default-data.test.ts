import { describe, expect, it } from 'vitest';
import { CalendarSchema } from '#shared/calendar/calendar-schema.ts';
import { IRAQ_CALENDAR } from '#shared/calendar/iraq-calendar.ts';
import { DEFAULT_SLA_POLICIES } from '#shared/sla/default-policies.ts';
import { SlaPolicySchema } from '#shared/sla/sla-schema.ts';

/** The seeded calendar and SLA policies are typed data, not parsed at start; here they meet their schemas. */
describe('seed data as the schemas see it', () => {
  it('the Iraq calendar is exactly what its schema makes of it', () => {
    expect(CalendarSchema.parse(IRAQ_CALENDAR)).toEqual(IRAQ_CALENDAR);
  });

  it('each default SLA policy is exactly what its schema makes of it', () => {
    expect(DEFAULT_SLA_POLICIES.length).toBeGreaterThan(0);
    for (const policy of DEFAULT_SLA_POLICIES) expect(SlaPolicySchema.parse(policy)).toEqual(policy);
  });
});
