import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { alarmRecipientKey } from '#shared/routing/subscription-dlq.ts';
import { envOf, platformFunctions, refId, resourcesOf, type Synthesized, synthPlatform } from './synth.ts';

const ALARM_KEY = alarmRecipientKey('cfm-ops@example.org');

let dev: Synthesized;
let prod: Synthesized;

beforeAll(() => {
  dev = synthPlatform('dev');
  prod = synthPlatform('prod');
});

type Props = Record<string, unknown>;
const alarmsOf = (s: Synthesized) =>
  Object.values(resourcesOf(s.statelessTemplate, 'AWS::CloudWatch::Alarm')).map((a) => a.Properties);
const alarmNamed = (s: Synthesized, short: string) =>
  alarmsOf(s).find((a) => a.AlarmName === `cfm-${s.config.stage}-${short}`);
const queuesOf = (s: Synthesized) => resourcesOf(s.statelessTemplate, 'AWS::SQS::Queue');

/** The alarm watching the depth of queue `queueId`, if any. */
const depthAlarmOf = (s: Synthesized, queueId: string) =>
  alarmsOf(s).find(
    (a) =>
      a.MetricName === 'ApproximateNumberOfMessagesVisible' &&
      JSON.stringify(a.Dimensions).includes(`"${queueId}"`) &&
      a.Threshold === 1 &&
      a.ComparisonOperator === 'GreaterThanOrEqualToThreshold',
  );

const onFailureOf = (p: Props) =>
  refId(
    (p.DestinationConfig as { OnFailure?: { Destination?: unknown } } | undefined)?.OnFailure?.Destination,
  );

