import { describe, expect, it } from 'vitest';
import { type Principal, PrincipalSchema } from '#shared/auth/principal.ts';
import {
  canExportCase,
  canReadCase,
  canSeePersonalData,
  listScope,
  reportsIncludeRestricted,
} from '#shared/cases/access.ts';
import type { Case } from '#shared/cases/case-schema.ts';

const who = (roles: Principal['roles'], extra: Partial<Principal> = {}): Principal =>
  PrincipalSchema.parse({ userId: `u-${roles.join('-')}`, roles, ...extra });

type Probe = Pick<Case, 'sensitivity' | 'routing' | 'location' | 'programme'>;
const probe = (extra: Partial<Probe> = {}): Probe => ({
  sensitivity: 'S0',
  location: { governorate: 'IQG15' },
  programme: 'durable-solutions',
  routing: {
    focalPoints: ['accountability-officer'],
    ruleId: 'default',
    routedAt: '2026-03-01T00:00:00.000Z',
  },
  ...extra,
});
const s3 = probe({
  sensitivity: 'S3',
  routing: { focalPoints: ['psea-focal-point'], ruleId: 'psea-s3', routedAt: '2026-03-01T00:00:00.000Z' },
});

describe('who may read a case', () => {
  it('lets operators, officers and psea read an ordinary case; not managers, nor admins outside break-glass', () => {
    expect(canReadCase(who(['operator']), probe())).toBe(true);
    expect(canReadCase(who(['officer']), probe())).toBe(true);
    expect(canReadCase(who(['psea']), probe())).toBe(true);
    expect(canReadCase(who(['manager']), probe())).toBe(false);
    expect(canReadCase(who(['admin']), probe())).toBe(false);
  });

  it('shows S2 and S3 cases only to psea and to the focal points they were routed to', () => {
    for (const sensitivity of ['S2', 'S3'] as const) {
      const c = { ...s3, sensitivity };
      expect(canReadCase(who(['operator']), c)).toBe(false);
      expect(canReadCase(who(['officer']), c)).toBe(false);
      expect(canReadCase(who(['officer'], { focalPointId: 'accountability-officer' }), c)).toBe(false);
      expect(canReadCase(who(['officer'], { focalPointId: 'psea-focal-point' }), c)).toBe(true);
      expect(canReadCase(who(['psea']), c)).toBe(true);
      expect(canReadCase(who(['manager', 'operator']), c)).toBe(false);
    }
    expect(canReadCase(who(['officer']), probe({ sensitivity: 'S1' }))).toBe(true);
  });

  it('keeps scoped officers to their governorates and programmes; an empty scope means all', () => {
    const ninewa = who(['officer'], { governorates: ['IQG15'] });
    const erbil = who(['officer'], { governorates: ['IQG07'] });
    const programme = who(['officer'], { programmes: ['community-stabilisation'] });
    expect(canReadCase(ninewa, probe())).toBe(true);
    expect(canReadCase(erbil, probe())).toBe(false);
    expect(canReadCase(programme, probe())).toBe(false);
    expect(canReadCase(ninewa, probe({ location: {} }))).toBe(false);
    expect(canReadCase(who(['officer']), probe({ location: {} }))).toBe(true);
    expect(canReadCase(who(['psea'], { governorates: ['IQG07'] }), probe())).toBe(true);
  });

  it('gives personal data, restricted reports and restricted export rows only to the roles with the right', () => {
    expect(canSeePersonalData(who(['operator']))).toBe(true);
    expect(canSeePersonalData(who(['manager']))).toBe(false);
    expect(canSeePersonalData(who(['admin']))).toBe(false);
    expect(reportsIncludeRestricted(who(['psea']))).toBe(true);
    expect(reportsIncludeRestricted(who(['officer', 'manager']))).toBe(false);
    expect(canExportCase(who(['manager']), s3)).toBe(false);
    expect(canExportCase(who(['officer'], { focalPointId: 'psea-focal-point' }), s3)).toBe(false);
    expect(canExportCase(who(['psea']), s3)).toBe(true);
    expect(canExportCase(who(['manager']), probe())).toBe(true);
  });

  it('lists read restricted partitions only for psea', () => {
    expect(listScope(who(['officer'], { governorates: ['IQG15'] }))).toEqual({
      includeRestricted: false,
      governorates: ['IQG15'],
      programmes: [],
    });
    expect(listScope(who(['psea'], { governorates: ['IQG15'] }))).toEqual({
      includeRestricted: true,
      governorates: [],
      programmes: [],
    });
  });
});
