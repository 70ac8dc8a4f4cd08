import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { principalFrom } from '#functions/lib/auth.ts';
import { chooseAgency } from '#shared/agencies/choose-agency.ts';
import { type Principal, PrincipalSchema } from '#shared/auth/principal.ts';
import { IRAQ_CALENDAR } from '#shared/calendar/iraq-calendar.ts';
import { canExportCase, canReadCase, listScope } from '#shared/cases/access.ts';
import { caseIndexAttributes } from '#shared/cases/case-keys.ts';
import { checkConfig } from '#shared/config/integrity.ts';
import { AgencySchema } from '#shared/config/schemas.ts';
import { aggKeys, contributionOf, isValuesKey } from '#shared/reports/aggregates.ts';
import { planRoute } from '#shared/routing/route-plan.ts';
import { chooseFocalPoints } from '#shared/routing/select-focal-points.ts';
import { DEFAULT_SLA_POLICIES } from '#shared/sla/default-policies.ts';
import { focalPoint, makeCase, officerCase, rule } from '../routing/fixtures.ts';

const agency = (r: Record<string, unknown>) => AgencySchema.parse({ name: 'An agency', ...r });
const AGENCIES = [
  agency({ agencyId: 'nrc', numbers: ['+964 770 000 0222'], programmes: ['shelter-2026'] }),
  agency({ agencyId: 'drc', governorates: ['IQG15'], districts: ['IQG09Q02'] }),
  agency({ agencyId: 'old', numbers: ['4455'], active: false }),
];

describe('which agency a new case belongs to', () => {
  it('takes the operator’s choice first, then the number, the programme, the place, else the default', () => {
    expect(chooseAgency({ chosen: 'drc', receivedOn: '+9647700000222' }, AGENCIES)).toEqual({
      agency: 'drc',
      basis: 'operator',
    });
    expect(
      chooseAgency({ receivedOn: '+9647700000222', location: { governorate: 'IQG15' } }, AGENCIES),
    ).toEqual({ agency: 'nrc', basis: 'number' });
    expect(chooseAgency({ receivedOn: 'whatsapp:+964 770 000 0222' }, AGENCIES).agency).toBe('nrc');
    expect(chooseAgency({ programme: 'shelter-2026', location: { governorate: 'IQG15' } }, AGENCIES)).toEqual(
      {
        agency: 'nrc',
        basis: 'programme',
      },
    );
    expect(chooseAgency({ location: { district: 'IQG15Q05' } }, AGENCIES)).toEqual({
      agency: 'drc',
      basis: 'place',
    });
    expect(chooseAgency({ location: { district: 'IQG09Q02' } }, AGENCIES).agency).toBe('drc');
    expect(
      chooseAgency({ receivedOn: '+9647000000000', location: { governorate: 'IQG09' } }, AGENCIES),
    ).toEqual({
      agency: 'default',
      basis: 'default',
    });
  });

  it('skips an inactive agency and answers the default with no agencies at all', () => {
    expect(chooseAgency({ receivedOn: '4455' }, AGENCIES)).toEqual({ agency: 'default', basis: 'default' });
    expect(chooseAgency({ receivedOn: '+9647700000222', programme: 'shelter-2026' }, [])).toEqual({
      agency: 'default',
      basis: 'default',
    });
  });
});

const who = (roles: Principal['roles'], extra: Record<string, unknown> = {}): Principal =>
  PrincipalSchema.parse({ userId: `u-${roles.join('-')}`, roles, ...extra });

