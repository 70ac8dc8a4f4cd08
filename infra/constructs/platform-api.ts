import { Duration, Stack } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  type CfnStage,
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpRoute,
  HttpRouteKey,
  type HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { ROUTES, type RouteGroup, type RouteSpec, routeKey } from '#functions/routes.ts';
import { nameFor, type RouteClass, type StageConfig } from '../config.ts';

export interface PlatformApiProps {
  config: StageConfig;
  userPool: IUserPool;
  /**
   * Browser origins allowed to call the API from elsewhere. The console and web form call it through CloudFront
   * on their own origin and need none; an empty list sends no CORS headers at all.
   */
  corsOrigins: string[];
}

/** The status form's post (no JavaScript): a look-up, throttled with the look-ups, not with the submissions. */
const isStatusLookup = (spec: RouteSpec) => spec.path === '/api/public/complaints/status';

/**
 * Which throttle a route gets. Twilio's webhooks have a class of their own so that a flood on the public form
 * cannot take their share (docs/deploy.md, "What happens under a flood").
 */
export function routeClassOf(spec: RouteSpec): RouteClass {
  if (spec.group.startsWith('twilio-') || spec.group === 'gateway-sms' || spec.group === 'kobo')
    return 'webhooks';
  if (spec.group === 'public-complaints')
    return spec.method === 'GET' || isStatusLookup(spec) ? 'publicLookup' : 'publicSubmit';
  if (spec.auth === 'public') return 'meta';
  return 'staff';
}

/** A stable construct id for a route: `GET /api/cases/{id}` → `Route-GET-api-cases-id`. */
const routeConstructId = (spec: RouteSpec): string =>
  `Route-${spec.method}-${spec.path.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '')}`;

/** Why each public route needs no token; shown in the cdk-nag suppression of that route. */
const PUBLIC_ROUTE_REASONS: Record<string, string> = {
  health: 'liveness probe, answers without touching data',
  'twilio-sms':
    'Twilio webhook: authenticated by the X-Twilio-Signature HMAC, checked in the handler (403 without it)',
  'twilio-voice':
    'Twilio webhook: authenticated by the X-Twilio-Signature HMAC, checked in the handler (403 without it)',
  'twilio-status':
    'Twilio webhook: authenticated by the X-Twilio-Signature HMAC, checked in the handler (403 without it)',
  'gateway-sms':
    'SMS gateway webhook: authenticated by the X-Signature HMAC and X-Timestamp window, checked in the handler (401/403 without them)',
  kobo: "KoboToolbox REST Service: authenticated by the stage's shared secret (basic authentication or X-Kobo-Secret), checked in the handler (401 without it)",
  'public-complaints':
    'beneficiaries submit without an account; status look-up needs the secret given at submission and shows no personal data',
  openapi: 'the published API description, no data',
};

/**
 * The HTTP API: one route per entry of `ROUTES`, each integrated with its group's function, and the Cognito JWT
 * authorizer on every staff route.
 *
 * API Gateway's JWT authorizer checks the token's signature, issuer, audience (the console client) and expiry; it
 * cannot check `cognito:groups`. The roles in `ROUTES` are therefore enforced again by the handler
 * (`httpRoute({ auth: [...] })` → 403), and recorded here as construct metadata (`cfm:roles`) for review.
 * The console must send the ID token: only ID tokens carry `cognito:groups` and the custom scope attributes.
 */
