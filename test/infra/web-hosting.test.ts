import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../infra/constructs/platform-function.ts';
import { envOf, platformFunctions, refId, resourcesOf, type Synthesized, synthPlatform } from './synth.ts';

const PUBLIC_DIR = join(PROJECT_ROOT, 'web', 'public');
/** Managed CloudFront policies, by the ids AWS publishes for them. */
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const ALL_VIEWER_EXCEPT_HOST_HEADER = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';
const WEB_DOMAIN = {
  webDomainName: 'cfm.example.org',
  webCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0',
};

let dev: Synthesized;
let prod: Synthesized;

beforeAll(() => {
  dev = synthPlatform('dev', { webPublicDir: PUBLIC_DIR });
  prod = synthPlatform('prod');
});

type Props = Record<string, unknown>;
const distributionOf = (s: Synthesized) => {
  const found = Object.entries(resourcesOf(s.statelessTemplate, 'AWS::CloudFront::Distribution'));
  expect(found).toHaveLength(1);
  const [id, d] = found[0]!;
  return { id, config: d.Properties.DistributionConfig as Props };
};
const cspOf = (s: Synthesized): string => {
  const policy = Object.values(
    resourcesOf(s.statelessTemplate, 'AWS::CloudFront::ResponseHeadersPolicy'),
  )[0]!;
  const csp = (
    (policy.Properties.ResponseHeadersPolicyConfig as Props).SecurityHeadersConfig as {
      ContentSecurityPolicy: { ContentSecurityPolicy: unknown };
    }
  ).ContentSecurityPolicy.ContentSecurityPolicy;
  // Resolved as CloudFormation would in me-central-1, account 123456789012: the pseudo parameters, and the one
  // value from the stateful stack, the sign-in domain's prefix.
  const parts = (csp as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
  return parts
    .map((p) => {
      if (typeof p === 'string') return p;
      if ((p as Props)['Fn::GetStackOutput']) return `cfm-${s.config.stage}-staff-123456789012`;
      return ({ 'AWS::Region': 'me-central-1', 'AWS::URLSuffix': 'amazonaws.com' } as Record<string, string>)[
        (p as { Ref: string }).Ref
      ];
    })
    .join('');
};

describe('one origin for pages and API, through CloudFront', () => {
  it('keeps the site bucket private, encrypted and TLS-only, read by CloudFront through OAC', () => {
    const t = dev.statelessTemplate;
    for (const [id, b] of Object.entries(resourcesOf(t, 'AWS::S3::Bucket'))) {
      expect({ id, pab: b.Properties.PublicAccessBlockConfiguration }).toEqual({
        id,
        pab: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
      });
      expect(b.Properties.BucketEncryption).toBeDefined();
    }
    const policies = Object.values(resourcesOf(t, 'AWS::S3::BucketPolicy')).map((p) =>
      JSON.stringify(p.Properties),
    );
    expect(policies.every((p) => p.includes('aws:SecureTransport'))).toBe(true);
    expect(policies.some((p) => p.includes('cloudfront.amazonaws.com'))).toBe(true);
    t.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    const { config } = distributionOf(dev);
    expect(config.DefaultRootObject).toBe('index.html');
    const behaviour = config.DefaultCacheBehavior as Props;
    expect(behaviour.ViewerProtocolPolicy).toBe('redirect-to-https');
    const origins = config.Origins as Props[];
    const s3 = origins.find((o) => o.Id === behaviour.TargetOriginId)!;
    expect(s3.OriginAccessControlId).toBeDefined();
  });

  it('forwards /api/* uncached, with every method and all but the Host header, over TLS 1.2 to the HTTP API', () => {
    const { config } = distributionOf(dev);
    const behaviours = config.CacheBehaviors as Props[];
    expect(behaviours.map((b) => b.PathPattern)).toEqual(['/api/*']);
    const api = behaviours[0]!;
    expect(api.CachePolicyId).toBe(CACHING_DISABLED);
    expect(api.OriginRequestPolicyId).toBe(ALL_VIEWER_EXCEPT_HOST_HEADER);
    expect(api.ViewerProtocolPolicy).toBe('https-only');
    expect(api.AllowedMethods).toEqual(
      expect.arrayContaining(['GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'OPTIONS']),
    );
    expect(api.FunctionAssociations).toBeUndefined();
    const origin = (config.Origins as Props[]).find((o) => o.Id === api.TargetOriginId)!;
    expect(origin.CustomOriginConfig).toEqual({
      OriginProtocolPolicy: 'https-only',
      OriginSSLProtocols: ['TLSv1.2'],
    });
    const apiId = Object.keys(resourcesOf(dev.statelessTemplate, 'AWS::ApiGatewayV2::Api'))[0]!;
    expect(origin.DomainName).toEqual({
      'Fn::Join': [
        '',
        [{ Ref: apiId }, '.execute-api.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }],
      ],
    });
  });

  it('sends a CSP without any execute-api host or wildcard host: the API is the page’s own origin', () => {
    for (const s of [dev, prod]) {
      const csp = cspOf(s);
      expect(csp).not.toContain('execute-api');
      expect(csp).not.toMatch(/https?:\/\/\*/);
      expect(csp).toContain(
        `connect-src 'self' https://cognito-idp.me-central-1.amazonaws.com https://cfm-${s.config.stage}-staff-123456789012.auth.me-central-1.amazoncognito.com;`,
      );
      expect(csp).toContain("form-action 'self';");
      expect(csp).toContain("script-src 'self';");
      expect(csp).toContain("frame-ancestors 'none'");
    }
  });

  it('adds security headers: HSTS, CSP, frame options, referrer policy, nosniff', () => {
    dev.statelessTemplate.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: Match.objectLike({
          StrictTransportSecurity: Match.objectLike({ AccessControlMaxAgeSec: Match.anyValue() }),
          ContentSecurityPolicy: Match.objectLike({ ContentSecurityPolicy: Match.anyValue() }),
          FrameOptions: { FrameOption: 'DENY', Override: true },
          ReferrerPolicy: Match.objectLike({ ReferrerPolicy: 'no-referrer' }),
          ContentTypeOptions: { Override: true },
        }),
      }),
    });
  });
});