describe('who sees a case of another agency', () => {
  const ofB = makeCase({ agency: 'agency-b', agencyBasis: 'number' });
  const legacy = makeCase();

  it('reads a case without an agency as the default agency’s, for users without one', () => {
    expect(canReadCase(who(['officer']), legacy)).toBe(true);
    expect(canReadCase(who(['officer']), ofB)).toBe(false);
    expect(canReadCase(who(['officer'], { agency: 'agency-b' }), ofB)).toBe(true);
    expect(canReadCase(who(['officer'], { agency: 'agency-b' }), legacy)).toBe(false);
  });

  it('keeps psea and designated focal points inside their agency for restricted cases', () => {
    const restricted = makeCase({
      agency: 'agency-b',
      sensitivity: 'S3',
      routing: { focalPoints: ['psea'], ruleId: 's3', routedAt: '2026-12-09T07:00:00.000Z' },
    });
    expect(canReadCase(who(['psea']), restricted)).toBe(false);
    expect(canReadCase(who(['psea'], { agency: 'agency-b' }), restricted)).toBe(true);
    expect(canReadCase(who(['officer'], { agency: 'agency-b' }), restricted)).toBe(false);
    expect(canReadCase(who(['officer'], { focalPointId: 'psea' }), restricted)).toBe(false);
    expect(canExportCase(who(['psea']), restricted)).toBe(false);
    expect(canExportCase(who(['officer'], { agency: 'agency-b' }), ofB)).toBe(true);
  });

  it('lists from the agency’s own index partitions; the default agency keeps the keys it always had', () => {
    expect(listScope(who(['officer'], { agency: 'agency-b' })).agency).toBe('agency-b');
    expect(listScope(who(['officer'])).agency).toBeUndefined();
    const b = caseIndexAttributes(ofB);
    const old = caseIndexAttributes(legacy);
    expect(b.gsi1pk).toBe('AG#agency-b#STATUS#new');
    expect(b.gsi3pk).toBe('AG#agency-b#MONTH#2026-12');
    expect(b.gsi5pk).toBe('AG#agency-b#OPEN');
    expect(old.gsi1pk).toBe('STATUS#new');
    expect(old.gsi3pk).toBe('MONTH#2026-12');
    expect(caseIndexAttributes(makeCase({ agency: 'default', agencyBasis: 'default' }))).toEqual(old);
  });
});

describe('the agency on the token', () => {
  const event = (claims: Record<string, unknown>) =>
    ({
      requestContext: { authorizer: { jwt: { claims: { sub: 'u1', ...claims } } } },
    }) as unknown as APIGatewayProxyEventV2;

  it('reads custom:agency, defaults it, and refuses a malformed one', () => {
    expect(principalFrom(event({ 'cognito:groups': '[officer]' }))).toMatchObject({
      agency: 'default',
      allAgencies: false,
    });
    expect(principalFrom(event({ 'cognito:groups': '[officer]', 'custom:agency': 'agency-b' }))?.agency).toBe(
      'agency-b',
    );
    expect(principalFrom(event({ 'cognito:groups': '[officer]', 'custom:agency': 'B B' }))).toBeUndefined();
  });

  it('gives deployment-wide reach (`*`) only to managers and admins', () => {
    expect(principalFrom(event({ 'cognito:groups': '[manager]', 'custom:agency': '*' }))).toMatchObject({
      allAgencies: true,
    });
    expect(principalFrom(event({ 'cognito:groups': '[officer]', 'custom:agency': '*' }))).toBeUndefined();
    expect(principalFrom(event({ 'cognito:groups': '[admin psea]', 'custom:agency': '*' }))).toBeUndefined();
  });
});