export class PlatformApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;
  readonly routes: { spec: RouteSpec; route: HttpRoute }[] = [];
  private readonly config: StageConfig;
  private readonly userPool: IUserPool;

  constructor(scope: Construct, id: string, props: PlatformApiProps) {
    super(scope, id);
    const { config } = props;
    this.config = config;

    this.api = new HttpApi(this, 'Api', {
      apiName: nameFor(config, 'api'),
      description: `CFM ${config.stage}: Twilio webhooks, public complaints and the staff API`,
      createDefaultStage: false,
      corsPreflight:
        props.corsOrigins.length === 0
          ? undefined
          : {
              allowOrigins: props.corsOrigins,
              allowMethods: [
                CorsHttpMethod.GET,
                CorsHttpMethod.POST,
                CorsHttpMethod.PATCH,
                CorsHttpMethod.PUT,
                CorsHttpMethod.DELETE,
              ],
              allowHeaders: ['authorization', 'content-type', 'if-match'],
              exposeHeaders: ['etag'],
              allowCredentials: false,
              maxAge: Duration.hours(1),
            },
    });

    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      logGroupName: `/cfm/${config.stage}/api-access`,
      retention: config.logRetention,
      removalPolicy: config.removalPolicy,
    });
    // No source IP or user agent: for beneficiaries those are personal data, and the design keeps it out of logs.
    const format = AccessLogFormat.custom(
      JSON.stringify({
        requestId: '$context.requestId',
        time: '$context.requestTime',
        routeKey: '$context.routeKey',
        status: '$context.status',
        latencyMs: '$context.responseLatency',
        integrationStatus: '$context.integrationStatus',
        integrationError: '$context.integrationErrorMessage',
        authorizerError: '$context.authorizer.error',
        staffUser: '$context.authorizer.claims.sub',
        responseLength: '$context.responseLength',
      }),
    );
    this.stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      // Routes not given a class below (none today) get the tightest public throttle.
      throttle: config.routeThrottles.meta,
      accessLogSettings: { destination: new LogGroupLogDestination(this.accessLogs), format },
    });

    this.userPool = props.userPool;
  }

  /** The URL clients call (no trailing slash): the execute-api endpoint of the `$default` stage. */
  get endpoint(): string {
    return this.api.apiEndpoint;
  }

  /** The execute-api host name alone (`<id>.execute-api.<region>.amazonaws.com`), for CloudFront's origin. */
  get domainName(): string {
    return `${this.api.apiId}.execute-api.${Stack.of(this).region}.${Stack.of(this).urlSuffix}`;
  }

  /**
   * Adds every route of `ROUTES`, integrated with `handlers[route.group]`, with the JWT authorizer for tokens the
   * console client obtained on staff routes, and gives each its class's throttle as a route setting of the stage.
   */
  addRoutes(handlers: Record<RouteGroup, IFunction>, consoleClient: IUserPoolClient): void {
    const authorizer = new HttpUserPoolAuthorizer('StaffJwt', this.userPool, {
      authorizerName: nameFor(this.config, 'staff-jwt'),
      userPoolClients: [consoleClient],
      identitySource: ['$request.header.Authorization'],
    });
    // CloudFormation takes RouteSettings as a JSON map from route key to settings, which CDK passes through
    // untouched: hence the property names as CloudFormation spells them.
    const routeSettings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> = {};
    const stage = this.stage.node.defaultChild as CfnStage;
    const integrations = new Map<RouteGroup, HttpLambdaIntegration>();
    for (const spec of ROUTES) {
      let integration = integrations.get(spec.group);
      if (!integration) {
        integration = new HttpLambdaIntegration(`${spec.group}-integration`, handlers[spec.group]);
        integrations.set(spec.group, integration);
      }
      const route = new HttpRoute(this, routeConstructId(spec), {
        httpApi: this.api,
        routeKey: HttpRouteKey.with(spec.path, HttpMethod[spec.method]),
        integration,
        authorizer: spec.auth === 'public' ? undefined : authorizer,
      });
      if (spec.auth === 'public') {
        const reason = PUBLIC_ROUTE_REASONS[spec.group];
        if (!reason) throw new Error(`Public route ${routeKey(spec)} has no documented reason to be public`);
        NagSuppressions.addResourceSuppressions(route, [
          { id: 'AwsSolutions-APIG4', reason: `Public by design (${routeKey(spec)}): ${reason}.` },
        ]);
      } else {
        route.node.addMetadata('cfm:roles', [...spec.auth]);
      }
      const throttle = this.config.routeThrottles[routeClassOf(spec)];
      routeSettings[routeKey(spec)] = {
        ThrottlingRateLimit: throttle.rateLimit,
        ThrottlingBurstLimit: throttle.burstLimit,
      };
      // A route setting names a route key, which must exist before the stage refers to it.
      this.stage.node.addDependency(route);
      this.routes.push({ spec, route });
    }
    stage.routeSettings = routeSettings;
  }
}
