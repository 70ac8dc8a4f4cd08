import { describe, expect, it } from 'vitest';
import {
  chooseFocalPoints,
  RESTRICTED_FALLBACK_RULE,
  type RoutingInput,
  UNROUTED_RULE,
} from '#shared/routing/select-focal-points.ts';
import { focalPoint, rule } from './fixtures.ts';

const FOCAL_POINTS = [
  focalPoint('general'),
  focalPoint('ninewa'),
  focalPoint('mosul'),
  focalPoint('cash'),
  focalPoint('ninewa-cash'),
  focalPoint('solutions'),
  focalPoint('fraud', 'fraud', true),
  focalPoint('psea', 'psea', true),
  focalPoint('supervisor', 'supervisor', true),
];

const RULES = [
  rule({ ruleId: 'default', isDefault: true, focalPoints: ['general'] }),
  rule({ ruleId: 'ninewa', match: { governorates: ['IQG15'] }, focalPoints: ['ninewa'] }),
  rule({ ruleId: 'mosul', match: { districts: ['IQG15Q05'] }, focalPoints: ['mosul'] }),
  rule({ ruleId: 'cash', match: { categories: ['C04'] }, focalPoints: ['cash'] }),
  rule({
    ruleId: 'ninewa-cash',
    match: { governorates: ['IQG15'], categories: ['C04'] },
    focalPoints: ['ninewa-cash'],
  }),
  rule({ ruleId: 'solutions', match: { programmes: ['durable-solutions'] }, focalPoints: ['solutions'] }),
  rule({
    ruleId: 'misconduct',
    priority: 50,
    match: { categories: ['C05', 'C06', 'C09'] },
    focalPoints: ['fraud'],
  }),
  rule({ ruleId: 's3', priority: 100, match: { sensitivities: ['S3'] }, focalPoints: ['psea'] }),
];

const input = (i: Partial<RoutingInput>): RoutingInput => ({ category: 'C03', sensitivity: 'S0', ...i });
const route = (i: Partial<RoutingInput>, rules = RULES, fps = FOCAL_POINTS) =>
  chooseFocalPoints(input(i), rules, fps);

describe('rule precedence', () => {
  it('a district rule beats a governorate rule, which beats the default', () => {
    expect(route({ governorate: 'IQG15', district: 'IQG15Q05' })).toMatchObject({
      ruleId: 'mosul',
      focalPoints: ['mosul'],
    });
    expect(route({ governorate: 'IQG15', district: 'IQG15Q08' })).toMatchObject({
      ruleId: 'ninewa',
      focalPoints: ['ninewa'],
    });
    expect(route({ governorate: 'IQG02' })).toMatchObject({ ruleId: 'default', focalPoints: ['general'] });
  });

  it('reads the governorate from the district P-code when only the district is known', () => {
    expect(route({ district: 'IQG15Q08' })).toMatchObject({ ruleId: 'ninewa' });
  });

  it('a category rule beats the default; with equal location, category breaks the tie', () => {
    expect(route({ category: 'C04', governorate: 'IQG02' })).toMatchObject({ ruleId: 'cash' });
    expect(route({ category: 'C04', governorate: 'IQG15' })).toMatchObject({ ruleId: 'ninewa-cash' });
  });

  it('location outranks category: a district rule wins over a governorate-and-category rule', () => {
    expect(route({ category: 'C04', governorate: 'IQG15', district: 'IQG15Q05' })).toMatchObject({
      ruleId: 'mosul',
    });
  });

  it('a programme rule beats the default and loses to a location rule', () => {
    expect(route({ programme: 'durable-solutions', governorate: 'IQG02' })).toMatchObject({
      ruleId: 'solutions',
    });
    expect(route({ programme: 'durable-solutions', governorate: 'IQG15' })).toMatchObject({
      ruleId: 'ninewa',
    });
  });

  it('breaks ties between equally specific rules by priority, then by rule id, whatever the stored order', () => {
    const a = rule({ ruleId: 'a-rule', match: { categories: ['C03'] }, focalPoints: ['cash'] });
    const b = rule({ ruleId: 'b-rule', match: { categories: ['C03'] }, focalPoints: ['solutions'] });
    const bHigh = rule({
      ruleId: 'b-rule',
      priority: 5,
      match: { categories: ['C03'] },
      focalPoints: ['solutions'],
    });
    expect(route({}, [b, a]).ruleId).toBe('a-rule');
    expect(route({}, [a, b]).ruleId).toBe('a-rule');
    expect(route({}, [a, bHigh]).ruleId).toBe('b-rule');
  });

  it('skips a rule whose focal points are all inactive', () => {
    const fps = FOCAL_POINTS.map((f) => (f.focalPointId === 'mosul' ? { ...f, active: false } : f));
    expect(route({ governorate: 'IQG15', district: 'IQG15Q05' }, RULES, fps)).toMatchObject({
      ruleId: 'ninewa',
    });
  });

  it('ignores inactive rules', () => {
    const rules = RULES.map((r) => (r.ruleId === 'mosul' ? { ...r, active: false } : r));
    expect(route({ governorate: 'IQG15', district: 'IQG15Q05' }, rules)).toMatchObject({ ruleId: 'ninewa' });
  });

  it('reports the problem when nothing matches and there is no default rule', () => {
    const rules = RULES.filter((r) => !r.isDefault);
    expect(route({ governorate: 'IQG02' }, rules)).toEqual({
      focalPoints: [],
      ruleId: UNROUTED_RULE,
      restricted: false,
      problem: 'ROUTING.NO_DEFAULT_RULE',
      withheld: [],
    });
  });
});