describe('staff sign-in', () => {
  it('gives the console a public client that signs in on Cognito’s pages (code and PKCE) and comes back to /console/', () => {
    const { id: cdn } = distributionOf(prod);
    const clients = Object.entries(resourcesOf(prod.statelessTemplate, 'AWS::Cognito::UserPoolClient'));
    expect(clients).toHaveLength(1);
    const [clientId, client] = clients[0]!;
    const consoleUrl = { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [cdn, 'DomainName'] }, '/console/']] };
    expect(client.Properties).toMatchObject({
      ClientName: 'cfm-prod-console',
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      CallbackURLs: [consoleUrl],
      LogoutURLs: [consoleUrl],
      SupportedIdentityProviders: ['COGNITO'],
      PreventUserExistenceErrors: 'ENABLED',
    });
    expect(client.Properties.ExplicitAuthFlows).toEqual(expect.arrayContaining(['ALLOW_USER_SRP_AUTH']));
    // Staff read their scope but may not change it: governorates, programmes and focal point are set by admins.
    expect((client.Properties.WriteAttributes as string[]).filter((a) => a.startsWith('custom:'))).toEqual(
      [],
    );
    expect(client.Properties.ReadAttributes).toEqual(
      expect.arrayContaining([
        'custom:governorates',
        'custom:programmes',
        'custom:focalPointId',
        'custom:agency',
      ]),
    );
    // The API accepts tokens issued to this client only.
    const authorizer = Object.values(
      resourcesOf(prod.statelessTemplate, 'AWS::ApiGatewayV2::Authorizer'),
    )[0]!;
    expect((authorizer.Properties.JwtConfiguration as { Audience: unknown[] }).Audience).toEqual([
      { Ref: clientId },
    ]);
  });

  it('with a custom domain, sends staff back to it', () => {
    const s = synthPlatform('prod', { context: WEB_DOMAIN });
    const client = Object.values(resourcesOf(s.statelessTemplate, 'AWS::Cognito::UserPoolClient'))[0]!;
    expect(client.Properties.CallbackURLs).toEqual(['https://cfm.example.org/console/']);
  });
});

