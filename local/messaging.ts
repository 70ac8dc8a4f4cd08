import { SNSClient } from '@aws-sdk/client-sns';
import { type FauxqsServer, startFauxqs } from 'fauxqs';
import { withoutSdkLogger } from '#functions/lib/aws-clients.ts';
import { Sns } from '#shared/messaging/sns.ts';
import { resourceName, topology } from '#shared/messaging/topology.ts';
import { LOCAL_AWS } from './dynamodb-local.ts';
import { LocalSqs } from './sqs.ts';

export interface QueueRef {
  url: string;
  arn: string;
}

/**
 * The SNS/SQS emulator (fauxqs, in this process) with the platform's topic and queues created from the same
 * topology the CDK app uses. fauxqs keeps nothing on disk, so every start re-creates the resources, and the
 * focal points' inbox subscriptions are re-created by the stack from the focal-point records.
 */
export class LocalMessaging {
  private server: FauxqsServer | undefined;
  readonly endpoint: string;
  readonly sns: Sns;
  readonly sqs: LocalSqs;
  readonly topicArn: string;
  readonly queues: {
    notifier: QueueRef;
    notifierDlq: QueueRef;
    routerDlq: QueueRef;
    projectorDlq: QueueRef;
    inboxDlq: QueueRef;
    gatewayOutboxDlq: QueueRef;
  };
  private readonly inboxes = new Map<string, QueueRef>();

  constructor(
    private readonly port: number,
    private readonly stage = 'local',
    private readonly options: { notifierVisibilityTimeoutSeconds?: number | undefined } = {},
  ) {
    this.endpoint = `http://127.0.0.1:${port}`;
    // The stack's own view of the emulator (creating its subscriptions); the platform has its clients.
    const snsClient = withoutSdkLogger(new SNSClient({ ...LOCAL_AWS, endpoint: this.endpoint }));
    this.sns = new Sns(async () => snsClient);
    this.sqs = new LocalSqs(LOCAL_AWS, this.endpoint);
    // fauxqs names queue URLs `http://sqs.<region>.<host>:<port>/<account>/<name>`; requests go to the endpoint.
    const ref = (name: string): QueueRef => ({
      url: `http://sqs.${LOCAL_AWS.region}.127.0.0.1:${port}/000000000000/${resourceName(stage, name)}`,
      arn: `arn:aws:sqs:${LOCAL_AWS.region}:000000000000:${resourceName(stage, name)}`,
    });
    this.topicArn = `arn:aws:sns:${LOCAL_AWS.region}:000000000000:${resourceName(stage, topology.topic.name)}`;
    this.queues = {
      notifier: ref(topology.queues.notifier.name),
      notifierDlq: ref(topology.queues.notifier.dlqName),
      routerDlq: ref(topology.streamConsumers.router.dlqName),
      projectorDlq: ref(topology.streamConsumers.projector.dlqName),
      inboxDlq: ref(topology.streamConsumers.inbox.dlqName),
      gatewayOutboxDlq: ref(topology.streamConsumers['gateway-outbox'].dlqName),
    };
  }

  get running(): boolean {
    return this.server !== undefined;
  }

  async start(): Promise<void> {
    if (this.server) return;
    const server = await startFauxqs({
      port: this.port,
      host: '127.0.0.1',
      logger: false,
      defaultRegion: LOCAL_AWS.region,
    });
    this.server = server;
    const name = (n: string) => resourceName(this.stage, n);
    const q = topology.queues.notifier;
    server.createTopic(name(topology.topic.name));
    for (const dlq of [
      q.dlqName,
      topology.streamConsumers.router.dlqName,
      topology.streamConsumers.projector.dlqName,
      topology.streamConsumers.inbox.dlqName,
      topology.streamConsumers['gateway-outbox'].dlqName,
    ]) {
      server.createQueue(name(dlq));
    }
    server.createQueue(name(q.name), {
      attributes: {
        VisibilityTimeout: String(
          this.options.notifierVisibilityTimeoutSeconds ?? q.visibilityTimeoutSeconds,
        ),
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: this.queues.notifierDlq.arn,
          maxReceiveCount: q.maxReceiveCount,
        }),
      },
    });
    await this.sns.subscribe(this.topicArn, 'sqs', this.queues.notifier.arn, {
      RawMessageDelivery: 'true',
      FilterPolicy: JSON.stringify(q.filterPolicy),
    });
    this.inboxes.clear();
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    await server?.stop();
  }

  /** The local stand-in for a focal point's e-mail/SMS/HTTPS subscription: a queue the stack reads into the inbox. */
  inboxQueue(focalPointId: string): QueueRef {
    const existing = this.inboxes.get(focalPointId);
    if (existing) return existing;
    if (!this.server) throw new Error('messaging is stopped');
    const safe = focalPointId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 60);
    const created = this.server.createQueue(resourceName(this.stage, `inbox-${safe}`));
    const ref = { url: created.queueUrl, arn: created.queueArn };
    this.inboxes.set(focalPointId, ref);
    return ref;
  }

  /** The URL of a queue of this emulator from its ARN (fauxqs's URL scheme, as in the constructor). */
  urlOfArn(arn: string): string {
    const name = arn.split(':')[5] ?? '';
    return `http://sqs.${LOCAL_AWS.region}.127.0.0.1:${this.port}/000000000000/${name}`;
  }

  inboxQueues(): [string, QueueRef][] {
    return [...this.inboxes.entries()];
  }
}
