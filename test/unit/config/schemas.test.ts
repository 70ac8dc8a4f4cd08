import { describe, expect, it } from 'vitest';
import { FocalPointSchema, RoutingRuleSchema } from '#shared/config/schemas.ts';

const focalPoint = {
  focalPointId: 'psea-erbil',
  name: 'PSEA focal point, Erbil',
  kind: 'psea',
  restricted: true,
  channel: { type: 'email', address: 'psea.erbil@example.org' },
};

describe('FocalPointSchema', () => {
  it('accepts a focal point and defaults it to active', () => {
    expect(FocalPointSchema.parse(focalPoint)).toEqual({ ...focalPoint, active: true });
  });

  it('defaults restricted to false', () => {
    const general = { ...focalPoint, kind: 'general', restricted: undefined };
    expect(FocalPointSchema.parse(general).restricted).toBe(false);
  });

  it.each([
    ['a PSEA focal point that may not see restricted cases', { restricted: false }],
    ['an id with capitals or spaces', { focalPointId: 'PSEA Erbil' }],
    ['an unknown kind', { kind: 'director' }],
    ['a bad e-mail address', { channel: { type: 'email', address: 'not-an-address' } }],
    ['a phone number not in E.164 form', { channel: { type: 'sms', address: '07501234567' } }],
    ['a plain-http webhook', { channel: { type: 'https', address: 'http://hooks.example.org/x' } }],
    ['an unknown channel', { channel: { type: 'fax', address: '1' } }],
    ['escalating to itself', { escalatesTo: 'psea-erbil' }],
  ])('rejects %s', (_, patch) => {
    expect(FocalPointSchema.safeParse({ ...focalPoint, ...patch }).success).toBe(false);
  });

  it('accepts SMS, HTTPS and local-inbox channels', () => {
    for (const channel of [
      { type: 'sms', address: '+9647501234567' },
      { type: 'https', address: 'https://hooks.example.org/cfm' },
      { type: 'local', address: 'psea-erbil' },
    ]) {
      expect(FocalPointSchema.safeParse({ ...focalPoint, channel }).success).toBe(true);
    }
  });
});

describe('RoutingRuleSchema', () => {
  const rule = {
    ruleId: 'cash-ninewa',
    match: { categories: ['C04'], governorates: ['IQG15'], districts: ['IQG15Q05'], programmes: ['mpca'] },
    focalPoints: ['cash-officer'],
  };

  it('accepts a rule and fills the defaults', () => {
    expect(RoutingRuleSchema.parse(rule)).toEqual({ ...rule, priority: 0, isDefault: false, active: true });
  });

  it.each([
    ['a governorate that is not a P-code', { match: { governorates: ['Ninewa'] } }],
    ['a district that is not a P-code', { match: { districts: ['IQG15'] } }],
    ['an unknown category', { match: { categories: ['C99'] } }],
    ['an unknown sensitivity', { match: { sensitivities: ['S4'] } }],
    ['an empty list', { match: { categories: [] } }],
    ['no focal point', { focalPoints: [] }],
    ['a default rule with conditions', { isDefault: true }],
  ])('rejects %s', (_, patch) => {
    expect(RoutingRuleSchema.safeParse({ ...rule, ...patch }).success).toBe(false);
  });

  it('accepts a default rule without conditions', () => {
    expect(
      RoutingRuleSchema.safeParse({ ruleId: 'default', isDefault: true, focalPoints: ['x'] }).success,
    ).toBe(true);
  });
});
