import { describe, expect, it } from 'vitest';
import { IRAQ_CALENDAR } from '#shared/calendar/iraq-calendar.ts';
import type { Case } from '#shared/cases/case-schema.ts';
import { defaultConfig } from '#shared/config/defaults.ts';
import { mayNeedRouting, planRouting, type RoutingConfig, routingBasis } from '#shared/routing/plan.ts';
import { ROUTER_EVIDENCE } from '#shared/routing/router-evidence.ts';
import { makeCase, officerCase } from './fixtures.ts';

const seed = defaultConfig();
const CONFIG: RoutingConfig = {
  focalPoints: seed.focalPoints,
  rules: seed.routingRules,
  slaPolicies: seed.slaPolicies,
  calendar: IRAQ_CALENDAR,
};
// Wednesday 9 December 2026, 10:00 in Baghdad; Thursday 10 December is Victory Day (federal Iraq only).
const AT = '2026-12-09T07:00:05.000Z';

/** Applies a plan the way the store would (the plan's case, nothing else). */
const apply = (c: Case, config = CONFIG): Case => planRouting(c, config, AT)?.next ?? c;

describe('classification by the router', () => {
  it('classifies a pending case, keeps the classifier answer and records a classified event', () => {
    const plan = planRouting(
      makeCase({ narrative: 'طلبوا مني رشوة حتى يسجلوني بالتوزيع', language: 'ar' }),
      CONFIG,
      AT,
    );
    expect(plan?.next).toMatchObject({ type: 'complaint', category: 'C06', sensitivity: 'S2' });
    expect(plan?.next.classification).toMatchObject({
      source: 'classifier',
      automatic: { category: 'C06', sensitivity: 'S2' },
    });
    expect(plan?.next.classification.evidence.length).toBeGreaterThan(0);
    expect(plan?.events.map((e) => e.type)).toEqual(['classified', 'routed']);
  });

  it("keeps the person's choice over the classifier and lets the text raise sensitivity, not lower it", () => {
    const chosen = makeCase({
      category: 'C03',
      classification: { source: 'person', evidence: [], changedByOfficer: false },
      narrative: 'The cash payment was late this month',
    });
    const next = apply(chosen);
    expect(next.category).toBe('C03');
    expect(next.classification.source).toBe('person');
    expect(next.classification.automatic?.category).toBe('C04');

    const sea = apply(
      makeCase({
        category: 'C03',
        classification: { source: 'person', evidence: [], changedByOfficer: false },
        narrative: 'کارمەندێکی ڕێکخراوەکە داوای سێکسی لێکردم لە بەرامبەر یارمەتی',
      }),
    );
    expect(sea.sensitivity).toBe('S3');
    expect(sea.routing?.focalPoints).toEqual(['psea-focal-point']);
  });

  it("never reclassifies an officer's classification", () => {
    const c = officerCase({
      narrative: 'طلبوا مني رشوة حتى يسجلوني بالتوزيع',
      category: 'C03',
      sensitivity: 'S0',
    });
    const next = apply(c);
    expect(next).toMatchObject({ category: 'C03', sensitivity: 'S0' });
    expect(next.classification.source).toBe('officer');
    expect(planRouting(c, CONFIG, AT)?.events.map((e) => e.type)).toEqual(['routed']);
  });

  it('never lowers a sensitivity the case already has when classifying automatically', () => {
    const next = apply(makeCase({ sensitivity: 'S2' }));
    expect(next.sensitivity).toBe('S2');
    expect(next.classification.evidence).toContain(ROUTER_EVIDENCE.keptSensitivity);
  });

  it('treats a case nobody can read yet (a recording, no text) as S2 until someone reviews it', () => {
    const next = apply(
      makeCase({ channel: 'voice', narrative: '', mediaUrls: ['https://api.twilio.com/rec/RE1'] }),
    );
    expect(next.sensitivity).toBe('S2');
    expect(next.classification.evidence).toContain(ROUTER_EVIDENCE.unheardRecording);
    expect(next.routing?.focalPoints).toEqual(['misconduct-focal-point']);
  });

  it('leaves an empty text message without media as incomplete and not sensitive', () => {
    const next = apply(makeCase({ narrative: '' }));
    expect(next).toMatchObject({ type: 'incomplete', sensitivity: 'S0' });
    expect(next.routing?.focalPoints).toEqual(['accountability-officer']);
  });
});

