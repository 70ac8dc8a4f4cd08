/**
 * A focal point's SNS subscription dead letters, replayed to that focal point alone. The local stack runs here on
 * the tier's DynamoDB Local and the SNS/SQS emulator; the admin API gives each focal point's subscription a DLQ of
 * its own. A focal point's endpoint refuses deliveries (`POST /dev/inbox/refuse`: what an e-mail server bouncing or
 * an HTTPS receiver down does), so SNS's redrive (the local stack's part, as fauxqs has none) puts the routed
 * notification in that DLQ while the other focal points get theirs. Then, with the command as README prints it:
 * - the refusing focal point gets the notification exactly once, the others nothing new, and a second replay has
 *   nothing to do;
 * - a replay whose delete fails after the republish (the one fault made by a stand-in: an SDK middleware) leaves
 *   the message, and the next replay removes it without sending it again (the journal);
 * - a focal point made inactive since gets nothing, and the replay says so;
 * - an alarm e-mail's dead letter goes back to the alarm topic for that address alone. The alarm topic exists in AWS
 *   only: here it is made in the emulator as the CDK app makes it, with two queues standing for two addresses,
 *   each subscribed with the filter policy infra gives an alarm e-mail.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTopicCommand, PublishCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { LOCAL_AWS } from '#local/dynamodb-local.ts';
import { LOCAL_TWILIO, type LocalStack, startLocalStack } from '#local/stack.ts';
import type { Case } from '#shared/cases/case-schema.ts';
import { alarmEmailFilterPolicy, alarmRecipientKey } from '#shared/routing/subscription-dlq.ts';
import { findStageDlqs, pickDlq, replayDlq } from '../../../scripts/lib/dlq.ts';
import { fileJournal } from '../../../scripts/lib/dlq-subscription.ts';
import { sendSms } from '../../../scripts/lib/sms-sim.ts';
import { stackDriver, until } from './support.ts';

const COMPLAINT = 'لم نستلم المساعدة النقدية منذ شهرين في الموصل';

describe('a focal point’s subscription dead letters, replayed to it alone', () => {
  let stack: LocalStack;
  let admin: string;
  const {
    devToken: token,
    settle,
    dlq,
    caseOf,
    notifications: routedTo,
    smsTarget,
  } = stackDriver(() => stack);

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${stack.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json().catch(() => undefined)) as Record<string, unknown> };
  };
  const refuse = async (focalPointId: string, refuse: boolean) =>
    expect((await api('POST', '/dev/inbox/refuse', { focalPointId, refuse })).status).toBe(200);
  const dlqDepth = async (focalPointId: string) => {
    const url = stack.messaging.urlOfArn(
      `arn:aws:sqs:${LOCAL_AWS.region}:000000000000:cfm-${stack.platform.stage}-fp-${focalPointId}-dlq`,
    );
    const d = await stack.messaging.sqs.depth(url);
    return d.visible + d.inFlight + d.delayed;
  };
  const complaint = async (phone: string): Promise<Case> => {
    const out = await sendSms(smsTarget(), {
      from: phone,
      to: LOCAL_TWILIO.messagingFrom,
      body: COMPLAINT,
      messageSid: `SM${randomBytes(16).toString('hex')}`,
    });
    expect(out.status).toBe(200);
    const c = await until(`a routed case for ${phone}`, async () => {
      const found = await caseOf(phone);
      return found?.routing ? found : undefined;
    });
    await settle();
    return stack.platform.cases.mustGet(c.caseId);
  };
  /** A routed case with its notifications settled, while `refusing` refuses: its notification is dead-lettered. */
  const refusedCase = async (refusing: string, phone: string) => {
    const before = await dlqDepth(refusing);
    await refuse(refusing, true);
    const c = await complaint(phone);
    expect(c.routing?.focalPoints).toContain(refusing);
    await until(`the notification in ${refusing}'s DLQ`, async () =>
      (await dlqDepth(refusing)) > before ? true : undefined,
    );
    await refuse(refusing, false);
    return c;
  };

  beforeAll(async () => {
    stack = await startLocalStack({
      dynamoEndpoint: inject('dynamoEndpoint'),
      stage: `fpdlq${randomBytes(3).toString('hex')}`,
      sweepEveryMs: 3_600_000,
      retentionEveryMs: 3_600_000,
      log: () => {},
    });
    admin = await token();
  }, 300_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('republishes the refused notification to that focal point once, and to nobody else', async () => {
    // A first case shows where this complaint is routed; the second, the same complaint, goes to the same people.
    const first = await complaint('+9647705400001');
    const routed = [...(first.routing?.focalPoints ?? [])].sort();
    expect(routed.length).toBeGreaterThan(0);
    const refusing = routed[0]!;
    const others = routed.slice(1);

    const c = await refusedCase(refusing, '+9647705400002');
    expect([...(c.routing?.focalPoints ?? [])].sort()).toEqual(routed);
    // The others (if any) were notified; the refusing focal point was not.
    expect(
      routedTo(c.caseId)
        .map((n) => n.focalPointId)
        .sort(),
    ).toEqual(others);
    expect(await dlqDepth(refusing)).toBe(1);
    // What SNS kept: the envelope with the message as published.
    const [kept] = await new SQSClient({ ...LOCAL_AWS, endpoint: stack.messaging.endpoint })
      .send(
        new ReceiveMessageCommand({
          QueueUrl: stack.messaging.urlOfArn(
            `arn:aws:sqs:${LOCAL_AWS.region}:000000000000:cfm-${stack.platform.stage}-fp-${refusing}-dlq`,
          ),
          VisibilityTimeout: 0,
          WaitTimeSeconds: 1,
        }),
      )
      .then((out) => out.Messages ?? []);
    // Published with a text per protocol (MessageStructure "json"): the JSON by default, texts for e-mail and SMS.
    const texts = JSON.parse((JSON.parse(kept!.Body!) as { Message: string }).Message) as Record<
      string,
      string
    >;
    const published = JSON.parse(texts.default!) as unknown;
    expect(published).toMatchObject({ caseId: c.caseId, eventType: 'routed' });

    const listed = (await dlq('--list')).stdout;
    expect(listed).toMatch(
      new RegExp(
        `fp-${refusing}-dlq\\s+1\\s+replay: npm run dlq -- --replay fp-${refusing} \\(focal point ${refusing}\\)`,
      ),
    );
    expect(listed).toContain(c.caseId);

    const inboxBefore = stack.inbox.list(() => true).length;
    const replayed = await dlq('--replay', `fp-${refusing}`);
    expect(replayed.stdout).toContain(
      `fp-${refusing}-dlq: 1 of 1 message(s) republished to focal point ${refusing} alone`,
    );
    await settle();

    // One notification more in every focal point's inbox taken together: the refusing focal point's.
    expect(stack.inbox.list(() => true).length).toBe(inboxBefore + 1);
    const after = routedTo(c.caseId);
    expect(after.map((n) => n.focalPointId).sort()).toEqual(routed);
    const mine = after.filter((n) => n.focalPointId === refusing);
    expect(mine).toHaveLength(1);
    // The body as it was published, addressed to the refusing focal point alone.
    expect(mine[0]!.message).toEqual(published);
    // Republished per protocol again, so an e-mail or a phone would get its own text, not the JSON.
    expect(mine[0]!.texts).toEqual({
      ...(texts.sms !== undefined ? { sms: texts.sms } : {}),
      ...(texts.email !== undefined ? { email: texts.email } : {}),
    });
    expect(mine[0]!.attributes.focalPoints).toBe(JSON.stringify([refusing]));
    expect(mine[0]!.attributes.audience).toBe(JSON.stringify(['focal_points']));
    expect(JSON.stringify(mine[0]!.message)).not.toContain(COMPLAINT);
    expect(await dlqDepth(refusing)).toBe(0);

    await expect(dlq('--replay', `fp-${refusing}`)).rejects.toMatchObject({
      code: 3,
      stderr: expect.stringContaining(`fp-${refusing}-dlq is empty: nothing to replay`),
    });
    await settle();
    expect(stack.inbox.list(() => true).length).toBe(inboxBefore + 1);
  }, 900_000);

  it('a replay cut short after the republish does not send it again the next time', async () => {
    const first = await complaint('+9647705400003');
    const refusing = [...(first.routing?.focalPoints ?? [])].sort()[0]!;
    const c = await refusedCase(refusing, '+9647705400004');
    const endpoint = stack.messaging.endpoint;
    const sqs = new SQSClient({ ...LOCAL_AWS, endpoint });
    // The fault: SQS refuses the delete once, after the republish went out (SQS never does this on its own here).
    let refusals = 1;
    sqs.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'DeleteMessageCommand' && refusals > 0) {
          refusals--;
          throw Object.assign(new Error('the delete did not go through'), { name: 'ServiceUnavailable' });
        }
        return next(args);
      },
      { step: 'initialize', name: 'failOneDelete' },
    );
    const journal = join(mkdtempSync(join(tmpdir(), 'dlq-journal-')), 'replays.log');
    const deps = () => ({
      stage: stack.platform.stage,
      sqs,
      sns: new SNSClient({ ...LOCAL_AWS, endpoint }),
      journal: fileJournal(journal),
    });
    const fp = pickDlq(await findStageDlqs(sqs, stack.platform.stage), `fp-${refusing}`);

    const cut = await replayDlq(deps(), fp).catch((err: Error) => err);
    expect(cut).toBeInstanceOf(Error);
    await settle();
    expect(routedTo(c.caseId).filter((n) => n.focalPointId === refusing)).toHaveLength(1);
    expect(await dlqDepth(refusing)).toBe(1);

    const again = await replayDlq(deps(), fp);
    expect(again).toMatchObject({ found: 1, replayed: 1, alreadySent: 1, left: [] });
    await settle();
    expect(routedTo(c.caseId).filter((n) => n.focalPointId === refusing)).toHaveLength(1);
    expect(await dlqDepth(refusing)).toBe(0);
  }, 900_000);

  it('a focal point made inactive since gets nothing; the replay says so and keeps the message', async () => {
    const first = await complaint('+9647705400005');
    const refusing = [...(first.routing?.focalPoints ?? [])].sort()[0]!;
    const before = await dlqDepth(refusing);
    const c = await refusedCase(refusing, '+9647705400006');
    const record = await api('GET', `/api/admin/focal-points/${refusing}`);
    expect(record.status).toBe(200);
    const fp = record.body.focalPoint as Record<string, unknown>;
    const off = await api('PUT', `/api/admin/focal-points/${refusing}`, { ...fp, active: false });
    expect(off.status, JSON.stringify(off.body)).toBe(200);
    // Its DLQ stays while it holds the dead letter.
    expect(await dlqDepth(refusing)).toBe(before + 1);

    const failed = (await dlq('--replay', `fp-${refusing}`).catch((err: unknown) => err)) as {
      code: number;
      stdout: string;
    };
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain(`fp-${refusing}-dlq: 0 of ${before + 1} message(s)`);
    expect(failed.stdout).toContain(
      `focal point ${refusing} has no subscription any more (removed or made inactive): not sent`,
    );
    await settle();
    expect(routedTo(c.caseId).filter((n) => n.focalPointId === refusing)).toEqual([]);
    expect(await dlqDepth(refusing)).toBe(before + 1);

    const on = await api('PUT', `/api/admin/focal-points/${refusing}`, { ...fp, active: true });
    expect(on.status, JSON.stringify(on.body)).toBe(200);
  }, 900_000);

  it('an alarm e-mail’s dead letter goes back to that address alone', async () => {
    const local = { ...LOCAL_AWS, endpoint: stack.messaging.endpoint };
    const sns = new SNSClient(local);
    const sqs = new SQSClient(local);
    const stage = stack.platform.stage;
    const queue = async (name: string) => {
      const url = (await sqs.send(new CreateQueueCommand({ QueueName: `cfm-${stage}-${name}` }))).QueueUrl!;
      const arn = (
        await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))
      ).Attributes!.QueueArn!;
      return { url, arn };
    };
    const received = async (url: string) =>
      (
        await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: url,
            MaxNumberOfMessages: 10,
            WaitTimeSeconds: 1,
            VisibilityTimeout: 0,
          }),
        )
      ).Messages ?? [];
    const topicArn = (await sns.send(new CreateTopicCommand({ Name: `cfm-${stage}-alarms` }))).TopicArn!;
    const [ops, duty] = ['ops@example.org', 'duty@example.org'].map(alarmRecipientKey) as [string, string];
    const inboxes: Record<string, { url: string; arn: string }> = {};
    for (const key of [ops, duty]) {
      inboxes[key] = await queue(`mail-${key}`);
      await sns.send(
        new SubscribeCommand({
          TopicArn: topicArn,
          Protocol: 'sqs',
          Endpoint: inboxes[key]!.arn,
          Attributes: {
            FilterPolicy: JSON.stringify(alarmEmailFilterPolicy(key)),
            RawMessageDelivery: 'true',
          },
        }),
      );
    }
    // CloudWatch's own publish (no attributes) reaches both addresses.
    const alarm = JSON.stringify({ AlarmName: `cfm-${stage}-router-dlq-depth`, NewStateValue: 'ALARM' });
    await sns.send(
      new PublishCommand({ TopicArn: topicArn, Message: alarm, Subject: 'ALARM: router-dlq-depth' }),
    );
    expect((await received(inboxes[ops]!.url)).map((m) => m.Body)).toEqual([alarm]);
    expect((await received(inboxes[duty]!.url)).map((m) => m.Body)).toEqual([alarm]);

    // The ops address bounced it: SNS kept the envelope in that subscription's DLQ.
    const dlqOps = await queue(`alarms-${ops}-dlq`);
    await queue(`alarms-${duty}-dlq`);
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: dlqOps.url,
        MessageBody: JSON.stringify({
          Type: 'Notification',
          MessageId: randomBytes(16).toString('hex'),
          TopicArn: topicArn,
          Subject: 'ALARM: router-dlq-depth',
          Message: alarm,
          Timestamp: new Date().toISOString(),
        }),
      }),
    );
    const before = {
      ops: (await received(inboxes[ops]!.url)).length,
      duty: (await received(inboxes[duty]!.url)).length,
    };
    const listed = (await dlq('--list')).stdout;
    expect(listed).toMatch(
      new RegExp(
        `alarms-${ops}-dlq\\s+1\\s+replay: npm run dlq -- --replay alarms-${ops} \\(an alarm e-mail\\)`,
      ),
    );
    const replayed = await dlq('--replay', `alarms-${ops}`);
    expect(replayed.stdout).toContain(
      `alarms-${ops}-dlq: 1 of 1 message(s) republished to that alarm e-mail alone`,
    );
    const opsAfter = await received(inboxes[ops]!.url);
    expect(opsAfter).toHaveLength(before.ops + 1);
    expect(opsAfter.at(-1)?.Body).toBe(alarm);
    expect(await received(inboxes[duty]!.url)).toHaveLength(before.duty);
  }, 300_000);
});
