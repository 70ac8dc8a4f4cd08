import { type AwsServiceConfig, callAws } from './http-client.ts';

export type MessageAttributeValue =
  | { DataType: 'String'; StringValue: string }
  | { DataType: 'Number'; StringValue: string }
  | { DataType: 'String.Array'; StringValue: string };

const xmlValue = (xml: string, tag: string): string | undefined => {
  const m = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml);
  return m?.[1]
    ?.replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
};

/** A small SNS client over the query protocol: publish and the subscription calls the admin API needs. */
export class Sns {
  constructor(private readonly config: AwsServiceConfig) {}

  private async action(params: Record<string, string>): Promise<string> {
    const body = new URLSearchParams({ ...params, Version: '2010-03-31' }).toString();
    const res = await callAws(this.config, {
      service: 'sns',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body,
      errorType: (r) => ({
        type: xmlValue(r.body, 'Code') ?? `HTTP${r.status}`,
        message: xmlValue(r.body, 'Message') ?? '',
      }),
    });
    return res.body;
  }

  /** Publishes one message; returns its MessageId. */
  async publish(
    topicArn: string,
    message: string,
    attributes: Record<string, MessageAttributeValue> = {},
  ): Promise<string> {
    const params: Record<string, string> = { Action: 'Publish', TopicArn: topicArn, Message: message };
    Object.entries(attributes).forEach(([name, value], i) => {
      const p = `MessageAttributes.entry.${i + 1}`;
      params[`${p}.Name`] = name;
      params[`${p}.Value.DataType`] = value.DataType;
      params[`${p}.Value.StringValue`] = value.StringValue;
    });
    return xmlValue(await this.action(params), 'MessageId') ?? '';
  }

  /** Subscribes an endpoint with attributes (FilterPolicy, RawMessageDelivery …); returns the subscription ARN. */
  async subscribe(
    topicArn: string,
    protocol: string,
    endpoint: string,
    attributes: Record<string, string> = {},
  ): Promise<string> {
    const params: Record<string, string> = {
      Action: 'Subscribe',
      TopicArn: topicArn,
      Protocol: protocol,
      Endpoint: endpoint,
      ReturnSubscriptionArn: 'true',
    };
    Object.entries(attributes).forEach(([key, value], i) => {
      params[`Attributes.entry.${i + 1}.key`] = key;
      params[`Attributes.entry.${i + 1}.value`] = value;
    });
    return xmlValue(await this.action(params), 'SubscriptionArn') ?? '';
  }

  async unsubscribe(subscriptionArn: string): Promise<void> {
    await this.action({ Action: 'Unsubscribe', SubscriptionArn: subscriptionArn });
  }

  async setSubscriptionAttribute(subscriptionArn: string, name: string, value: string): Promise<void> {
    await this.action({
      Action: 'SetSubscriptionAttributes',
      SubscriptionArn: subscriptionArn,
      AttributeName: name,
      AttributeValue: value,
    });
  }
}
