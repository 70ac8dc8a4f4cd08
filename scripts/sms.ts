/**
 * Sends an SMS to the platform as Twilio would (signed with the auth token) and prints the reply.
 *
 *   npm run sms -- --from +9647701234567 "الماء مقطوع منذ ثلاثة أيام"
 *
 * Options: --to <number> (the platform's number), --url <base> (default $PUBLIC_BASE_URL or http://localhost:3000),
 * --public-url <base> (the URL signatures are computed over, when it differs from --url), --token <auth token>
 * (default $TWILIO_AUTH_TOKEN or the local stack's), --sid <MessageSid> (repeat one to play Twilio's retry),
 * --media <url> (repeatable, an MMS), --json (print the whole outcome).
 */
import { LOCAL_TWILIO } from '#local/stack.ts';
import { sendSms } from './lib/sms-sim.ts';
import { parseArgs, StackUnreachableError, targetFrom } from './lib/twilio-sim.ts';

const USAGE =
  'usage: npm run sms -- --from +9647701234567 [--to +9647000000000] [--url URL] [--sid SM…] "text"';

async function main(): Promise<number> {
  const { flags, words } = parseArgs(process.argv.slice(2));
  const from = flags.get('from')?.at(-1);
  if (!from || flags.has('help')) {
    console.error(USAGE);
    return 2;
  }
  const target = targetFrom(flags, LOCAL_TWILIO);
  const outcome = await sendSms(target, {
    from,
    to: flags.get('to')?.at(-1) ?? LOCAL_TWILIO.messagingFrom,
    body: words.join(' '),
    ...(flags.get('sid') ? { messageSid: flags.get('sid')?.at(-1) } : {}),
    mediaUrls: flags.get('media') ?? [],
  });
  if (flags.has('json')) {
    console.log(JSON.stringify(outcome, null, 2));
  } else if (outcome.error) {
    console.error(`The platform refused the message (${outcome.status}): ${outcome.error}`);
  } else {
    console.log(`MessageSid ${outcome.messageSid}`);
    console.log(outcome.replies.length ? outcome.replies.join('\n') : '(no reply)');
  }
  return outcome.error ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: Error) => {
    console.error(err instanceof StackUnreachableError ? err.message : `sms failed: ${err.message}`);
    process.exitCode = 1;
  },
);