describe('routing and SLA on the case', () => {
  it('sets the SLA on the working calendar, skipping the weekend and the federal holiday', () => {
    const next = apply(officerCase({ location: { governorate: 'IQG02' } }));
    expect(next.sla).toMatchObject({
      policyId: 'complaint',
      clock: 'working',
      // 16 working hours from Wed 10:00: Wed 6 h, Thu holiday, Fri/Sat weekend, Sun 8 h, Mon 08:00 + 2 h.
      acknowledgeBy: '2026-12-14T07:00:00.000Z',
      // 56 working hours: Wed 6, Sun 13 to Thu 17 40, Sun 20 8, Mon 21 08:00 + 2 h.
      resolveBy: '2026-12-21T07:00:00.000Z',
      pausedMs: 0,
      escalated: [],
    });
  });

  it("keeps the Kurdistan Region's holidays for a case in Erbil (Victory Day is a working day there)", () => {
    const next = apply(officerCase({ location: { governorate: 'IQG11' } }));
    // Wed 6 h, Thu 8 h, Sun 08:00 + 2 h.
    expect(next.sla?.acknowledgeBy).toBe('2026-12-13T07:00:00.000Z');
  });

  it('puts an S3 case on the 24/7 clock: a first response within 1 hour, referred within 24 hours', () => {
    const next = apply(officerCase({ category: 'C07', sensitivity: 'S3', urgency: 'urgent' }));
    expect(next.sla).toMatchObject({
      policyId: 's3',
      clock: '24x7',
      acknowledgeBy: '2026-12-09T08:00:00.000Z',
      resolveBy: '2026-12-10T07:00:00.000Z',
    });
  });

  it('records the routing with its rule, time and basis', () => {
    const next = apply(officerCase({ category: 'C06', sensitivity: 'S2' }));
    expect(next.routing).toEqual({
      focalPoints: ['misconduct-focal-point'],
      ruleId: 'misconduct-categories',
      routedAt: AT,
      basis: routingBasis(next),
    });
  });

  it('plans nothing for a case that already carries its decision (a replayed record writes nothing)', () => {
    const once = apply(makeCase({ narrative: 'طلبوا مني رشوة حتى يسجلوني بالتوزيع', language: 'ar' }));
    expect(mayNeedRouting(once)).toBe(false);
    expect(planRouting(once, CONFIG, '2026-12-09T09:00:00.000Z')).toBeUndefined();
  });

  it('keeps the routing when an admin changes the rules, as long as the case itself does not change', () => {
    const routed = apply(officerCase());
    const changedRules = {
      ...CONFIG,
      rules: CONFIG.rules.map((r) => (r.isDefault ? { ...r, focalPoints: ['cfm-supervisor'] } : r)),
    };
    expect(planRouting(routed, changedRules, AT)).toBeUndefined();
  });

  it('re-routes on reclassification: a routed event naming the previous focal points, and a new SLA', () => {
    const routed = apply(officerCase());
    const reclassified = { ...routed, category: 'C06' as const, sensitivity: 'S2' as const };
    expect(mayNeedRouting(reclassified)).toBe(true);
    const plan = planRouting(reclassified, CONFIG, '2026-12-09T08:00:00.000Z');
    expect(plan?.next.routing?.focalPoints).toEqual(['misconduct-focal-point']);
    expect(plan?.next.sla).toMatchObject({ policyId: 's2', resolveBy: '2026-12-11T07:00:00.000Z' });
    expect(plan?.events).toEqual([
      expect.objectContaining({
        type: 'routed',
        data: expect.objectContaining({
          focalPoints: ['misconduct-focal-point'],
          previousFocalPoints: ['accountability-officer'],
          restricted: true,
        }),
      }),
    ]);
  });

  it('changes only the SLA (an updated event, no routed event) when a new priority keeps the focal points', () => {
    const routed = apply(officerCase());
    const plan = planRouting({ ...routed, urgency: 'urgent' }, CONFIG, AT);
    expect(plan?.next.routing?.focalPoints).toEqual(['accountability-officer']);
    expect(plan?.next.sla?.policyId).toBe('urgent');
    expect(plan?.events.map((e) => e.type)).toEqual(['updated']);
  });

  it('keeps the paused time and fired escalations when the policy changes', () => {
    const routed = apply(officerCase());
    const paused: Case = {
      ...routed,
      urgency: 'urgent',
      sla: { ...(routed.sla as NonNullable<Case['sla']>), pausedMs: 3_600_000, escalated: ['focal_point'] },
    };
    const next = planRouting(paused, CONFIG, AT)?.next;
    // Urgent: a first response within 4 working hours, plus the hour the clock stood still (Wed 10:00 + 5 h).
    expect(next?.sla).toMatchObject({
      policyId: 'urgent',
      acknowledgeBy: '2026-12-09T12:00:00.000Z',
      pausedMs: 3_600_000,
      escalated: ['focal_point'],
    });
  });

  it('falls back to the built-in SLA policies when no stored policy matches', () => {
    const plan = planRouting(officerCase(), { ...CONFIG, slaPolicies: [] }, AT);
    expect(plan?.slaPolicy).toEqual({ id: 'complaint', fallback: true });
  });

  it('records the problem and routes to nobody when an S3 case has no PSEA focal point', () => {
    const config = { ...CONFIG, focalPoints: CONFIG.focalPoints.filter((f) => f.kind !== 'psea') };
    const plan = planRouting(officerCase({ category: 'C07', sensitivity: 'S3' }), config, AT);
    expect(plan?.next.routing).toMatchObject({
      focalPoints: [],
      problem: 'ROUTING.NO_RESTRICTED_FOCAL_POINT',
    });
    expect(plan?.events[0]?.data).toMatchObject({
      problem: 'ROUTING.NO_RESTRICTED_FOCAL_POINT',
      focalPoints: [],
    });
  });

  it('tries an unrouted case again once a PSEA focal point exists, and changes nothing while none does', () => {
    const withoutPsea = { ...CONFIG, focalPoints: CONFIG.focalPoints.filter((f) => f.kind !== 'psea') };
    const unrouted = apply(officerCase({ category: 'C07', sensitivity: 'S3' }), withoutPsea);
    expect(mayNeedRouting(unrouted)).toBe(true);
    expect(planRouting(unrouted, withoutPsea, AT)).toBeUndefined();
    const plan = planRouting(unrouted, CONFIG, '2026-12-09T09:00:00.000Z');
    expect(plan?.next.routing).toMatchObject({
      focalPoints: ['psea-focal-point'],
      ruleId: 'psea-sexual-exploitation',
    });
    expect(plan?.next.routing?.problem).toBeUndefined();
    expect(plan?.events.map((e) => e.type)).toEqual(['routed']);
  });
});