describe('routing per agency', () => {
  const FPS = [
    focalPoint('general'),
    focalPoint('psea', 'psea', true),
    { ...focalPoint('b-general'), agency: 'agency-b' },
    { ...focalPoint('b-psea', 'psea', true), agency: 'agency-b' },
  ];
  const RULES = [
    rule({ ruleId: 'default', isDefault: true, focalPoints: ['general'] }),
    rule({ ruleId: 'b-default', isDefault: true, agency: 'agency-b', focalPoints: ['b-general'] }),
  ];

  it('routes a case only by its agency’s rules to its agency’s focal points, fallbacks included', () => {
    expect(chooseFocalPoints({ category: 'C03', sensitivity: 'S0' }, RULES, FPS).focalPoints).toEqual([
      'general',
    ]);
    expect(
      chooseFocalPoints({ category: 'C03', sensitivity: 'S0', agency: 'agency-b' }, RULES, FPS).focalPoints,
    ).toEqual(['b-general']);
    expect(
      chooseFocalPoints({ category: 'C07', sensitivity: 'S3', agency: 'agency-b' }, RULES, FPS).focalPoints,
    ).toEqual(['b-psea']);
    expect(chooseFocalPoints({ category: 'C07', sensitivity: 'S3' }, RULES, FPS).focalPoints).toEqual([
      'psea',
    ]);
    expect(
      chooseFocalPoints({ category: 'C03', sensitivity: 'S0', agency: 'other' }, RULES, FPS),
    ).toMatchObject({
      focalPoints: [],
      problem: 'ROUTING.NO_DEFAULT_RULE',
    });
  });

  it('moves a new case to the agency of its place at its first routing, but never a routed or pinned one', () => {
    const config = {
      focalPoints: FPS,
      rules: RULES,
      slaPolicies: DEFAULT_SLA_POLICIES,
      calendar: IRAQ_CALENDAR,
      agencies: [agency({ agencyId: 'agency-b', governorates: ['IQG15'] })],
    };
    const fresh = officerCase({
      agency: 'default',
      agencyBasis: 'default',
      location: { governorate: 'IQG15' },
    });
    const planned = planRoute(fresh, fresh, [], config, '2026-12-09T08:00:00.000Z');
    expect(planned?.next).toMatchObject({ agency: 'agency-b', agencyBasis: 'place' });
    expect(planned?.next.routing?.focalPoints).toEqual(['b-general']);
    const dialled = officerCase({
      agency: 'default',
      agencyBasis: 'number',
      location: { governorate: 'IQG15' },
    });
    expect(planRoute(dialled, dialled, [], config, '2026-12-09T08:00:00.000Z')?.next.agency).toBe('default');
    const routed = {
      ...fresh,
      routing: { focalPoints: ['general'], ruleId: 'default', routedAt: fresh.receivedAt },
    };
    expect(planRoute(routed, routed, [], config, '2026-12-09T08:00:00.000Z')?.next.agency).toBe('default');
  });

  it('asks each agency with rules for exactly one default rule, and keeps rules to their agency’s focal points', () => {
    const codes = (rules: ReturnType<typeof rule>[]) => checkConfig(FPS, rules).map((p) => p.code);
    expect(codes(RULES)).toEqual([]);
    expect(codes([RULES[0] as ReturnType<typeof rule>])).toEqual([]);
    expect(codes([...RULES, rule({ ruleId: 'x', agency: 'agency-c', focalPoints: ['general'] })])).toEqual([
      'CONFIG.DEFAULT_RULE',
      'CONFIG.OTHER_AGENCY_FOCAL_POINT',
    ]);
  });
});

describe('report aggregates per agency', () => {
  it('counts an agency’s case under its own keys, and a default-agency case where it always was', () => {
    const closed = (extra: Record<string, unknown>) =>
      makeCase({
        status: 'closed',
        receivedAt: '2026-12-09T07:00:00.000Z',
        closedAt: '2026-12-10T07:00:00.000Z',
        ...extra,
      });
    const b = Object.keys(contributionOf(closed({ agency: 'agency-b' }), IRAQ_CALENDAR, 'federal'));
    const old = Object.keys(contributionOf(closed({}), IRAQ_CALENDAR, 'federal'));
    expect(old).toContain(`${aggKeys.item('all', '2026-12', '*', false).pk}|2026-12#*`);
    expect(old.some((k) => k.startsWith('AGG@'))).toBe(false);
    expect(b).toContain('AGG@agency-b#all#2026|2026-12#*');
    expect(b.every((k) => k.startsWith('AGG@agency-b#'))).toBe(true);
    expect(b.filter(isValuesKey)).toHaveLength(5);
    expect(old.filter(isValuesKey)).toHaveLength(5);
  });
});
