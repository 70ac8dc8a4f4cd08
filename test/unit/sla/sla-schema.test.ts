import { describe, expect, it } from 'vitest';
import { DEFAULT_SLA_POLICIES } from '#shared/sla/default-policies.ts';
import { SlaPolicySchema } from '#shared/sla/sla-schema.ts';

const valid = {
  id: 'p',
  name: 'P',
  clock: 'working',
  acknowledgeWithin: { workingDays: 1 },
  resolveWithin: { ms: 3_600_000 },
  warnBeforeMs: 0,
  escalation: [{ level: 'focal_point', after: { ms: 0 } }],
};

describe('SlaPolicySchema', () => {
  it('accepts a policy and fills the defaults', () => {
    expect(SlaPolicySchema.parse(valid)).toMatchObject({ match: {}, priority: 0, active: true });
  });

  it.each([
    ['working days on a 24x7 clock', { clock: '24x7' }],
    ['a negative target', { resolveWithin: { ms: -1 } }],
    ['a target that is both kinds', { resolveWithin: { ms: 1, workingDays: 1 } }],
    ['an unknown escalation level', { escalation: [{ level: 'director', after: { ms: 0 } }] }],
    [
      'a repeated escalation level',
      {
        escalation: [
          { level: 'supervisor', after: { ms: 0 } },
          { level: 'supervisor', after: { ms: 1 } },
        ],
      },
    ],
    ['an empty match list', { match: { types: [] } }],
    ['an unknown category', { match: { categories: ['C11'] } }],
  ])('rejects %s', (_, patch) => {
    expect(SlaPolicySchema.safeParse({ ...valid, ...patch }).success).toBe(false);
  });
});

describe('DEFAULT_SLA_POLICIES', () => {
  it('has the design table rows plus a catch-all, with unique ids', () => {
    const ids = DEFAULT_SLA_POLICIES.map((p) => p.id);
    expect(ids).toEqual(['s3', 's2', 'urgent', 'complaint', 'question', 'feedback', 'default']);
  });

  it('runs the S2 and S3 clocks 24/7 and the others on working time', () => {
    const clocks = Object.fromEntries(DEFAULT_SLA_POLICIES.map((p) => [p.id, p.clock]));
    expect(clocks).toEqual({
      s3: '24x7',
      s2: '24x7',
      urgent: 'working',
      complaint: 'working',
      question: 'working',
      feedback: 'working',
      default: 'working',
    });
  });
});
