import { Aws, CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import {
  ClientAttributes,
  type IUserPool,
  type IUserPoolDomain,
  OAuthScope,
  UserPoolClient,
  UserPoolClientIdentityProvider,
} from 'aws-cdk-lib/aws-cognito';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { DynamoEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Schedule, ScheduleExpression, TimeWindow } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { type ITopic, SubscriptionFilter } from 'aws-cdk-lib/aws-sns';
import { SqsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import { PUBLIC_CHANNELS, PUBLIC_NUMBER_ENV } from '#functions/public-complaints/contact.ts';
import { type RouteGroup, WORKERS } from '#functions/routes.ts';
import { SENDER_PK_PREFIX } from '#shared/intake/sender.ts';
import { GATEWAY_OUT_PREFIX } from '#shared/intake/transports/gateway-outbox.ts';
import { topology } from '#shared/messaging/topology.ts';
import { renderPublicSite } from '../../web/scripts/build-public.ts';
import { nameFor, type StageConfig } from '../config.ts';
import { Monitoring } from '../constructs/monitoring.ts';
import { PlatformApi } from '../constructs/platform-api.ts';
import {
  PlatformFunction,
  type PlatformFunctionProps,
  type TableAccess,
  type TopicAccess,
} from '../constructs/platform-function.ts';
import { deadLetterQueue, workQueue } from '../constructs/queues.ts';
import { WebHosting } from '../constructs/web-hosting.ts';
import { type FunctionName, lambdaEntries, type WorkerName } from '../lambda-entries.ts';

/** The stateful resources this stack uses; the stateful stack provides them. */
export interface StatefulResources {
  /** The customer-managed key, where the stage has one (prod). */
  key?: IKey;
  table: ITable;
  topic: ITopic;
  /** The stage's secret: a Secrets Manager secret (prod), or else the name of a Parameter Store SecureString. */
  secret: ISecret | undefined;
  secretParameterName?: string | undefined;
  userPool: IUserPool;
  signInDomain: IUserPoolDomain;
}

export interface StatelessStackProps extends StackProps {
  config: StageConfig;
  stateful: StatefulResources;
  /** Overrides where the console's build is looked for (tests). */
  webDistDir?: string;
  /** Overrides where the public site's static files (web/public) are looked for (tests). */
  webPublicDir?: string;
}

/**
 * What each function may touch. `platform` functions build the platform at cold start (`platformFromEnv`), which
 * needs the secret, the table, the topic ARN, the public and console URLs and the sender number; the others touch
 * nothing.
 */
interface Access {
  description: string;
  platform?: { table: TableAccess; topic: TopicAccess };
  memorySize?: number;
  timeout?: Duration;
  /** Lambda's retries of a failed asynchronous run (scheduled jobs); its default is 2. */
  retryAttempts?: number;
}

const intake = (description: string): Access => ({
  description,
  platform: { table: 'readWrite', topic: 'arnOnly' },
});

const HTTP_ACCESS: Record<RouteGroup, Access> = {
  health: { description: 'GET /health: liveness, no dependencies' },
  'twilio-sms': intake('Twilio inbound SMS webhook: validate, store the case, answer TwiML'),
  'twilio-voice': intake('Twilio IVR webhooks: menus, recordings, callbacks'),
  'twilio-status': intake('Twilio delivery-status callbacks for outbound messages'),
  'gateway-sms': intake('Local SMS gateway webhook: signed inbound SMS and delivery reports'),
  kobo: intake('KoboToolbox REST Service: field-form submissions become cases'),
  'public-complaints': intake('Public web form: submit a complaint, look up its status'),
  cases: intake('Staff case API: log, list, read, update, notes, transitions'),
  'live-calls': intake('Operators: the live hotline calls put through to them, and their completion'),
  reports: {
    description: 'Staff reports: time to close, CSV export',
    platform: { table: 'read', topic: 'arnOnly' },
    timeout: Duration.seconds(28),
  },
  classify: { description: 'POST /api/classify: language, category, sensitivity (pure computation)' },
  admin: intake('Admin API: focal points, routing rules, SLA policies, calendar, users'),
  openapi: { description: 'GET /api/openapi.json: the generated API description' },
};

const WORKER_ACCESS: Record<WorkerName, Access> = {
  router: {
    description: 'Table stream: classify, route, set the SLA clock, publish case events',
    platform: { table: 'readWrite', topic: 'publish' },
    timeout: Duration.seconds(60),
  },
  inbox: {
    description: 'Table stream: open (or thread) the cases of the SMS the webhook wrote onto number items',
    platform: { table: 'readWrite', topic: 'arnOnly' },
    timeout: Duration.seconds(60),
  },
  'gateway-outbox': {
    description: "Table stream: hand messages queued for the local SMS gateway to the relay's send API",
    platform: { table: 'readWrite', topic: 'arnOnly' },
    timeout: Duration.seconds(60),
  },
  projector: {
    description: 'Table stream: maintain report aggregates and spike counters, publish spike alerts',
    // Publishes the spike alerts (shared/reports/spike-alerts.ts) on the case-events topic.
    platform: { table: 'readWrite', topic: 'publish' },
    timeout: Duration.seconds(60),
  },
  notifier: {
    description:
      'Case events for complainants (SQS): acknowledgement, outcome and satisfaction SMS via Twilio',
    platform: { table: 'readWrite', topic: 'arnOnly' },
    // The queue's visibility timeout (topology) must be at least six times this.
    timeout: Duration.seconds(topology.queues.notifier.visibilityTimeoutSeconds / 6),
  },
  sweeper: {
    description: 'Every 5 minutes: escalate overdue cases, emit SlaBreaches',
    platform: { table: 'readWrite', topic: 'publish' },
    timeout: Duration.seconds(120),
    // The next run, five minutes later, picks up whatever a failed run left; the failed run is still recorded in
    // the schedules' DLQ (below), which alarms.
    retryAttempts: 0,
  },
  retention: {
    description: 'Daily: remove personal data of cases closed, or open and inactive, past their periods',
    platform: { table: 'readWrite', topic: 'arnOnly' },
    timeout: Duration.minutes(10),
    memorySize: 1024,
  },
};

/**
 * The console's app client: a public client (no secret) that signs staff in on Cognito's hosted pages with the
 * authorisation code and PKCE and comes back to the console, or by SRP. Staff read their scope attributes but may not
 * change them: governorates, programmes and focal point are set by admins.
 */
function consoleClient(scope: Construct, config: StageConfig, userPool: IUserPool, consoleUrl: string) {
  return new UserPoolClient(scope, 'ConsoleClient', {
    userPool,
    userPoolClientName: nameFor(config, 'console'),
    generateSecret: false,
    authFlows: { userSrp: true },
    oAuth: {
      flows: { authorizationCodeGrant: true },
      scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
      callbackUrls: [consoleUrl],
      logoutUrls: [consoleUrl],
    },
    supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
    preventUserExistenceErrors: true,
    enableTokenRevocation: true,
    idTokenValidity: Duration.hours(1),
    accessTokenValidity: Duration.hours(1),
    refreshTokenValidity: Duration.hours(12),
    readAttributes: new ClientAttributes()
      .withStandardAttributes({ email: true, emailVerified: true, fullname: true })
      .withCustomAttributes('governorates', 'programmes', 'focalPointId', 'agency'),
    writeAttributes: new ClientAttributes().withStandardAttributes({ fullname: true }),
  });
}

/**
 * Code and wiring, rebuilt freely: one function per route group and worker, the HTTP API, the stream consumers,
 * the notifier queue, the schedules, the web hosting and the monitoring.
 */
export class StatelessStack extends Stack {
  readonly api: PlatformApi;
  readonly web: WebHosting;
  /**
   * The public site as uploaded: the pages rendered with the stage's public numbers, and web/public's files;
   * undefined when web/public was not found.
   */
  readonly publicSiteDir: string | undefined;
  readonly functions: Record<FunctionName, PlatformFunction>;
  readonly deadLetterQueues: Record<string, Queue>;
  readonly notifierQueue: Queue;
  readonly monitoring: Monitoring;
  readonly consoleClient: UserPoolClient;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { config, stateful } = props;

    // The public pages are rendered with this stage's numbers from web/public's files (skipped if the folder
    // is missing, as the console is without web/dist).
    this.publicSiteDir = renderPublicSite(config.publicNumbers, props.webPublicDir);
    // The console and web form call the API through CloudFront on their own origin; only a console hosted
    // elsewhere (context consoleOrigin) needs CORS.
    this.api = new PlatformApi(this, 'Http', {
      config,
      userPool: stateful.userPool,
      corsOrigins: config.consoleOrigin ? [config.consoleOrigin] : [],
    });
    const signInHost = `${stateful.signInDomain.domainName}.auth.${this.region}.amazoncognito.com`;
    this.web = new WebHosting(this, 'Web', {
      config,
      apiDomainName: this.api.domainName,
      signInHost,
      distDir: props.webDistDir,
      publicDir: this.publicSiteDir,
    });
    this.consoleClient = consoleClient(this, config, stateful.userPool, `${this.web.origin}/console/`);
    const publicBaseUrl = config.publicBaseUrl ?? this.api.endpoint;
    // Links in notifications open the console where staff use it (`<CONSOLE_URL>#/case/<id>`): on the CloudFront
    // site (or its custom domain), or where consoleOrigin says it is hosted; never on the API's URL.
    const consoleUrl = `${config.consoleOrigin ?? this.web.origin}/console/`;

    const make = (name: string, entry: string, access: Access): PlatformFunction => {
      const fnProps: PlatformFunctionProps = {
        config,
        name,
        entry,
        description: access.description,
        memorySize: access.memorySize,
        timeout: access.timeout,
      };
      const fn = new PlatformFunction(this, `Fn-${name}`, fnProps);
      if (access.platform) {
        fn.bindTable(stateful.table, access.platform.table).bindTopic(stateful.topic, access.platform.topic);
        if (stateful.secret) fn.bindSecret(stateful.secret);
        else if (stateful.secretParameterName) fn.bindSecretParameter(stateful.secretParameterName);
        else throw new Error('the stateful resources name no secret and no secret parameter');
        fn.addEnvironment('PUBLIC_BASE_URL', publicBaseUrl);
        fn.addEnvironment('CONSOLE_URL', consoleUrl);
        fn.addEnvironment('TWILIO_FROM', config.twilioFrom);
        const { gateway, whatsapp, kobo } = config.transports;
        if (gateway) {
          fn.addEnvironment('GATEWAY_API_URL', gateway.apiUrl);
          fn.addEnvironment('GATEWAY_NUMBER', gateway.number);
        }
        if (whatsapp) {
          fn.addEnvironment('WHATSAPP_FROM', whatsapp.from);
          fn.addEnvironment('WHATSAPP_CONTENT_SIDS', whatsapp.contentSids);
        }
        if (kobo) fn.addEnvironment('KOBO_USERNAME', kobo.username);
      }
      return fn;
    };

    const made = Object.fromEntries(
      lambdaEntries().map(({ name, entry, kind }) => [
        name,
        make(
          name,
          entry,
          kind === 'http' ? HTTP_ACCESS[name as RouteGroup] : WORKER_ACCESS[name as WorkerName],
        ),
      ]),
    ) as Record<FunctionName, PlatformFunction>;
    const http = made as Record<RouteGroup, PlatformFunction>;
    const workers = made as Record<WorkerName, PlatformFunction>;
    this.functions = made;

    // Focal points' e-mail/SMS/HTTPS subscriptions are created by the admin API at run time, each with a DLQ of its
    // own that the admin API creates and removes with it (shared/routing/subscription-dlq.ts): what a dead letter
    // was for is then certain, and a replay reaches that focal point alone. The case-events topic's "delivery
    // failed" and "redriven to DLQ" alarms (Monitoring) cover every one of them.
    http.admin
      .bindTopicSubscriptions(stateful.topic)
      .bindSubscriptionDlqs(config.stage)
      .bindUserPoolAdmin(stateful.userPool);
    // The pages the API renders for browsers without JavaScript give the same numbers as the site's pages, and
    // the hotline says them where a prompt names one.
    for (const channel of PUBLIC_CHANNELS) {
      const number = config.publicNumbers[channel];
      if (!number) continue;
      http['public-complaints'].addEnvironment(PUBLIC_NUMBER_ENV[channel], number);
      http['twilio-voice'].addEnvironment(PUBLIC_NUMBER_ENV[channel], number);
    }
    this.api.addRoutes(http, this.consoleClient);

    // Stream consumers: partial batch responses, bisection, bounded retries, then the batch's coordinates go to a DLQ.
    const streamDlqs: Record<string, Queue> = {};
    for (const name of ['router', 'projector', 'inbox', 'gateway-outbox'] as const) {
      const settings = topology.streamConsumers[name];
      const dlq = deadLetterQueue(this, `Dlq-${name}`, nameFor(config, settings.dlqName), {
        kind: 'destination',
        of: `the ${name}'s table stream mapping`,
      });
      streamDlqs[name] = dlq;
      workers[name].addEventSource(
        new DynamoEventSource(stateful.table, {
          startingPosition: StartingPosition.TRIM_HORIZON,
          batchSize: settings.batchSize,
          maxBatchingWindow: Duration.seconds(1),
          bisectBatchOnError: true,
          retryAttempts: settings.maxRetries,
          maxRecordAge: config.streamMaxRecordAge,
          reportBatchItemFailures: true,
          parallelizationFactor: 1,
          onFailure: new SqsDlq(dlq),
          // The router and the projector read case items and timeline events only (topology's filter).
          ...('filter' in settings ? { filters: [FilterCriteria.filter(settings.filter)] } : {}),
          // The inbox reads only number items: Lambda is not even invoked for the rest of the table's changes.
          ...(name === 'inbox'
            ? {
                filters: [
                  FilterCriteria.filter({
                    dynamodb: { Keys: { pk: { S: FilterRule.beginsWith(SENDER_PK_PREFIX) } } },
                  }),
                ],
              }
            : {}),
          // The gateway sender reads only new messages queued for the relay.
          ...(name === 'gateway-outbox'
            ? {
                filters: [
                  FilterCriteria.filter({
                    eventName: FilterRule.isEqual('INSERT'),
                    dynamodb: { Keys: { pk: { S: FilterRule.beginsWith(GATEWAY_OUT_PREFIX) } } },
                  }),
                ],
              }
            : {}),
        }),
      );
    }

    // SNS → SQS → notifier: only complainant-facing events, filtered by SNS (topology.filterPolicy), delivered raw.
    const notifierSettings = topology.queues.notifier;
    const notifierDlq = deadLetterQueue(this, 'Dlq-notifier', nameFor(config, notifierSettings.dlqName), {
      kind: 'redrive',
    });
    this.notifierQueue = workQueue(this, 'NotifierQueue', {
      queueName: nameFor(config, notifierSettings.name),
      visibilityTimeout: Duration.seconds(notifierSettings.visibilityTimeoutSeconds),
      deadLetterQueue: { queue: notifierDlq, maxReceiveCount: notifierSettings.maxReceiveCount },
    });
    stateful.topic.addSubscription(
      new SqsSubscription(this.notifierQueue, {
        rawMessageDelivery: true,
        filterPolicy: Object.fromEntries(
          Object.entries(notifierSettings.filterPolicy).map(([attr, values]) => [
            attr,
            SubscriptionFilter.stringFilter({ allowlist: [...values] }),
          ]),
        ),
        // Messages SNS cannot deliver to the queue land in the same DLQ, so one alarm covers both failures.
        deadLetterQueue: notifierDlq,
      }),
    );
    workers.notifier.addEventSource(
      new SqsEventSource(this.notifierQueue, {
        batchSize: 10,
        maxBatchingWindow: Duration.seconds(2),
        reportBatchItemFailures: true,
        // Bounds the rate of Twilio API calls; messages wait in the queue instead.
        maxConcurrency: 2,
      }),
    );

    // Schedules: an invocation Scheduler could not deliver, and a run that failed after Lambda's own retries, both
    // end in the schedules' DLQ (Scheduler's dead-letter config and Lambda's on-failure destination).
    const schedulesDlq = deadLetterQueue(this, 'Dlq-schedules', nameFor(config, 'schedules-dlq'), {
      kind: 'destination',
      of: 'the sweeper and retention schedules (EventBridge Scheduler) and of their failed runs (Lambda on-failure destination)',
    });
    for (const name of ['sweeper', 'retention'] as const) {
      workers[name].configureAsyncInvoke({
        retryAttempts: WORKER_ACCESS[name].retryAttempts ?? 2,
        maxEventAge: Duration.hours(1),
        onFailure: new SqsDestination(schedulesDlq),
      });
      new Schedule(this, `Schedule-${name}`, {
        scheduleName: nameFor(config, name),
        description: WORKER_ACCESS[name].description,
        schedule: ScheduleExpression.expression(WORKERS[name].every),
        timeWindow: TimeWindow.off(),
        target: new LambdaInvoke(workers[name], {
          retryAttempts: 2,
          maxEventAge: Duration.minutes(name === 'sweeper' ? 5 : 60),
          deadLetterQueue: schedulesDlq,
        }),
      });
    }

    // The Scheduler target roles are created by CDK at stack level; lambda:InvokeFunction is granted on the function
    // and its versions (`<function ARN>:*`), which is the only wildcard in them.
    for (const child of this.node.children) {
      if (!child.node.id.startsWith('SchedulerRoleForTarget')) continue;
      NagSuppressions.addResourceSuppressions(
        child,
        [
          {
            id: 'AwsSolutions-IAM5',
            reason:
              'EventBridge Scheduler role: may invoke only the scheduled function; CDK adds "<function ARN>:*" so qualified versions can be invoked too.',
            appliesTo: [{ regex: '/^Resource::<Fn(sweeper|retention)[0-9A-F]+\\.Arn>:\\*$/g' }],
          },
        ],
        true,
      );
    }

    this.deadLetterQueues = {
      router: streamDlqs.router!,
      projector: streamDlqs.projector!,
      inbox: streamDlqs.inbox!,
      'gateway-outbox': streamDlqs['gateway-outbox']!,
      notifier: notifierDlq,
      schedules: schedulesDlq,
    };

    this.web.deploy({
      region: Aws.REGION,
      userPoolId: stateful.userPool.userPoolId,
      userPoolClientId: this.consoleClient.userPoolClientId,
      userPoolDomain: signInHost,
      redirectUri: `${this.web.origin}/console/`,
      stage: config.stage,
    });

    // Essential in every stage: the queues whose messages are a person's SMS not yet a case (inbox) or a case no
    // focal point has heard of (router). The rest are watched in prod (docs/cost.md).
    const essentialDlqs = new Set(['inbox', 'router']);
    this.monitoring = new Monitoring(this, 'Monitoring', {
      config,
      key: stateful.key,
      functions: Object.values(this.functions),
      deadLetterQueues: Object.fromEntries(
        Object.entries(this.deadLetterQueues).map(([label, queue]) => [
          label,
          { queue, essential: essentialDlqs.has(label) },
        ]),
      ),
      streamConsumers: [workers.router, workers.projector, workers.inbox, workers['gateway-outbox']],
      apiStage: this.api.stage,
      apiAccessLogs: this.api.accessLogs,
      caseEvents: stateful.topic,
    });

    new CfnOutput(this, 'ApiUrl', {
      value: this.api.endpoint,
      description: 'The HTTP API (Twilio webhooks: <ApiUrl>/webhooks/twilio/sms, /voice, /status)',
    });
    new CfnOutput(this, 'PublicBaseUrl', {
      value: publicBaseUrl,
      description: 'PUBLIC_BASE_URL: the URL Twilio must call, over which signatures are checked',
    });
    new CfnOutput(this, 'SiteUrl', {
      value: this.web.origin,
      description: 'CloudFront: the web form at /, the console at /console/, the API at /api/',
    });
    new CfnOutput(this, 'ConsoleUrl', {
      value: consoleUrl,
      description: 'The staff console (CONSOLE_URL, which notification links are built on)',
    });
    new CfnOutput(this, 'ConsoleClientId', { value: this.consoleClient.userPoolClientId });
    new CfnOutput(this, 'WebBucket', { value: this.web.bucket.bucketName });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.monitoring.alarmTopic.topicArn });
  }
}