describe('TLS', () => {
  it('without a custom domain uses the default *.cloudfront.net certificate (CloudFront fixes its policy at TLSv1)', () => {
    const { config } = distributionOf(prod);
    expect(config.Aliases).toBeUndefined();
    const cert = config.ViewerCertificate as Props | undefined;
    expect(cert?.AcmCertificateArn).toBeUndefined();
  });

  it('with webDomainName and webCertificateArn requires TLSv1.2_2021 over SNI on that name', () => {
    const s = synthPlatform('prod', { context: WEB_DOMAIN });
    const { config } = distributionOf(s);
    expect(config.Aliases).toEqual(['cfm.example.org']);
    expect(config.ViewerCertificate).toEqual({
      AcmCertificateArn: WEB_DOMAIN.webCertificateArn,
      MinimumProtocolVersion: 'TLSv1.2_2021',
      SslSupportMethod: 'sni-only',
    });
  });

  it('refuses a domain without its certificate, and a certificate outside us-east-1', () => {
    expect(() => synthPlatform('dev', { context: { webDomainName: 'cfm.example.org' } })).toThrow(
      /webDomainName and webCertificateArn go together/,
    );
    expect(() =>
      synthPlatform('dev', {
        context: {
          ...WEB_DOMAIN,
          webCertificateArn: WEB_DOMAIN.webCertificateArn.replace('us-east-1', 'me-central-1'),
        },
      }),
    ).toThrow(/context webCertificateArn: must be an ACM certificate ARN in us-east-1/);
  });
});

describe('CONSOLE_URL', () => {
  it('is the console on the CloudFront site, on every function that builds the platform, while PUBLIC_BASE_URL stays the API', () => {
    const { id } = distributionOf(dev);
    const apiId = Object.keys(resourcesOf(dev.statelessTemplate, 'AWS::ApiGatewayV2::Api'))[0]!;
    const platform = [...platformFunctions(dev)].filter(([, f]) => 'TABLE_NAME' in envOf(f.props));
    expect(platform.length).toBeGreaterThan(10);
    for (const [name, { props }] of platform) {
      const env = envOf(props);
      expect({ name, console: env.CONSOLE_URL }).toEqual({
        name,
        console: { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [id, 'DomainName'] }, '/console/']] },
      });
      expect(JSON.stringify(env.PUBLIC_BASE_URL)).toContain(apiId);
    }
  });

  it('is the custom domain when one is given', () => {
    const s = synthPlatform('prod', { context: WEB_DOMAIN });
    expect(envOf(platformFunctions(s).get('router')!.props).CONSOLE_URL).toBe(
      'https://cfm.example.org/console/',
    );
    s.statelessTemplate.hasOutput('ConsoleUrl', { Value: 'https://cfm.example.org/console/' });
  });
});

