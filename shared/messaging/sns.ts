/**
 * The case-events topic's access layer over the AWS SDK's SNS client: publish, and the subscription calls the
 * admin API makes. The client is built by functions/lib/aws-clients.ts and handed in as a loader, because most
 * functions publish rarely or never: `@aws-sdk/client-sns` is imported here only through `import()`, so the
 * bundler keeps it in a chunk of its own that a function reads on its first publish, not at every cold start.
 * Failures leave as the domain's coded errors (shared/errors/aws-errors.ts).
 */
import type { SNSClient } from '@aws-sdk/client-sns';
import { fromAwsError } from '../errors/aws-errors.ts';

export type MessageAttributeValue =
  | { DataType: 'String'; StringValue: string }
  | { DataType: 'Number'; StringValue: string }
  | { DataType: 'String.Array'; StringValue: string };

/**
 * What an e-mail or SMS subscriber reads instead of the message's JSON: SNS sends each protocol its own text when
 * a message is published with MessageStructure "json", and `default` (the JSON) to every other protocol (SQS,
 * HTTPS). A focal point's phone gets a short line, not a JSON object it would pay several segments for.
 */
export interface ProtocolTexts {
  sms?: string;
  email?: string;
  /** The e-mail's subject line (SNS uses it for e-mail only). */
  subject?: string;
}

/** The protocol keys SNS reads in a MessageStructure "json" message (`default` is required). */
const SNS_PROTOCOLS = new Set([
  'default',
  'sqs',
  'http',
  'https',
  'email',
  'email-json',
  'sms',
  'lambda',
  'firehose',
  'application',
]);

/**
 * The texts per protocol of a message published with MessageStructure "json" (as {@link Sns.publish} publishes one
 * with {@link ProtocolTexts}), or undefined for any other message.
 */
export function perProtocolTexts(message: string): Record<string, string> | undefined {
  try {
    const parsed: unknown = JSON.parse(message);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
    const valid =
      typeof (parsed as { default?: unknown }).default === 'string' &&
      Object.entries(parsed).every(([k, v]) => SNS_PROTOCOLS.has(k) && typeof v === 'string');
    return valid ? (parsed as Record<string, string>) : undefined;
  } catch {
    return undefined;
  }
}

const sdk = () => import('@aws-sdk/client-sns');

export class Sns {
  constructor(private readonly client: () => Promise<SNSClient>) {}

  private async run<T>(call: (client: SNSClient, commands: Awaited<ReturnType<typeof sdk>>) => Promise<T>) {
    try {
      const [client, commands] = await Promise.all([this.client(), sdk()]);
      return await call(client, commands);
    } catch (err) {
      throw fromAwsError(err, 'sns');
    }
  }

  /** Publishes one message, with the texts e-mail and SMS subscribers read instead, if any; returns its MessageId. */
  async publish(
    topicArn: string,
    message: string,
    attributes: Record<string, MessageAttributeValue> = {},
    texts: ProtocolTexts = {},
  ): Promise<string> {
    const { subject, ...perProtocol } = texts;
    const structured = Object.keys(perProtocol).length > 0;
    const out = await this.run((client, { PublishCommand }) =>
      client.send(
        new PublishCommand({
          TopicArn: topicArn,
          Message: structured ? JSON.stringify({ default: message, ...perProtocol }) : message,
          ...(structured ? { MessageStructure: 'json' } : {}),
          ...(subject ? { Subject: subject } : {}),
          MessageAttributes: attributes,
        }),
      ),
    );
    return out.MessageId ?? '';
  }

  /** Subscribes an endpoint with attributes (FilterPolicy, RawMessageDelivery …); returns the subscription ARN. */
  async subscribe(
    topicArn: string,
    protocol: string,
    endpoint: string,
    attributes: Record<string, string> = {},
  ): Promise<string> {
    const out = await this.run((client, { SubscribeCommand }) =>
      client.send(
        new SubscribeCommand({
          TopicArn: topicArn,
          Protocol: protocol,
          Endpoint: endpoint,
          Attributes: attributes,
          ReturnSubscriptionArn: true,
        }),
      ),
    );
    return out.SubscriptionArn ?? '';
  }

  async unsubscribe(subscriptionArn: string): Promise<void> {
    await this.run((client, { UnsubscribeCommand }) =>
      client.send(new UnsubscribeCommand({ SubscriptionArn: subscriptionArn })),
    );
  }

  async setSubscriptionAttribute(subscriptionArn: string, name: string, value: string): Promise<void> {
    await this.run((client, { SetSubscriptionAttributesCommand }) =>
      client.send(
        new SetSubscriptionAttributesCommand({
          SubscriptionArn: subscriptionArn,
          AttributeName: name,
          AttributeValue: value,
        }),
      ),
    );
  }
}
