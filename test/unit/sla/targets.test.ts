import { describe, expect, it } from 'vitest';
import { IRAQ_CALENDAR } from '#shared/calendar/iraq-calendar.ts';
import { workingDurationMs } from '#shared/calendar/working-time.ts';
import { DEFAULT_SLA_POLICIES } from '#shared/sla/default-policies.ts';
import { computeDueTimes, inWarningWindow } from '#shared/sla/sla.ts';
import { SlaPolicySchema } from '#shared/sla/sla-schema.ts';
import { StoredSlaPolicySchema, upgradeStoredSlaPolicy } from '#shared/sla/stored-policy.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const WORKING_DAY = 8 * HOUR; // 08:00 to 16:00 in the Iraq calendar

/**
 * The design's table of staff targets, written out here on its own (not read from the defaults): the first
 * staff response and resolve-or-refer, each as wall time on a 24/7 clock or working time on a working clock.
 */
const DESIGN: Record<string, { clock: '24x7' | 'working'; first: number; resolve: number }> = {
  s3: { clock: '24x7', first: HOUR, resolve: 24 * HOUR },
  s2: { clock: '24x7', first: 4 * HOUR, resolve: 48 * HOUR },
  urgent: { clock: 'working', first: 4 * HOUR, resolve: 3 * WORKING_DAY },
  complaint: { clock: 'working', first: 2 * WORKING_DAY, resolve: 7 * WORKING_DAY },
  question: { clock: 'working', first: WORKING_DAY, resolve: 3 * WORKING_DAY },
  feedback: { clock: 'working', first: 5 * WORKING_DAY, resolve: 14 * WORKING_DAY },
  default: { clock: 'working', first: 2 * WORKING_DAY, resolve: 7 * WORKING_DAY },
};

/** Every hour from Wednesday 18 March 2026 to Wednesday 1 April: nights, weekends and the Eid holidays. */
const RECEIPTS = Array.from({ length: 14 * 24 }, (_, h) => Date.UTC(2026, 2, 18, 0) + h * HOUR + 17 * MINUTE);

describe('default staff targets', () => {
  it('are the durations of the design table', () => {
    expect(DEFAULT_SLA_POLICIES.map((p) => p.id).sort()).toEqual(Object.keys(DESIGN).sort());
    for (const policy of DEFAULT_SLA_POLICIES) {
      const want = DESIGN[policy.id];
      expect(policy.clock, policy.id).toBe(want?.clock);
      // Received on a Sunday at 08:00 Baghdad time, when the working clock starts at once.
      const received = Date.UTC(2026, 2, 1, 5);
      const due = computeDueTimes(policy, IRAQ_CALENDAR, received);
      const measure = (iso: string) =>
        policy.clock === '24x7'
          ? Date.parse(iso) - received
          : workingDurationMs(IRAQ_CALENDAR, received, Date.parse(iso));
      expect([measure(due.acknowledgeBy), measure(due.resolveBy)], policy.id).toEqual([
        want?.first,
        want?.resolve,
      ]);
    }
  });

  it('never make a case overdue, nor due soon, at the moment it arrives', () => {
    for (const policy of DEFAULT_SLA_POLICIES) {
      for (const region of ['federal', 'kri'] as const) {
        for (const received of RECEIPTS) {
          const due = computeDueTimes(policy, IRAQ_CALENDAR, received, region);
          const label = `${policy.id} ${region} ${new Date(received).toISOString()}`;
          expect(Date.parse(due.acknowledgeBy), label).toBeGreaterThan(received);
          expect(Date.parse(due.resolveBy), label).toBeGreaterThan(received);
          const now = new Date(received);
          expect(inWarningWindow(policy, IRAQ_CALENDAR, due.acknowledgeBy, now, region), label).toBe(false);
        }
      }
    }
  });
});

describe('a zero staff target', () => {
  const valid = DEFAULT_SLA_POLICIES.find((p) => p.id === 'complaint');

  it.each([
    ['a first response at once', { acknowledgeWithin: { ms: 0 } }, 'acknowledgeWithin'],
    [
      'a first response within 0 working days',
      { acknowledgeWithin: { workingDays: 0 } },
      'acknowledgeWithin',
    ],
    ['resolution at once', { resolveWithin: { ms: 0 } }, 'resolveWithin'],
  ])('is refused: %s', (_, patch, field) => {
    const result = SlaPolicySchema.safeParse({ ...valid, ...patch });
    expect(result.success).toBe(false);
    const issue = result.error?.issues.find((i) => i.path[0] === field);
    expect(issue?.message).toMatch(/longer than zero/);
  });

  it('is still allowed as an escalation step that fires as soon as the target is missed', () => {
    expect(
      SlaPolicySchema.safeParse({ ...valid, escalation: [{ level: 'focal_point', after: { ms: 0 } }] })
        .success,
    ).toBe(true);
  });
});

describe('policies stored before staff targets were real durations', () => {
  // The S3 and question policies exactly as an earlier seed stored them.
  const storedS3 = {
    id: 's3',
    name: 'S3: sexual exploitation and abuse, child safeguarding',
    description: 'Acknowledged at once; referred to the PSEA focal point within 24 hours, day or night.',
    match: { sensitivities: ['S3'] },
    clock: '24x7',
    acknowledgeWithin: { ms: 0 },
    resolveWithin: { ms: 86_400_000 },
    warnBeforeMs: 21_600_000,
    escalation: [
      { level: 'focal_point', after: { ms: 0 } },
      { level: 'supervisor', after: { ms: 14_400_000 } },
      { level: 'programme_manager', after: { ms: 43_200_000 } },
    ],
    priority: 0,
    active: true,
  };

  it("reads a default's id as the design's targets, keeping what an admin chose about which cases it covers", () => {
    const edited = { ...storedS3, name: 'S3 (edited)', priority: 5 };
    const read = StoredSlaPolicySchema.parse(edited);
    expect(read).toMatchObject({
      id: 's3',
      name: 'S3 (edited)',
      priority: 5,
      match: { sensitivities: ['S3'] },
      clock: '24x7',
      acknowledgeWithin: { ms: HOUR },
      resolveWithin: { ms: 24 * HOUR },
      warnBeforeMs: 15 * MINUTE,
    });
  });

  it('gives any other policy the shortest design target on its clock in place of each zero', () => {
    const own = {
      ...storedS3,
      id: 'cash-hotline',
      clock: 'working',
      acknowledgeWithin: { workingDays: 0 },
      resolveWithin: { workingDays: 5 },
    };
    expect(StoredSlaPolicySchema.parse(own)).toMatchObject({
      id: 'cash-hotline',
      acknowledgeWithin: { ms: 4 * HOUR },
      resolveWithin: { workingDays: 5 },
      warnBeforeMs: 21_600_000,
    });
    expect(StoredSlaPolicySchema.parse({ ...storedS3, id: 'night-line' })).toMatchObject({
      acknowledgeWithin: { ms: HOUR },
    });
  });

  it('is read the same way however often it is read, and a sound policy is left exactly as it is', () => {
    const once = upgradeStoredSlaPolicy(storedS3);
    expect(upgradeStoredSlaPolicy(once)).toBe(once);
    const sound = DEFAULT_SLA_POLICIES[3];
    expect(upgradeStoredSlaPolicy(sound)).toBe(sound);
    expect(StoredSlaPolicySchema.parse(sound)).toEqual(sound);
  });
});
