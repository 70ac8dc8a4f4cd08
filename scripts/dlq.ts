/**
 * Counts, lists and replays a stage's dead-letter queues (scripts/lib/dlq.ts says what each holds and how it is
 * replayed).
 *
 *   npm run dlq -- --list                      the local stack's DLQs, each message's reason and age (--url, or PORT)
 *   npm run dlq -- --replay router             hands router-dlq's records to the router again
 *   npm run dlq -- --replay fp-basra           republishes fp-basra-dlq's notifications to that focal point alone
 *   npm run dlq -- --stage prod --region me-central-1 --list      a deployed stage, with your AWS credentials
 *   npm run dlq -- --stage prod --region me-central-1 --replay router
 *
 * --json prints the counts and messages (or the replay's result) as JSON. Exit status: 0 done, 1 something was left
 * in the DLQ or failed, 2 wrong usage or an unknown DLQ, 3 nothing to replay. Subscription replays keep a journal
 * of what they sent in .dlq-replays/<stage>.log (scripts/lib/dlq-subscription.ts).
 */

import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import * as z from 'zod';
import {
  countDlqs,
  findStageDlqs,
  NothingToReplayError,
  peekDlq,
  pickDlq,
  type ReplayDeps,
  replayDlq,
  UnknownDlqError,
} from './lib/dlq.ts';
import { lambdaInvoker, localInvoker } from './lib/dlq-invoke.ts';
import { fileJournal } from './lib/dlq-subscription.ts';
import { parseArgs } from './lib/twilio-sim.ts';

const USAGE =
  'usage: npm run dlq -- (--list | --replay <queue>) [--url http://localhost:3000 | --stage <stage> --region <region>] [--json]';

class UsageError extends Error {
  readonly code = 'DLQ.USAGE';
  constructor(message = USAGE) {
    super(message);
    this.name = 'UsageError';
  }
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** What subscription replays sent, per stage: kept beside the repository, out of git. */
const journalFor = (stage: string) => fileJournal(join(ROOT, '.dlq-replays', `${stage}.log`));

const LocalMessaging = z.object({ endpoint: z.string(), region: z.string(), stage: z.string() });

/** The local stack: where its emulator listens, and its stream consumers, asked as the local admin. */
async function localTarget(url: string): Promise<ReplayDeps> {
  const unreachable = () =>
    new Error(`Nothing answers at ${url}. Start the local stack with \`npm start\`, or pass --url.`);
  const token = await fetch(`${url}/dev/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ role: 'admin' }),
  }).catch(() => {
    throw unreachable();
  });
  if (!token.ok) throw new Error(`the local stack refused a token (${token.status})`);
  const { token: bearer } = (await token.json()) as { token: string };
  const res = await fetch(`${url}/dev/messaging`, { headers: { authorization: `Bearer ${bearer}` } });
  if (!res.ok) throw new Error(`the local stack answered /dev/messaging with ${res.status}`);
  const m = LocalMessaging.safeParse(await res.json());
  if (!m.success) throw new Error('the local stack answered /dev/messaging with something unexpected');
  const local = {
    region: m.data.region,
    endpoint: m.data.endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  };
  return {
    stage: m.data.stage,
    sqs: new SQSClient(local),
    sns: new SNSClient(local),
    journal: journalFor(m.data.stage),
    invoke: localInvoker(url, bearer),
  };
}

/** A deployed stage, with the caller's credentials (docs/deploy.md §8 lists the permissions a replay needs). */
function awsTarget(stage: string, region: string | undefined): ReplayDeps {
  const config = region ? { region } : {};
  return {
    stage,
    sqs: new SQSClient(config),
    sns: new SNSClient(config),
    journal: journalFor(stage),
    streams: new DynamoDBStreamsClient(config),
    invoke: lambdaInvoker(new LambdaClient(config), stage),
  };
}

const age = (seconds: number | undefined): string =>
  seconds === undefined
    ? '?'
    : seconds < 120
      ? `${seconds} s`
      : seconds < 7200
        ? `${Math.round(seconds / 60)} min`
        : `${(seconds / 3600).toFixed(1)} h`;

async function main(): Promise<number> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs(process.argv.slice(2), ['json', 'help', 'list']);
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n${USAGE}`);
  }
  const { flags, words } = parsed;
  const one = (name: string) => flags.get(name)?.at(-1);
  const replay = one('replay');
  if (replay?.startsWith('--')) throw new UsageError(`--replay needs a DLQ's name, such as router\n${USAGE}`);
  const known = new Set(['json', 'help', 'list', 'replay', 'stage', 'region', 'url']);
  const unknown = [...flags.keys()].filter((f) => !known.has(f));
  if (unknown.length) throw new UsageError(`unknown option --${unknown[0]}\n${USAGE}`);
  if (words.length) throw new UsageError(`unexpected argument ${words[0]}\n${USAGE}`);
  if (flags.has('help')) {
    console.log(USAGE);
    return 0;
  }
  if (flags.has('list') === (replay !== undefined)) throw new UsageError();
  const stage = one('stage');
  const target = stage
    ? awsTarget(stage, one('region'))
    : await localTarget((one('url') ?? `http://localhost:${process.env.PORT ?? 3000}`).replace(/\/$/, ''));
  const dlqs = await findStageDlqs(target.sqs, target.stage);

