import { beforeAll, describe, expect, it } from 'vitest';
import { ROUTES, routeKey } from '#functions/routes.ts';
import { resourcesOf, type Synthesized, synthPlatform } from './synth.ts';

type Settings = { ThrottlingRateLimit: number; ThrottlingBurstLimit: number };

const stages: Partial<Record<'dev' | 'prod', Synthesized>> = {};

beforeAll(() => {
  stages.dev = synthPlatform('dev');
  stages.prod = synthPlatform('prod');
});

function stageOf(s: Synthesized) {
  const found = Object.entries(resourcesOf(s.statelessTemplate, 'AWS::ApiGatewayV2::Stage'));
  expect(found).toHaveLength(1);
  const [id, stage] = found[0]!;
  return { id, stage, routeSettings: stage.Properties.RouteSettings as Record<string, Settings> };
}

const keysWhere = (pred: (r: (typeof ROUTES)[number]) => boolean) => ROUTES.filter(pred).map(routeKey);
const WEBHOOKS = keysWhere((r) => r.path.startsWith('/webhooks/twilio/'));
const PUBLIC_SUBMIT = ['POST /api/public/complaints'];
const PUBLIC_LOOKUP = ['GET /api/public/complaints/{reference}', 'POST /api/public/complaints/status'];
const STAFF = keysWhere((r) => r.auth !== 'public');

describe.each(['dev', 'prod'] as const)('per-route throttles on the $default stage (%s)', (stage) => {
  const get = () => stages[stage]!;

  it('gives every route of ROUTES its own throttle as a route setting, and no setting to a route that does not exist', () => {
    const { routeSettings } = stageOf(get());
    expect(Object.keys(routeSettings).sort()).toEqual(ROUTES.map(routeKey).sort());
    for (const [key, settings] of Object.entries(routeSettings)) {
      expect({ key, keys: Object.keys(settings).sort() }).toEqual({
        key,
        keys: ['ThrottlingBurstLimit', 'ThrottlingRateLimit'],
      });
      expect(settings.ThrottlingBurstLimit).toBeGreaterThanOrEqual(settings.ThrottlingRateLimit);
    }
  });

  it('lets Twilio webhooks through at a higher rate than the public form, and each webhook route alike', () => {
    const { routeSettings } = stageOf(get());
    expect(WEBHOOKS).toHaveLength(4);
    const webhook = routeSettings[WEBHOOKS[0]!]!;
    for (const key of WEBHOOKS)
      expect({ key, settings: routeSettings[key] }).toEqual({ key, settings: webhook });
    const form = routeSettings[PUBLIC_SUBMIT[0]!]!;
    expect(webhook.ThrottlingRateLimit).toBeGreaterThanOrEqual(5 * form.ThrottlingRateLimit);
    expect(webhook.ThrottlingBurstLimit).toBeGreaterThanOrEqual(5 * form.ThrottlingBurstLimit);
    // Twilio sends bursts (a batch of status callbacks after the notifier's sends): a burst of at least 20.
    expect(webhook.ThrottlingBurstLimit).toBeGreaterThanOrEqual(20);
  });

  it('keeps the public form low, the status look-up apart from it, and staff routes on their own setting', () => {
    const { routeSettings } = stageOf(get());
    const form = routeSettings[PUBLIC_SUBMIT[0]!]!;
    const lookup = routeSettings[PUBLIC_LOOKUP[0]!]!;
    expect(form.ThrottlingRateLimit).toBeLessThanOrEqual(5);
    expect(lookup.ThrottlingRateLimit).toBeLessThanOrEqual(10);
    // The no-JavaScript status form posts, but it is a look-up: throttled with the look-ups, apart from the form.
    for (const key of PUBLIC_LOOKUP)
      expect({ key, settings: routeSettings[key] }).toEqual({ key, settings: lookup });
    expect(lookup).not.toEqual(form);
    expect(STAFF).toHaveLength(23);
    const staff = routeSettings[STAFF[0]!]!;
    for (const key of STAFF) expect({ key, settings: routeSettings[key] }).toEqual({ key, settings: staff });
    expect(staff.ThrottlingRateLimit).toBeGreaterThan(form.ThrottlingRateLimit);
  });

  it('gives the stage default (any route without a setting) the tightest public throttle', () => {
    const { stage: s, routeSettings } = stageOf(get());
    const defaults = s.Properties.DefaultRouteSettings as Settings;
    const lowest = Math.min(...Object.values(routeSettings).map((r) => r.ThrottlingRateLimit));
    expect(defaults.ThrottlingRateLimit).toBe(lowest);
  });

  it('creates the stage after every route, as CloudFormation requires for route settings', () => {
    const { stage: s } = stageOf(get());
    const routeIds = Object.keys(resourcesOf(get().statelessTemplate, 'AWS::ApiGatewayV2::Route'));
    expect(routeIds).toHaveLength(ROUTES.length);
    const dependsOn = new Set(s.DependsOn as string[]);
    expect(routeIds.filter((id) => !dependsOn.has(id))).toEqual([]);
  });
});

it('throttles prod webhooks and staff routes higher than dev, the public form in both low', () => {
  const dev = stageOf(stages.dev!).routeSettings;
  const prod = stageOf(stages.prod!).routeSettings;
  expect(prod[WEBHOOKS[0]!]!.ThrottlingRateLimit).toBeGreaterThan(dev[WEBHOOKS[0]!]!.ThrottlingRateLimit);
  expect(prod[STAFF[0]!]!.ThrottlingRateLimit).toBeGreaterThan(dev[STAFF[0]!]!.ThrottlingRateLimit);
});
