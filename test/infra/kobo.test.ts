import { describe, expect, it } from 'vitest';
import { envOf, platformFunctions, resourcesOf, synthPlatform } from './synth.ts';

type Settings = { ThrottlingRateLimit: number; ThrottlingBurstLimit: number };

const routeSettingsOf = (s: ReturnType<typeof synthPlatform>) => {
  const [stage] = Object.values(resourcesOf(s.statelessTemplate, 'AWS::ApiGatewayV2::Stage'));
  return stage!.Properties.RouteSettings as Record<string, Settings>;
};

describe('KoboToolbox field forms in the CDK app', () => {
  it('routes POST /webhooks/kobo/submission to its own function, throttled on its own as the webhooks are', () => {
    const s = synthPlatform('prod');
    const settings = routeSettingsOf(s);
    const kobo = settings['POST /webhooks/kobo/submission'];
    expect(kobo).toBeDefined();
    // Its own bucket, at the webhooks' figures: a field team syncing a day's forms cannot take the gateway's share.
    expect(kobo).toEqual(settings['POST /webhooks/gateway/sms']);
    expect(kobo!.ThrottlingRateLimit).toBeGreaterThan(
      settings['POST /api/public/complaints']!.ThrottlingRateLimit,
    );
    expect(platformFunctions(s).has('kobo')).toBe(true);
  });

  it('is off unless the stage names the REST Service user (context koboUsername)', () => {
    for (const [name, { props }] of platformFunctions(synthPlatform('dev'))) {
      expect({ name, kobo: envOf(props).KOBO_USERNAME }).toEqual({ name, kobo: undefined });
    }
    const on = platformFunctions(synthPlatform('dev', { context: { koboUsername: 'kobo-iq' } }));
    expect(envOf(on.get('kobo')!.props).KOBO_USERNAME).toBe('kobo-iq');
    // The secret (koboSecret) stays in Secrets Manager: no function's environment carries it.
    for (const [name, { props }] of on) {
      expect({ name, secret: JSON.stringify(envOf(props)).includes('koboSecret') }).toEqual({
        name,
        secret: false,
      });
    }
  });

  it('refuses a user name basic authentication cannot carry', () => {
    expect(() => synthPlatform('dev', { context: { koboUsername: 'kobo:iq' } })).toThrow(/koboUsername/);
  });
});