describe('every asynchronous path has a retry policy, a dead-letter destination and an alarm (prod)', () => {
  it('the table stream mappings: bounded retries, an on-failure queue, an alarm on it and on the lag', () => {
    const fns = platformFunctions(prod);
    const mappings = Object.values(resourcesOf(prod.statelessTemplate, 'AWS::Lambda::EventSourceMapping'));
    for (const name of ['router', 'projector', 'inbox', 'gateway-outbox']) {
      const m = mappings.find((x) => refId(x.Properties.FunctionName) === fns.get(name)!.id)!.Properties;
      expect(m.MaximumRetryAttempts).toBeGreaterThan(0);
      const dlq = onFailureOf(m)!;
      expect(queuesOf(prod)[dlq]).toBeDefined();
      expect({ name, alarmed: depthAlarmOf(prod, dlq) !== undefined }).toEqual({ name, alarmed: true });
      expect(alarmNamed(prod, `${name}-iterator-age`)?.MetricName).toBe('IteratorAge');
    }
  });

  it('the notifier queue: at most 5 receives, then its DLQ, which is alarmed', () => {
    const queues = queuesOf(prod);
    const notifier = Object.entries(queues).find(([, q]) => q.Properties.QueueName === 'cfm-prod-notifier')!;
    const redrive = notifier[1].Properties.RedrivePolicy as {
      deadLetterTargetArn: unknown;
      maxReceiveCount: number;
    };
    expect(redrive.maxReceiveCount).toBe(5);
    const dlq = refId(redrive.deadLetterTargetArn)!;
    expect(queues[dlq]?.Properties.QueueName).toBe('cfm-prod-notifier-dlq');
    expect(depthAlarmOf(prod, dlq)).toBeDefined();
  });

  it('the sweeper and retention schedules: Scheduler retries and a DLQ, and a failed run goes there too after Lambda’s retries', () => {
    const fns = platformFunctions(prod);
    const schedules = Object.values(resourcesOf(prod.statelessTemplate, 'AWS::Scheduler::Schedule'));
    const invokeConfigs = Object.values(
      resourcesOf(prod.statelessTemplate, 'AWS::Lambda::EventInvokeConfig'),
    );
    for (const name of ['sweeper', 'retention']) {
      const fnId = fns.get(name)!.id;
      const schedule = schedules.find((s) =>
        JSON.stringify((s.Properties.Target as Props).Arn).includes(fnId),
      )!;
      const target = schedule.Properties.Target as {
        RetryPolicy: { MaximumRetryAttempts: number; MaximumEventAgeInSeconds: number };
        DeadLetterConfig: { Arn: unknown };
      };
      expect(target.RetryPolicy.MaximumRetryAttempts).toBeGreaterThan(0);
      const scheduleDlq = refId(target.DeadLetterConfig.Arn)!;
      expect(depthAlarmOf(prod, scheduleDlq)).toBeDefined();

      const config = invokeConfigs.find((c) => refId(c.Properties.FunctionName) === fnId)!.Properties;
      expect(config.MaximumRetryAttempts).toBeTypeOf('number');
      expect(config.MaximumEventAgeInSeconds).toBeLessThanOrEqual(6 * 3600);
      expect(onFailureOf(config)).toBe(scheduleDlq);
      // Lambda sends the failed event with the function's own role.
      const roleId = refId(fns.get(name)!.props.Role)!;
      const mayWrite = Object.values(resourcesOf(prod.statelessTemplate, 'AWS::IAM::Policy')).some(
        (p) =>
          (p.Properties.Roles as unknown[]).some((r) => refId(r) === roleId) &&
          JSON.stringify(p.Properties.PolicyDocument).includes('sqs:SendMessage') &&
          JSON.stringify(p.Properties.PolicyDocument).includes(scheduleDlq),
      );
      expect({ name, mayWrite }).toEqual({ name, mayWrite: true });
    }
    expect(schedules).toHaveLength(2);
  });

  it('every SNS subscription the stack creates has a redrive policy to an alarmed queue', () => {
    const subscriptions = Object.values(resourcesOf(prod.statelessTemplate, 'AWS::SNS::Subscription'));
    expect(subscriptions.length).toBeGreaterThan(0);
    for (const sub of subscriptions) {
      const redrive = sub.Properties.RedrivePolicy as { deadLetterTargetArn: unknown } | undefined;
      const dlq = refId(redrive?.deadLetterTargetArn);
      expect(dlq && depthAlarmOf(prod, dlq) !== undefined).toBe(true);
    }
  });

  it('subscriptions the admin API creates at run time get a DLQ each, which the admin may make and remove: cfm-<stage>-fp-* queues, no other', () => {
    const admin = platformFunctions(prod).get('admin')!;
    const statements = Object.values(resourcesOf(prod.statelessTemplate, 'AWS::IAM::Policy'))
      .filter((p) => (p.Properties.Roles as unknown[]).some((r) => refId(r) === refId(admin.props.Role)))
      .flatMap(
        (p) =>
          (p.Properties.PolicyDocument as { Statement: { Action: string | string[]; Resource: unknown }[] })
            .Statement,
      );
    const sqs = statements.filter((st) => [st.Action].flat().some((a) => a.startsWith('sqs:')));
    expect(sqs).toHaveLength(1);
    expect([sqs[0]!.Action].flat().sort()).toEqual(
      [
        'sqs:CreateQueue',
        'sqs:DeleteQueue',
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
        'sqs:SetQueueAttributes',
        'sqs:TagQueue',
      ].sort(),
    );
    expect(JSON.stringify(sqs[0]!.Resource)).toMatch(/:sqs:.*:cfm-prod-fp-\*"/);
    // No stack-made queue for them any more, and nothing in the admin's environment names a DLQ.
    expect(Object.values(queuesOf(prod)).map((q) => q.Properties.QueueName)).not.toContain(
      'cfm-prod-focal-point-dlq',
    );
    expect(Object.keys(envOf(admin.props)).filter((k) => k.includes('DLQ'))).toEqual([]);
  });

  it('each alarm e-mail has a DLQ of its own, alarmed, and a filter a replay can address it alone through', () => {
    const two = synthPlatform('prod', {
      context: { alarmEmail: 'a@example.org, b@example.org' },
    });
    const subs = Object.values(resourcesOf(two.statelessTemplate, 'AWS::SNS::Subscription'))
      .map((s) => s.Properties)
      .filter((p) => p.Protocol === 'email');
    expect(subs.map((p) => p.Endpoint).sort()).toEqual(['a@example.org', 'b@example.org']);
    const queues = resourcesOf(two.statelessTemplate, 'AWS::SQS::Queue');
    const keys = new Set<string>();
    for (const p of subs) {
      const dlq = refId((p.RedrivePolicy as { deadLetterTargetArn: unknown }).deadLetterTargetArn)!;
      const name = String(queues[dlq]?.Properties.QueueName);
      const key = /^cfm-prod-alarms-([0-9a-f]{10})-dlq$/.exec(name)?.[1];
      expect(key, name).toBeDefined();
      keys.add(key!);
      expect(depthAlarmOf(two, dlq)).toBeDefined();
      // CloudWatch's publishes carry no attributes and reach every address; a replay names one key.
      expect(p.FilterPolicy).toEqual({ alarmRecipient: [{ exists: false }, key] });
    }
    expect(keys.size).toBe(2);
  });

  it('SNS deliveries that failed, were moved to a DLQ, or could not reach one are alarmed on the case-events topic', () => {
    const topicName = JSON.stringify(envOf(platformFunctions(prod).get('router')!.props).TOPIC_ARN);
    for (const [short, metric] of [
      ['sns-delivery-failed', 'NumberOfNotificationsFailed'],
      ['sns-redriven-to-dlq', 'NumberOfNotificationsRedrivenToDlq'],
      ['sns-failed-to-redrive', 'NumberOfNotificationsFailedToRedriveToDlq'],
    ] as const) {
      const alarm = alarmNamed(prod, short)!;
      expect({ short, metric: alarm.MetricName, ns: alarm.Namespace, stat: alarm.Statistic }).toEqual({
        short,
        metric,
        ns: 'AWS/SNS',
        stat: 'Sum',
      });
      const dimension = (alarm.Dimensions as { Name: string; Value: unknown }[])[0]!;
      expect(dimension.Name).toBe('TopicName');
      // The topic's name comes from the stateful stack, as its ARN does.
      expect(topicName).toContain('CaseEvents');
      expect(JSON.stringify(dimension.Value)).toContain('CaseEvents');
      expect(alarm.Threshold).toBe(1);
    }
  });

  it('every dead-letter queue is alarmed', () => {
    const dlqs = Object.entries(queuesOf(prod)).filter(([, q]) => q.Properties.RedrivePolicy === undefined);
    // router, projector, inbox, gateway sender, notifier, schedules and the one alarm e-mail's (the focal points'
    // are made by the admin API, one per subscription).
    expect(dlqs).toHaveLength(7);
    for (const [id, q] of dlqs) {
      expect({ queue: q.Properties.QueueName, alarmed: depthAlarmOf(prod, id) !== undefined }).toEqual({
        queue: q.Properties.QueueName,
        alarmed: true,
      });
    }
  });
});

describe('API alarms (prod)', () => {
  it('5xx answers', () => {
    const alarm = alarmNamed(prod, 'api-5xx')!;
    expect({ metric: alarm.MetricName, ns: alarm.Namespace }).toEqual({
      metric: '5xx',
      ns: 'AWS/ApiGateway',
    });
  });

  it('the share of 4xx answers (throttled 429s among them), from the HTTP API’s 4xx and Count metrics', () => {
    const alarm = alarmNamed(prod, 'api-4xx-rate')!;
    const metrics = alarm.Metrics as { Id: string; Expression?: string; MetricStat?: { Metric: Props } }[];
    const names = metrics.flatMap((m) => (m.MetricStat ? [m.MetricStat.Metric.MetricName] : [])).sort();
    expect(names).toEqual(['4xx', 'Count']);
    const expression = metrics.find((m) => m.Expression)!.Expression!;
    expect(expression).toContain('100 * clientErrors / requests');
    expect(alarm.Threshold).toBe(25);
  });

  it('throttled Twilio webhooks (429), counted by a metric filter on the access log', () => {
    const filters = Object.values(resourcesOf(prod.statelessTemplate, 'AWS::Logs::MetricFilter'));
    expect(filters).toHaveLength(1);
    const filter = filters[0]!.Properties;
    expect(filter.FilterPattern).toBe('{ ($.status = "429") && ($.routeKey = "POST /webhooks/*") }');
    const accessLogs = Object.entries(resourcesOf(prod.statelessTemplate, 'AWS::Logs::LogGroup')).find(
      ([, g]) => g.Properties.LogGroupName === '/cfm/prod/api-access',
    )![0];
    expect(refId(filter.LogGroupName)).toBe(accessLogs);
    const transform = (filter.MetricTransformations as Props[])[0]!;
    // No default value: nothing is published (and billed) while nothing is throttled.
    expect(transform).toEqual({ MetricName: 'WebhookThrottled', MetricNamespace: 'CFM', MetricValue: '1' });
    const alarm = alarmNamed(prod, 'api-webhooks-throttled')!;
    expect({ metric: alarm.MetricName, ns: alarm.Namespace, threshold: alarm.Threshold }).toEqual({
      metric: 'WebhookThrottled',
      ns: 'CFM',
      threshold: 1,
    });
  });
});

describe('alarm sets per stage', () => {
  it('prod alarms every path: account-wide Lambda errors and throttles, each DLQ, each stream’s lag, SNS, API and SLA', () => {
    expect(
      alarmsOf(prod)
        .map((a) => String(a.AlarmName).replace('cfm-prod-', ''))
        .sort(),
    ).toEqual(
      [
        'lambda-errors',
        'lambda-throttles',
        'router-dlq-depth',
        'projector-dlq-depth',
        'inbox-dlq-depth',
        'gateway-outbox-dlq-depth',
        'notifier-dlq-depth',
        'schedules-dlq-depth',
        // The one alarm e-mail's DLQ (its key: a hash of the address).
        `alarms-${ALARM_KEY}-dlq-depth`,
        'router-iterator-age',
        'projector-iterator-age',
        'inbox-iterator-age',
        'gateway-outbox-iterator-age',
        'sns-delivery-failed',
        'sns-redriven-to-dlq',
        'sns-failed-to-redrive',
        'api-5xx',
        'api-4xx-rate',
        'api-webhooks-throttled',
        'sla-breaches',
      ].sort(),
    );
  });

  it('dev keeps the four that say something a person sent was lost or went nowhere (docs/cost.md)', () => {
    dev.statelessTemplate.resourceCountIs('AWS::SNS::Subscription', 1); // the notifier queue's: no alarm e-mail
    expect(
      alarmsOf(dev)
        .map((a) => String(a.AlarmName).replace('cfm-dev-', ''))
        .sort(),
    ).toEqual(['inbox-dlq-depth', 'lambda-errors', 'router-dlq-depth', 'sns-delivery-failed']);
  });

  it('Lambda errors and throttles are the account-wide metrics, without a function dimension', () => {
    for (const [short, metric] of [
      ['lambda-errors', 'Errors'],
      ['lambda-throttles', 'Throttles'],
    ] as const) {
      const alarm = alarmNamed(prod, short)!;
      expect({ ns: alarm.Namespace, metric: alarm.MetricName, dims: alarm.Dimensions }).toEqual({
        ns: 'AWS/Lambda',
        metric,
        dims: undefined,
      });
    }
  });

  it('the SLA alarm sums SlaBreaches in the CFM namespace', () => {
    expect(JSON.stringify(alarmNamed(prod, 'sla-breaches')?.Metrics)).toContain(
      'SELECT SUM(SlaBreaches) FROM CFM',
    );
  });

  it('prod has the operations dashboard; dev does without ($3 a month beyond an account’s first three)', () => {
    prod.statelessTemplate.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    dev.statelessTemplate.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
  });
});

describe('alarm destinations', () => {
  const alarmTopicId = (s: Synthesized) => {
    const topics = Object.entries(resourcesOf(s.statelessTemplate, 'AWS::SNS::Topic'));
    expect(topics).toHaveLength(1);
    return topics[0]!;
  };

  it('every alarm notifies the alarm topic, which prod encrypts with its key and e-mails to alarmEmail', () => {
    const [topicId, topic] = alarmTopicId(prod);
    expect(JSON.stringify(topic.Properties.KmsMasterKeyId)).toContain('DataKey');
    for (const a of alarmsOf(prod)) expect((a.AlarmActions as unknown[]).map(refId)).toEqual([topicId]);
    prod.statelessTemplate.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'cfm-ops@example.org',
      TopicArn: { Ref: topicId },
    });
  });

  it('e-mails every address of a comma-separated alarmEmail', () => {
    const s = synthPlatform('prod', { context: { alarmEmail: 'a@example.org, b@example.org' } });
    const endpoints = Object.values(resourcesOf(s.statelessTemplate, 'AWS::SNS::Subscription'))
      .filter((x) => x.Properties.Protocol === 'email')
      .map((x) => x.Properties.Endpoint)
      .sort();
    expect(endpoints).toEqual(['a@example.org', 'b@example.org']);
  });

  it('also notifies an existing topic given as alarmTopicArn (e.g. AWS Chatbot’s), which is then enough for prod', () => {
    const arn = 'arn:aws:sns:me-central-1:123456789012:cfm-chatbot';
    const s = synthPlatform('prod', { context: { alarmEmail: '', alarmTopicArn: arn } });
    const [topicId] = alarmTopicId(s);
    for (const a of alarmsOf(s)) expect(a.AlarmActions).toEqual([{ Ref: topicId }, arn]);
    s.statelessTemplate.resourceCountIs('AWS::SNS::Subscription', 1); // the notifier queue's alone
  });

  it('refuses a prod synth without an alarm destination, saying how to give one', () => {
    expect(() => synthPlatform('prod', { context: { alarmEmail: '' } })).toThrow(
      /prod needs somewhere to send alarms: --context alarmEmail=.*alarmTopicArn/,
    );
  });

  it('refuses a prod synth without a Twilio sender, and a malformed sender in any stage', () => {
    expect(() => synthPlatform('prod', { context: { twilioFrom: '' } })).toThrow(
      /prod needs a sender for outbound SMS: --context twilioFrom=/,
    );
    expect(() => synthPlatform('dev', { context: { twilioFrom: '07701234567' } })).toThrow(
      /context twilioFrom: must be an E\.164 number/,
    );
    expect(() => synthPlatform('dev', { context: { alarmEmail: 'not-an-address' } })).toThrow(
      /context alarmEmail: "not-an-address" is not an e-mail address/,
    );
  });

  it('accepts an alphanumeric sender ID or a messaging service SID as the Twilio sender', () => {
    for (const twilioFrom of ['CFM Iraq', `MG${'0123456789abcdef'.repeat(2)}`]) {
      const s = synthPlatform('prod', { context: { twilioFrom } });
      expect(envOf(platformFunctions(s).get('notifier')!.props).TWILIO_FROM).toBe(twilioFrom);
    }
  });

  it('lets dev go without a destination, saying so in the synth output; its alarm topic is unencrypted (CloudWatch cannot use the AWS-managed SNS key)', () => {
    const [, topic] = alarmTopicId(dev);
    expect(topic.Properties.KmsMasterKeyId).toBeUndefined();
    Annotations.fromStack(dev.stateless).hasWarning(
      '/cfm-dev-stateless/Monitoring',
      Match.stringLikeRegexp('Alarms of dev reach nobody'),
    );
    Annotations.fromStack(prod.stateless).hasNoWarning('*', Match.stringLikeRegexp('reach nobody'));
  });
});
