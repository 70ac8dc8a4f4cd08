import { describe, expect, it } from 'vitest';
import { defaultConfig } from '#shared/config/defaults.ts';
import { checkConfig, escalationTarget } from '#shared/config/integrity.ts';

describe('defaultConfig', () => {
  const config = defaultConfig();
  const rule = (id: string) => config.routingRules.find((r) => r.ruleId === id);
  const kindOf = (id: string) => config.focalPoints.find((f) => f.focalPointId === id)?.kind;

  it('hangs together', () => {
    expect(checkConfig(config.focalPoints, config.routingRules)).toEqual([]);
  });

  it('seeds the five focal points with their escalation chain', () => {
    expect(config.focalPoints.map((f) => [f.focalPointId, f.kind, f.restricted, f.escalatesTo])).toEqual([
      ['accountability-officer', 'general', false, 'cfm-supervisor'],
      ['psea-focal-point', 'psea', true, 'cfm-supervisor'],
      ['misconduct-focal-point', 'fraud', true, 'cfm-supervisor'],
      ['cfm-supervisor', 'supervisor', true, 'programme-manager'],
      ['programme-manager', 'programme_manager', true, undefined],
    ]);
  });

  it('sends C07 and S3 to the PSEA focal point, C05/C06/C09 and S2 to the misconduct focal point', () => {
    expect(rule('psea-sexual-exploitation')?.match).toEqual({ categories: ['C07'] });
    expect(rule('psea-s3')?.match).toEqual({ sensitivities: ['S3'] });
    expect(kindOf(rule('psea-s3')!.focalPoints[0]!)).toBe('psea');
    expect(rule('misconduct-categories')?.match).toEqual({ categories: ['C05', 'C06', 'C09'] });
    expect(rule('misconduct-s2')?.match).toEqual({ sensitivities: ['S2'] });
    expect(kindOf(rule('misconduct-s2')!.focalPoints[0]!)).toBe('fraud');
    expect(config.routingRules.filter((r) => r.isDefault).map((r) => r.focalPoints)).toEqual([
      ['accountability-officer'],
    ]);
  });

  it('uses the notification channel it is given', () => {
    const c = defaultConfig({ channelFor: (id) => ({ type: 'email', address: `${id}@example.org` }) });
    expect(c.focalPoints[0]?.channel).toEqual({
      type: 'email',
      address: 'accountability-officer@example.org',
    });
  });

  it('includes the SLA policies and the Iraq calendar', () => {
    expect(config.slaPolicies.map((p) => p.id)).toContain('s3');
    expect(config.calendars.map((c) => c.id)).toEqual(['iraq']);
  });
});

describe('checkConfig', () => {
  const { focalPoints, routingRules } = defaultConfig();

  it('finds a restricted rule pointing at an unrestricted focal point', () => {
    const bad = routingRules.map((r) =>
      r.ruleId === 'psea-sexual-exploitation' ? { ...r, focalPoints: ['accountability-officer'] } : r,
    );
    expect(checkConfig(focalPoints, bad).map((p) => p.code)).toEqual(['CONFIG.RESTRICTED_TO_UNRESTRICTED']);
  });

  it('finds unknown focal points, loops and a missing default', () => {
    const fps = focalPoints.map((f) =>
      f.focalPointId === 'programme-manager' ? { ...f, escalatesTo: 'cfm-supervisor' } : f,
    );
    const rules = routingRules
      .filter((r) => !r.isDefault)
      .map((r) => (r.ruleId === 'misconduct-s2' ? { ...r, focalPoints: ['nobody'] } : r));
    const codes = checkConfig(fps, rules).map((p) => p.code);
    expect(codes).toContain('CONFIG.ESCALATION_LOOP');
    expect(codes).toContain('CONFIG.UNKNOWN_FOCAL_POINT');
    expect(codes).toContain('CONFIG.DEFAULT_RULE');
  });
});

describe('escalationTarget', () => {
  const { focalPoints } = defaultConfig();
  const target = (id: string, level: 'focal_point' | 'supervisor' | 'programme_manager', fps = focalPoints) =>
    escalationTarget(fps, id, level)?.focalPointId;

  it('walks up the chain one step a level', () => {
    expect(target('psea-focal-point', 'focal_point')).toBe('psea-focal-point');
    expect(target('psea-focal-point', 'supervisor')).toBe('cfm-supervisor');
    expect(target('psea-focal-point', 'programme_manager')).toBe('programme-manager');
  });

  it('stops at the top of a short chain and skips people who are inactive', () => {
    expect(target('cfm-supervisor', 'programme_manager')).toBe('programme-manager');
    const away = focalPoints.map((f) => (f.focalPointId === 'cfm-supervisor' ? { ...f, active: false } : f));
    expect(target('accountability-officer', 'supervisor', away)).toBe('programme-manager');
    expect(target('nobody', 'supervisor')).toBeUndefined();
  });
});