describe('restricted routing', () => {
  const generalIds = ['general', 'ninewa', 'mosul', 'cash', 'ninewa-cash', 'solutions'];

  it('sends an S2 case only to restricted focal points, even where a more specific general rule matches', () => {
    const d = route({ category: 'C06', sensitivity: 'S2', governorate: 'IQG15', district: 'IQG15Q05' });
    expect(d).toMatchObject({ ruleId: 'misconduct', focalPoints: ['fraud'], restricted: true });
  });

  it('sends an S3 case only to PSEA focal points, whichever category it carries', () => {
    expect(route({ category: 'C07', sensitivity: 'S3', governorate: 'IQG15' })).toMatchObject({
      ruleId: 's3',
      focalPoints: ['psea'],
    });
    // C05 matches the misconduct rule (fraud focal point), but S3 may go only to PSEA.
    expect(route({ category: 'C05', sensitivity: 'S3' })).toMatchObject({
      ruleId: 's3',
      focalPoints: ['psea'],
    });
  });

  it('withholds the general focal points a matching rule names and keeps the allowed ones', () => {
    const mixed = rule({
      ruleId: 'mixed',
      priority: 100,
      match: { categories: ['C06'] },
      focalPoints: ['ninewa', 'fraud'],
    });
    const d = route({ category: 'C06', sensitivity: 'S2' }, [...RULES, mixed]);
    expect(d.ruleId).toBe('mixed');
    expect(d.focalPoints).toEqual(['fraud']);
    expect(d.withheld).toEqual(['ninewa']);
  });

  it('never applies the default rule to a restricted case: falls back to the designated focal points', () => {
    const rules = RULES.filter((r) => r.ruleId !== 's3' && r.ruleId !== 'misconduct');
    expect(route({ category: 'C07', sensitivity: 'S3' }, rules)).toMatchObject({
      ruleId: RESTRICTED_FALLBACK_RULE,
      focalPoints: ['psea'],
    });
    expect(route({ category: 'C06', sensitivity: 'S2' }, rules)).toMatchObject({
      ruleId: RESTRICTED_FALLBACK_RULE,
      focalPoints: ['fraud'],
    });
  });

  it('routes to nobody, with ROUTING.NO_RESTRICTED_FOCAL_POINT, when no designated focal point exists', () => {
    const fps = FOCAL_POINTS.filter((f) => f.kind !== 'psea');
    const d = route({ category: 'C07', sensitivity: 'S3' }, RULES, fps);
    expect(d).toEqual({
      focalPoints: [],
      ruleId: UNROUTED_RULE,
      restricted: true,
      problem: 'ROUTING.NO_RESTRICTED_FOCAL_POINT',
      withheld: [],
    });
  });

  it('an inactive PSEA focal point is not designated', () => {
    const fps = FOCAL_POINTS.map((f) => (f.kind === 'psea' ? { ...f, active: false } : f));
    expect(route({ category: 'C07', sensitivity: 'S3' }, RULES, fps).focalPoints).toEqual([]);
  });

  it('no S2 or S3 case ever reaches a general focal point, over every category and location', () => {
    const locations = [
      {},
      { governorate: 'IQG02' },
      { governorate: 'IQG15' },
      { governorate: 'IQG15', district: 'IQG15Q05' },
    ];
    const categories = [null, 'C01', 'C02', 'C03', 'C04', 'C05', 'C06', 'C07', 'C08', 'C09', 'C10'] as const;
    for (const sensitivity of ['S2', 'S3'] as const) {
      for (const category of categories) {
        for (const location of locations) {
          for (const programme of [undefined, 'durable-solutions']) {
            const d = route({ category, sensitivity, programme, ...location });
            expect(d.focalPoints.length).toBeGreaterThan(0);
            for (const id of d.focalPoints) expect(generalIds).not.toContain(id);
            if (sensitivity === 'S3') expect(d.focalPoints).toEqual(['psea']);
          }
        }
      }
    }
  });
});