describe('the viewer-request function serves pages as the local stack does', () => {
  const rewrite = (s: Synthesized) => {
    const fn = Object.values(resourcesOf(s.statelessTemplate, 'AWS::CloudFront::Function'))[0]!;
    const code = fn.Properties.FunctionCode as string;
    const handler = runInNewContext(`${code}\nhandler`) as (e: { request: { uri: string } }) => {
      uri?: string;
      statusCode?: number;
      headers?: { location: { value: string } };
    };
    // The request CloudFront goes on with (its uri), or the answer the function gives instead ("301 <location>").
    return (uri: string) => {
      const out = handler({ request: { uri } });
      return out.statusCode ? `${out.statusCode} ${out.headers?.location.value}` : out.uri;
    };
  };

  it('maps folders to their index.html (redirecting to add the slash) and extensionless public pages to their .html file', () => {
    const to = rewrite(dev);
    expect(to('/')).toBe('/index.html');
    expect(to('/complaint')).toBe('/complaint.html');
    expect(to('/status')).toBe('/status.html');
    expect(to('/ar/')).toBe('/ar/index.html');
    expect(to('/ckb')).toBe('301 /ckb/');
    expect(to('/en/status')).toBe('/en/status.html');
    expect(to('/console')).toBe('301 /console/');
    expect(to('/console/')).toBe('/console/index.html');
    expect(to('/assets/public.js')).toBe('/assets/public.js');
    expect(to('/console/assets/index-abc123.js')).toBe('/console/assets/index-abc123.js');
  });
});

describe('deployment of the web content', () => {
  it('deploys nothing when neither the public pages nor the console were found', () => {
    expect(prod.stateless.web.deploysConsole).toBe(false);
    expect(prod.stateless.web.deploysPublicPages).toBe(false);
    expect(Object.keys(resourcesOf(prod.statelessTemplate, 'Custom::CDKBucketDeployment'))).toEqual([]);
  });

  it('deploys the public pages at / (leaving /console/ alone) and the console with its config.json under /console/', () => {
    const dist = mkdtempSync(join(tmpdir(), 'cfm-web-dist-'));
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>console</title>');
    const withWeb = synthPlatform('dev', { webDistDir: dist, webPublicDir: PUBLIC_DIR });
    const deployments = Object.values(
      resourcesOf(withWeb.statelessTemplate, 'Custom::CDKBucketDeployment'),
    ).map((d) => d.Properties);
    expect(deployments).toHaveLength(2);
    const pages = deployments.find((d) => d.DestinationBucketKeyPrefix === undefined)!;
    expect(pages.Exclude).toEqual(['console/*']);
    expect(pages.Prune).toBe(true);
    const consoleApp = deployments.find((d) => d.DestinationBucketKeyPrefix === 'console/')!;
    expect(consoleApp.DistributionPaths).toEqual(['/console/*']);
    // config.json's values are deploy-time markers: the user pool, the console client, the sign-in domain and the
    // site; no API URL (same origin).
    const markers = JSON.stringify(consoleApp.SourceMarkers);
    expect(markers).toMatch(/RefStaff[0-9A-F]{8}/);
    expect(markers).toMatch(/"Ref":"ConsoleClient[0-9A-F]{8}"/);
    expect(markers).toMatch(/RefStaffSignIn[0-9A-F]{8}/);
    expect(markers).toMatch(/"WebCdn[0-9A-F]{8}","DomainName"/);
    expect(markers).not.toContain('ApiEndpoint');
    expect(refId(consoleApp.DestinationBucketName)).toBe(refId(pages.DestinationBucketName));
  });
});

describe('tags', () => {
  it('tags the platform’s resources with project and stage, but not the types some regions refuse Tags on', () => {
    for (const s of [dev, prod]) {
      for (const type of ['AWS::CloudWatch::Dashboard', 'AWS::CloudFront::Function']) {
        for (const r of Object.values(resourcesOf(s.statelessTemplate, type))) {
          expect({ type, tags: r.Properties.Tags }).toEqual({ type, tags: undefined });
        }
      }
      const tagged = [
        ...['AWS::CloudFront::Distribution', 'AWS::SQS::Queue', 'AWS::CloudWatch::Alarm'].flatMap((type) =>
          Object.values(resourcesOf(s.statelessTemplate, type)).map((r) => r.Properties),
        ),
        ...[...platformFunctions(s).values()].map((f) => f.props),
      ];
      for (const props of tagged) {
        expect(props.Tags).toEqual(
          expect.arrayContaining([
            { Key: 'project', Value: 'cfm' },
            { Key: 'stage', Value: s.config.stage },
          ]),
        );
      }
    }
  });
});
