/**
 * The SMS webhook as Twilio calls it, in this process, against DynamoDB Local: a signed form-encoded request
 * through the deployed handler (signature check, zod parse, language, the one UpdateItem that writes the message
 * onto the number's item and reads its state back, and the TwiML answer). Baseline, interleaved in the same run:
 * one bare conditional PutItem of a whole SMS case item on the same table, sent with the very SDK client the
 * webhook's platform uses (the item marshalled before the clock starts), the least any intake could do.
 *
 * The inbox worker, which opens the cases from the table stream, runs between rounds (every 20 messages, outside
 * the timings), so the number items look as they do in service; its own cost per message is reported beside.
 *
 * Senders come from a pool of 200 numbers, so most have an earlier case or two to link to, as on a real hotline.
 */
import { randomBytes } from 'node:crypto';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks.js';
import { makePlatform, usePlatform } from '#functions/lib/platform.ts';
import type { HttpResult } from '#functions/lib/responses.ts';
import { makeInbox } from '#functions/sms-inbox/inbox.ts';
import { ensureTable, localAwsClients, startDynamoLocal } from '#local/dynamodb-local.ts';
import { lambdaContext } from '#local/lambda-context.ts';
import { freePort } from '#local/ports.ts';
import { StreamPoller } from '#local/stream-poller.ts';
import { caseKeys } from '#shared/cases/case-keys.ts';
import { marshallItem } from '#shared/store/dynamodb.ts';
import { percentile, round, timed } from './stats.ts';
import type { BenchResult } from './types.ts';

const ROUNDS = Number(process.env.BENCH_INTAKE_ROUNDS ?? 400);
const WARM_UP = 50;
const PHONES = 200;
const PUBLIC_BASE_URL = 'https://cfm.example.org';
const PATH = '/webhooks/twilio/sms';
const TEXTS = [
  'الماء مقطوع في المخيم منذ ثلاثة أيام ولا أحد يجيب',
  'ئێمە سێ مانگە یارمەتیمان پێنەگەیشتووە',
  'Em sê meh in alîkarî negihîştiye me',
  'We have not received the cash assistance for three months',
];

