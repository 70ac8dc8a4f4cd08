/**
 * Counts a stage's dead-letter queues and replays the notifier's (see scripts/lib/dlq.ts for what each holds).
 *
 *   npm run dlq -- --list                          the local stack's DLQs (--url, default http://localhost:3000)
 *   npm run dlq -- --replay notifier               moves notifier-dlq's messages back to the notifier's queue
 *   npm run dlq -- --stage prod --region me-central-1 --list      a deployed stage, with your AWS credentials
 *   npm run dlq -- --stage prod --region me-central-1 --replay notifier
 *
 * --json prints the counts (or the replay's result) as JSON. Exit status: 0 done, 1 failed, 2 wrong usage or a DLQ
 * that cannot be replayed.
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import {
  countDlqs,
  DlqNotReplayableError,
  findStageDlqs,
  pickDlq,
  replayDlq,
  UnknownDlqError,
} from './lib/dlq.ts';
import { parseArgs } from './lib/twilio-sim.ts';

const USAGE =
  'usage: npm run dlq -- (--list | --replay <queue>) [--url http://localhost:3000 | --stage <stage> --region <region>] [--json]';

const LocalMessaging = (v: unknown) => {
  const o = v as { endpoint?: unknown; region?: unknown; stage?: unknown };
  if (typeof o?.endpoint !== 'string' || typeof o.region !== 'string' || typeof o.stage !== 'string')
    throw new Error('the local stack answered /dev/messaging with something unexpected');
  return { endpoint: o.endpoint, region: o.region, stage: o.stage };
};

/** The local stack's emulator: where it listens, asked as the local admin. */
async function localTarget(url: string) {
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
  const m = LocalMessaging(await res.json());
  return {
    stage: m.stage,
    sqs: new SQSClient({
      region: m.region,
      endpoint: m.endpoint,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  };
}

async function main(): Promise<number> {
  const { flags } = parseArgs(process.argv.slice(2), ['json', 'help', 'list']);
  const one = (name: string) => flags.get(name)?.at(-1);
  const replay = one('replay');
  if (flags.has('help') || flags.has('list') === (replay !== undefined)) {
    console.error(USAGE);
    return 2;
  }
  const stage = one('stage');
  const target = stage
    ? { stage, sqs: new SQSClient(one('region') ? { region: one('region') } : {}) }
    : await localTarget((one('url') ?? `http://localhost:${process.env.PORT ?? 3000}`).replace(/\/$/, ''));
  const dlqs = await findStageDlqs(target.sqs, target.stage);
  if (replay !== undefined) {
    const result = await replayDlq(target.sqs, pickDlq(dlqs, replay));
    if (flags.has('json')) console.log(JSON.stringify(result));
    else console.log(`moved ${result.moved} message(s) from ${pickDlq(dlqs, replay).name} back to its queue`);
    return 0;
  }
  const counts = await countDlqs(target.sqs, dlqs);
  if (flags.has('json')) {
    console.log(JSON.stringify({ stage: target.stage, dlqs: counts }));
    return 0;
  }
  console.log(`dead letters in stage ${target.stage}:`);
  for (const c of counts) {
    const how =
      c.kind === 'queue' ? `replay: npm run dlq -- --replay ${c.name.replace(/-dlq$/, '')}` : c.kind;
    console.log(`  ${c.name.padEnd(20)} ${String(c.messages).padStart(6)}  ${how}`);
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
    process.exitCode = err instanceof DlqNotReplayableError || err instanceof UnknownDlqError ? 2 : 1;
  },
);