  if (replay !== undefined) {
    const dlq = pickDlq(dlqs, replay);
    const result = await replayDlq(target, dlq);
    if (flags.has('json')) console.log(JSON.stringify(result));
    else {
      const how =
        dlq.kind === 'queue'
          ? 'moved back to its queue'
          : dlq.subscriber?.kind === 'focal-point'
            ? `republished to focal point ${dlq.subscriber.focalPointId} alone`
            : dlq.subscriber
              ? 'republished to that alarm e-mail alone'
              : 'replayed';
      console.log(`${dlq.name}: ${result.replayed} of ${result.found} message(s) ${how}`);
      if (result.alreadySent)
        console.log(
          `  ${result.alreadySent} of them had been sent by an earlier replay: removed, not sent again`,
        );
      for (const l of result.left) console.log(`  left in the DLQ: ${l.messageId}: ${l.why}`);
    }
    return result.left.length ? 1 : 0;
  }

  const counts = await countDlqs(target.sqs, dlqs);
  const listed = [];
  for (const c of counts) {
    const dlq = pickDlq(dlqs, c.name);
    listed.push({ ...c, items: c.messages ? await peekDlq(target.sqs, dlq) : [] });
  }
  if (flags.has('json')) {
    console.log(JSON.stringify({ stage: target.stage, dlqs: listed }));
    return 0;
  }
  console.log(`dead letters in stage ${target.stage}:`);
  for (const c of listed) {
    const whom =
      c.subscriber?.kind === 'focal-point'
        ? ` (focal point ${c.subscriber.focalPointId})`
        : c.subscriber
          ? ' (an alarm e-mail)'
          : '';
    const how = `replay: ${c.replay}${whom}`;
    console.log(`  ${c.name.padEnd(20)} ${String(c.messages).padStart(6)}  ${how}`);
    for (const m of c.items)
      console.log(`      ${m.messageId}  ${age(m.ageSeconds).padStart(7)} ago  ${m.reason}  ${m.about}`);
    if (c.items.length < c.messages) console.log(`      … and ${c.messages - c.items.length} more`);
  }
  console.log(`  ${'total'.padEnd(20)} ${String(counts.reduce((n, c) => n + c.messages, 0)).padStart(6)}`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: Error) => {
    console.error(`dlq: ${err.message}`);
    process.exitCode =
      err instanceof NothingToReplayError
        ? 3
        : err instanceof UnknownDlqError || err instanceof UsageError
          ? 2
          : 1;
  },
);