export async function run(): Promise<BenchResult[]> {
  const dynamo = await startDynamoLocal({ port: await freePort() });
  try {
    const tableName = 'bench-intake';
    await ensureTable(dynamo.db, tableName);
    const platform = makePlatform({
      stage: 'bench',
      aws: localAwsClients({ dynamodb: dynamo.endpoint }),
      tableName,
      topicArn: 'arn:aws:sns:me-central-1:000000000000:none',
      twilio: {
        accountSid: `AC${'0'.repeat(31)}1`,
        authToken: 'bench-token',
        messagingFrom: '+9647000000000',
      },
      publicBaseUrl: PUBLIC_BASE_URL,
      keys: { encryptionKey: randomBytes(32), hashKey: randomBytes(32) },
    });
    usePlatform(platform);
    const { handler } = await import('#functions/twilio-sms/handler.ts');
    const phones = Array.from({ length: PHONES }, (_, i) => `+964770${String(1_000_000 + i)}`);

    const smsEvent = (i: number): APIGatewayProxyEventV2 => {
      const params = {
        MessageSid: `SM${randomBytes(16).toString('hex')}`,
        AccountSid: platform.twilio.accountSid,
        From: phones[i % PHONES] as string,
        To: platform.twilio.messagingFrom,
        Body: TEXTS[i % TEXTS.length] as string,
        NumMedia: '0',
        NumSegments: '1',
        SmsStatus: 'received',
        ApiVersion: '2010-04-01',
      };
      const signature = getExpectedTwilioSignature(
        platform.twilio.authToken,
        `${PUBLIC_BASE_URL}${PATH}`,
        params,
      );
      return {
        version: '2.0',
        routeKey: `POST ${PATH}`,
        rawPath: PATH,
        rawQueryString: '',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
        body: new URLSearchParams(params).toString(),
        isBase64Encoded: false,
        requestContext: { http: { method: 'POST', path: PATH } },
      } as unknown as APIGatewayProxyEventV2;
    };
    // The request is built and signed (Twilio's side) before the clock starts.
    const deliver = async (event: APIGatewayProxyEventV2) => {
      const res = (await handler(event, lambdaContext('bench-sms'))) as HttpResult;
      if (res.statusCode !== 200) throw new Error(`the SMS webhook answered ${res.statusCode}: ${res.body}`);
    };

    // The bare write stores a whole SMS case item (index attributes included), keyed freshly each time.
    const { case: sampleCase } = await platform.cases.create({
      channel: 'sms',
      idempotencyKey: 'bench-sample',
      narrative: TEXTS[0] as string,
      language: 'ar',
      consentToFollowUp: true,
      phone: phones[0] as string,
      mediaUrls: [],
      linkedCaseIds: [],
      createdBy: { kind: 'complainant' },
    });
    const sample = await platform.db.get(tableName, caseKeys.case(sampleCase.caseId), true);
    if (!sample) throw new Error('the sample case was not stored');
    const bareCommand = (i: number) =>
      new PutItemCommand({
        TableName: tableName,
        Item: marshallItem({ ...sample, pk: `BARE#${i}#${randomBytes(4).toString('hex')}`, sk: 'CASE' }),
        ConditionExpression: 'attribute_not_exists(pk)',
      });
    const bare = (command: PutItemCommand) => platform.db.client.send(command);

    // The inbox worker on the table's stream, held while the webhook is timed.
    let workerMs = 0;
    let opened = 0;
    const quiet = () => {};
    const inbox = makeInbox(platform, {
      debug: quiet,
      warn: quiet,
      error: quiet,
      info: (_message: string, fields?: { code?: string }) => {
        if (fields?.code === 'SMS.OPENED') opened++;
      },
    } as unknown as Parameters<typeof makeInbox>[1]);
    const poller = new StreamPoller({
      name: 'inbox',
      db: dynamo.db,
      streams: dynamo.streams,
      tableName,
      batchSize: 25,
      maxRetries: 1,
      handler: async (e) => {
        const t = performance.now();
        const r = await inbox(e);
        workerMs += performance.now() - t;
        if (r.batchItemFailures?.length) throw new Error('the inbox worker failed a record');
        return r;
      },
      deadLetter: async () => {
        throw new Error('the inbox worker dead-lettered a record');
      },
      idleMs: 10,
      log: quiet,
    });
    poller.start();
    poller.pause();
    const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const drain = async () => {
      poller.resume();
      if (!(await poller.caughtUp(60_000))) throw new Error('the inbox worker did not catch up');
      poller.pause();
      await pause(150);
    };

    const webhookTimes: number[] = [];
    const bareTimes: number[] = [];
    try {
      for (let i = 1; i <= WARM_UP + ROUNDS; i++) {
        const event = smsEvent(i);
        const command = bareCommand(i);
        const w = await timed(() => deliver(event));
        const b = await timed(() => bare(command));
        if (i > WARM_UP) {
          webhookTimes.push(w);
          bareTimes.push(b);
        }
        if (i % 20 === 0) await drain();
      }
      await drain();
    } finally {
      await poller.stop();
    }
    if (opened !== WARM_UP + ROUNDS)
      throw new Error(`the inbox worker opened ${opened} cases for ${WARM_UP + ROUNDS} messages`);
    const result = (p: number, goal: string): BenchResult => {
      const value = percentile(webhookTimes, p);
      const baseline = percentile(bareTimes, p);
      return {
        name: `SMS webhook p${p} (signed, in-process) vs bare conditional PutItem (same SDK client)`,
        value: round(value),
        unit: 'ms',
        baseline: round(baseline),
        ratio: round(value / baseline),
        goal,
      };
    };
    const perMessage = workerMs / opened;
    const bareMean = bareTimes.reduce((a, b) => a + b, 0) / bareTimes.length;
    return [
      result(50, '<= 1.3x'),
      result(99, 'report'),
      {
        name: 'SMS inbox worker per message (opens the case from the stream, off the webhook) vs mean bare PutItem',
        value: round(perMessage),
        unit: 'ms',
        baseline: round(bareMean),
        ratio: round(perMessage / bareMean),
        goal: 'report',
      },
    ];
  } finally {
    usePlatform(undefined);
    await dynamo.stop();
  }
}
