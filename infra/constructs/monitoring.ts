import { Annotations, Duration } from 'aws-cdk-lib';
import type { HttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { FilterPattern, type ILogGroup, MetricFilter } from 'aws-cdk-lib/aws-logs';
import { type ITopic, SubscriptionFilter, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { alarmEmailFilterPolicy, alarmRecipientKey } from '#shared/routing/subscription-dlq.ts';
import { nameFor, type StageConfig } from '../config.ts';
import type { PlatformFunction } from './platform-function.ts';
import { deadLetterQueue } from './queues.ts';

/** The custom metric the SLA sweeper emits through the embedded metric format. */
export const SLA_METRIC = { namespace: 'CFM', metricName: 'SlaBreaches' } as const;

/**
 * The custom metric a metric filter on the API's access log counts: Twilio webhook requests API Gateway answered
 * 429 (throttled). Published only when it happens, so it costs nothing while nothing is throttled.
 */
export const WEBHOOK_THROTTLED_METRIC = { namespace: 'CFM', metricName: 'WebhookThrottled' } as const;

/** A dead-letter queue to watch; `essential` ones are watched in every stage, the rest only with the full set. */
export interface WatchedQueue {
  queue: IQueue;
  essential: boolean;
}

export interface MonitoringProps {
  config: StageConfig;
  /** Encrypts the alarm topic (prod); its key policy lets CloudWatch use it (see the stateful stack). */
  key?: IKey;
  functions: PlatformFunction[];
  /** Every dead-letter queue, by a short label. */
  deadLetterQueues: Record<string, WatchedQueue>;
  streamConsumers: PlatformFunction[];
  apiStage: HttpStage;
  /** The API's JSON access log (fields `routeKey` and `status`). */
  apiAccessLogs: ILogGroup;
  /** The "case events" topic: its failed deliveries (focal points, the notifier queue) are alarmed. */
  caseEvents: ITopic;
}

const FIVE_MINUTES = Duration.minutes(5);

/** An alarm's short id, what it watches and what to do; `essential` alarms exist in every stage. */
interface AlarmSpec {
  id: string;
  metric: IMetric;
  threshold: number;
  description: string;
  essential: boolean;
}

/**
 * Alarms, the topic they notify and, in prod, a dashboard. Every asynchronous path is watched: each dead-letter
 * queue, the stream consumers' lag, SNS deliveries that failed or could not reach their dead-letter queue, and
 * Lambda errors and throttles across the account; at the API, 5xx answers, the share of 4xx answers and throttled
 * Twilio webhooks. Dev keeps the essential few (docs/cost.md explains the choice); prod keeps them all.
 */
export class Monitoring extends Construct {
  readonly alarmTopic: Topic;
  readonly alarms: Alarm[] = [];
  readonly dashboard?: Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const { config } = props;
    const full = config.alarmSet === 'full';

    this.alarmTopic = new Topic(this, 'AlarmTopic', {
      topicName: nameFor(config, 'alarms'),
      displayName: `CFM ${config.stage} alarms`,
      masterKey: props.key,
      enforceSSL: true,
    });
    if (!props.key) {
      NagSuppressions.addResourceSuppressions(this.alarmTopic, [
        {
          id: 'AwsSolutions-SNS2',
          reason:
            'Dev has no customer-managed key, and CloudWatch cannot publish to a topic encrypted with the AWS-managed SNS key. Alarm notifications carry alarm names and metric values, never case data; prod encrypts this topic with its key.',
        },
      ]);
    }
    // Alarm e-mails SNS cannot deliver are kept too, like every other subscription's, in a DLQ per address, so a
    // replay (`npm run dlq -- --replay alarms-<key>`) knows whom it was for and reaches that address alone: each
    // subscription lets through what carries no `alarmRecipient` (CloudWatch's publishes) and what names its key.
    // An alarm on each queue reaches whoever else receives alarms (alarmTopicArn), and shows in the console.
    const watched: Record<string, WatchedQueue> = { ...props.deadLetterQueues };
    for (const email of config.alarmDestinations.emails) {
      const key = alarmRecipientKey(email);
      const dlq = deadLetterQueue(this, `AlarmDeliveryDlq-${key}`, nameFor(config, `alarms-${key}-dlq`), {
        kind: 'destination',
        of: 'one alarm e-mail subscription',
      });
      watched[`alarms-${key}`] = { queue: dlq, essential: false };
      this.alarmTopic.addSubscription(
        new EmailSubscription(email, {
          deadLetterQueue: dlq,
          filterPolicy: Object.fromEntries(
            Object.entries(alarmEmailFilterPolicy(key)).map(([k, v]) => [k, new SubscriptionFilter(v)]),
          ),
        }),
      );
    }
    const actions = [new SnsAction(this.alarmTopic)];
    if (config.alarmDestinations.topicArn) {
      actions.push(
        new SnsAction(Topic.fromTopicArn(this, 'ExternalAlarmTopic', config.alarmDestinations.topicArn)),
      );
    }
    if (config.alarmDestinations.emails.length === 0 && !config.alarmDestinations.topicArn) {
      Annotations.of(this).addWarningV2(
        'cfm:alarms-reach-nobody',
        `Alarms of ${config.stage} reach nobody: no alarmEmail or alarmTopicArn in the context. They still change state in CloudWatch. See docs/deploy.md.`,
      );
    }

    const specs: AlarmSpec[] = [];
    const add = (spec: AlarmSpec) => specs.push(spec);

    // Account-wide Lambda metrics (no dimension): one alarm covers every function, the dashboard shows which one.
    add({
      id: 'lambda-errors',
      metric: new Metric({
        namespace: 'AWS/Lambda',
        metricName: 'Errors',
        statistic: 'Sum',
        period: FIVE_MINUTES,
      }),
      threshold: 1,
      description:
        'A Lambda function failed in the last 5 minutes (handler crash, timeout or init error): see the functions’ logs',
      essential: true,
    });
    add({
      id: 'lambda-throttles',
      metric: new Metric({
        namespace: 'AWS/Lambda',
        metricName: 'Throttles',
        statistic: 'Sum',
        period: FIVE_MINUTES,
      }),
      threshold: 1,
      description: 'Lambda throttled invocations: the account’s concurrency is exhausted',
      essential: false,
    });

    for (const [label, { queue, essential }] of Object.entries(watched)) {
      add({
        id: `${label}-dlq-depth`,
        metric: queue.metricApproximateNumberOfMessagesVisible({
          period: FIVE_MINUTES,
          statistic: 'Maximum',
        }),
        threshold: 1,
        description: `${label}: messages are waiting in the dead-letter queue; inspect and redrive them (docs/deploy.md)`,
        essential,
      });
    }
    for (const fn of props.streamConsumers) {
      add({
        id: `${fn.shortName}-iterator-age`,
        metric: fn.metric('IteratorAge', { period: FIVE_MINUTES, statistic: 'Maximum' }),
        threshold: Duration.minutes(5).toMilliseconds(),
        description: `${fn.shortName}: the table stream consumer is more than 5 minutes behind`,
        essential: false,
      });
    }

    const sns = (metricName: string) =>
      new Metric({
        namespace: 'AWS/SNS',
        metricName,
        dimensionsMap: { TopicName: props.caseEvents.topicName },
        statistic: 'Sum',
        period: FIVE_MINUTES,
      });
    add({
      id: 'sns-delivery-failed',
      metric: sns('NumberOfNotificationsFailed'),
      threshold: 1,
      description:
        'SNS gave up delivering a case event (to a focal point’s e-mail, SMS or HTTPS endpoint, or the notifier queue)',
      essential: true,
    });
    add({
      id: 'sns-redriven-to-dlq',
      metric: sns('NumberOfNotificationsRedrivenToDlq'),
      threshold: 1,
      description:
        'Case events SNS could not deliver were moved to a dead-letter queue: redrive them once fixed',
      essential: false,
    });
    add({
      id: 'sns-failed-to-redrive',
      metric: sns('NumberOfNotificationsFailedToRedriveToDlq'),
      threshold: 1,
      description:
        'Case events SNS could not deliver could not reach their dead-letter queue either: they are lost (check the queue policy)',
      essential: false,
    });

    add({
      id: 'api-5xx',
      metric: props.apiStage.metricServerError({ period: FIVE_MINUTES, statistic: 'Sum' }),
      threshold: 5,
      description: 'API: five or more 5xx answers in 5 minutes',
      essential: false,
    });
    // The share of 4xx answers rather than their number: a flood of bad or throttled requests (429), or a broken
    // client, shows as a jump in the share whatever the traffic. Fewer than 20 requests in 5 minutes say nothing.
    add({
      id: 'api-4xx-rate',
      metric: new MathExpression({
        expression: 'IF(requests >= 20, 100 * clientErrors / requests, 0)',
        usingMetrics: {
          requests: props.apiStage.metricCount({ period: FIVE_MINUTES, statistic: 'Sum' }),
          clientErrors: props.apiStage.metricClientError({ period: FIVE_MINUTES, statistic: 'Sum' }),
        },
        period: FIVE_MINUTES,
        label: 'API 4xx answers (% of requests)',
      }),
      threshold: 25,
      description:
        'API: a quarter or more of the answers in 5 minutes were 4xx (throttling, bad signatures, expired tokens)',
      essential: false,
    });
    const webhookThrottled = new MetricFilter(this, 'WebhookThrottledFilter', {
      logGroup: props.apiAccessLogs,
      filterPattern: FilterPattern.all(
        FilterPattern.stringValue('$.status', '=', '429'),
        FilterPattern.stringValue('$.routeKey', '=', 'POST /webhooks/*'),
      ),
      metricNamespace: WEBHOOK_THROTTLED_METRIC.namespace,
      metricName: WEBHOOK_THROTTLED_METRIC.metricName,
      metricValue: '1',
    });
    add({
      id: 'api-webhooks-throttled',
      metric: webhookThrottled.metric({ statistic: 'Sum', period: FIVE_MINUTES }),
      threshold: 1,
      description:
        'API Gateway throttled a Twilio webhook (429): inbound SMS or calls may be lost. Raise the webhooks throttle or find the flood',
      essential: false,
    });

    // A Metrics Insights query sums SlaBreaches over whatever dimensions the sweeper's EMF records carry, so the
    // alarm does not depend on the exact dimension set the sweeper chooses.
    const slaBreaches = new MathExpression({
      expression: `SELECT SUM(${SLA_METRIC.metricName}) FROM ${SLA_METRIC.namespace}`,
      usingMetrics: {},
      period: FIVE_MINUTES,
      label: 'SLA breaches',
    });
    add({
      id: 'sla-breaches',
      metric: slaBreaches,
      threshold: 1,
      description: 'The SLA sweeper escalated at least one overdue case in 5 minutes',
      essential: false,
    });

    for (const spec of specs) {
      if (!full && !spec.essential) continue;
      const created = new Alarm(this, spec.id, {
        alarmName: nameFor(config, spec.id),
        alarmDescription: spec.description,
        metric: spec.metric,
        threshold: spec.threshold,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      for (const action of actions) created.addAlarmAction(action);
      this.alarms.push(created);
    }

    if (config.dashboard) this.dashboard = this.buildDashboard(props, slaBreaches);
  }

  private buildDashboard(props: MonitoringProps, slaBreaches: IMetric): Dashboard {
    const { config } = props;
    const dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: nameFor(config, 'operations'),
      defaultInterval: Duration.days(1),
    });
    dashboard.addWidgets(
      new TextWidget({
        markdown: `# CFM ${config.stage}\nAlarms notify the \`${nameFor(config, 'alarms')}\` topic. Dead-letter queues should be empty.`,
        width: 24,
        height: 2,
      }),
    );
    dashboard.addWidgets(
      new GraphWidget({
        title: 'API requests and errors',
        left: [props.apiStage.metricCount({ period: FIVE_MINUTES })],
        right: [
          props.apiStage.metricClientError({ period: FIVE_MINUTES }),
          props.apiStage.metricServerError({ period: FIVE_MINUTES }),
        ],
        width: 12,
      }),
      new GraphWidget({
        title: 'API latency (p90)',
        left: [props.apiStage.metricLatency({ period: FIVE_MINUTES, statistic: 'p90' })],
        width: 12,
      }),
    );
    dashboard.addWidgets(
      new GraphWidget({
        title: 'Function errors',
        left: props.functions.map((fn) => fn.metricErrors({ period: FIVE_MINUTES, label: fn.shortName })),
        width: 12,
      }),
      new GraphWidget({
        title: 'Function duration (p90)',
        left: props.functions.map((fn) =>
          fn.metricDuration({ period: FIVE_MINUTES, statistic: 'p90', label: fn.shortName }),
        ),
        width: 12,
      }),
    );
    dashboard.addWidgets(
      new GraphWidget({
        title: 'Dead-letter queues (messages)',
        left: Object.entries(props.deadLetterQueues).map(([label, { queue }]) =>
          queue.metricApproximateNumberOfMessagesVisible({
            period: FIVE_MINUTES,
            statistic: 'Maximum',
            label,
          }),
        ),
        width: 8,
      }),
      new GraphWidget({
        title: 'Stream iterator age (ms)',
        left: props.streamConsumers.map((fn) =>
          fn.metric('IteratorAge', { period: FIVE_MINUTES, statistic: 'Maximum', label: fn.shortName }),
        ),
        width: 8,
      }),
      new GraphWidget({
        title: 'SLA breaches',
        left: [slaBreaches],
        width: 8,
      }),
    );
    return dashboard;
  }
}
