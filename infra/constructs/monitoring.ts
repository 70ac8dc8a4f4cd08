import { Duration } from 'aws-cdk-lib';
import type { HttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { nameFor, type StageConfig } from '../config.ts';
import type { PlatformFunction } from './platform-function.ts';

/** The custom metric the SLA sweeper emits through the embedded metric format. */
export const SLA_METRIC = { namespace: 'CFM', metricName: 'SlaBreaches' } as const;

export interface MonitoringProps {
  config: StageConfig;
  /** Encrypts the alarm topic; its key policy lets CloudWatch use it (see the stateful stack). */
  key: IKey;
  functions: PlatformFunction[];
  /** Every dead-letter queue, by a short label. */
  deadLetterQueues: Record<string, IQueue>;
  streamConsumers: PlatformFunction[];
  apiStage: HttpStage;
}

const FIVE_MINUTES = Duration.minutes(5);

/**
 * Alarms and a dashboard. Every alarm notifies one encrypted SNS topic (subscribe an address with context
 * `alarmEmail`). What is alarmed: each function's errors and throttles, any message in any dead-letter queue, the
 * stream consumers falling behind, API 5xx answers, and SLA breaches the sweeper reports.
 */
export class Monitoring extends Construct {
  readonly alarmTopic: Topic;
  readonly alarms: Alarm[] = [];
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const { config } = props;
    this.alarmTopic = new Topic(this, 'AlarmTopic', {
      topicName: nameFor(config, 'alarms'),
      displayName: `CFM ${config.stage} alarms`,
      masterKey: props.key,
      enforceSSL: true,
    });
    if (config.alarmEmail) this.alarmTopic.addSubscription(new EmailSubscription(config.alarmEmail));
    const action = new SnsAction(this.alarmTopic);
    const alarm = (alarmId: string, metric: IMetric, threshold: number, description: string): Alarm => {
      const created = new Alarm(this, alarmId, {
        alarmName: nameFor(config, alarmId),
        alarmDescription: description,
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      created.addAlarmAction(action);
      this.alarms.push(created);
      return created;
    };

    for (const fn of props.functions) {
      alarm(
        `${fn.shortName}-errors`,
        fn.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' }),
        1,
        `${fn.shortName}: at least one invocation failed in 5 minutes (see its log group)`,
      );
      alarm(
        `${fn.shortName}-throttles`,
        fn.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum' }),
        1,
        `${fn.shortName}: invocations were throttled (concurrency limit reached)`,
      );
    }
    for (const [label, queue] of Object.entries(props.deadLetterQueues)) {
      alarm(
        `${label}-dlq-depth`,
        queue.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: 'Maximum' }),
        1,
        `${label}: messages are waiting in the dead-letter queue; inspect and redrive them`,
      );
    }
    for (const fn of props.streamConsumers) {
      alarm(
        `${fn.shortName}-iterator-age`,
        fn.metric('IteratorAge', { period: FIVE_MINUTES, statistic: 'Maximum' }),
        Duration.minutes(5).toMilliseconds(),
        `${fn.shortName}: the table stream consumer is more than 5 minutes behind`,
      );
    }
    alarm(
      'api-5xx',
      props.apiStage.metricServerError({ period: FIVE_MINUTES, statistic: 'Sum' }),
      5,
      'API: five or more 5xx answers in 5 minutes',
    );
    // A Metrics Insights query sums SlaBreaches over whatever dimensions the sweeper's EMF records carry, so the
    // alarm does not depend on the exact dimension set the sweeper chooses.
    const slaBreaches = new MathExpression({
      expression: `SELECT SUM(${SLA_METRIC.metricName}) FROM ${SLA_METRIC.namespace}`,
      usingMetrics: {},
      period: FIVE_MINUTES,
      label: 'SLA breaches',
    });
    alarm('sla-breaches', slaBreaches, 1, 'The SLA sweeper escalated at least one overdue case in 5 minutes');

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: nameFor(config, 'operations'),
      defaultInterval: Duration.days(1),
    });
    this.dashboard.addWidgets(
      new TextWidget({
        markdown: `# CFM ${config.stage}\nAlarms notify the \`${nameFor(config, 'alarms')}\` topic. Dead-letter queues should be empty.`,
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(
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
    this.dashboard.addWidgets(
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
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Dead-letter queues (messages)',
        left: Object.entries(props.deadLetterQueues).map(([label, q]) =>
          q.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: 'Maximum', label }),
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
  }
}
