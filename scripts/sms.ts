/**
 * Sends an SMS to the platform as Twilio would (signed with the auth token) and prints the reply.
 *
 *   npm run sms -- --from +9647701234567 "الماء مقطوع منذ ثلاثة أيام"
 *   npm run sms -- --whatsapp --from +9647701234567 "…"   (on WhatsApp, through Twilio)
 *   npm run sms -- --gateway --from 07701234567 "…"       (through the local SMS gateway: the relay phone posts it,
 *                                                          signed; prints what the platform asked the relay to send)
 *
 * Options: --to <number> (the platform's number), --url <base> (default $PUBLIC_BASE_URL or http://localhost:3000),
 * --public-url <base> (the URL signatures are computed over, when it differs from --url), --token <auth token>
 * (default $TWILIO_AUTH_TOKEN or the local stack's), --sid <MessageSid> (repeat one to play Twilio's retry),
 * --media <url> (repeatable, an MMS), --json (print the whole outcome).
 */
import { LOCAL_GATEWAY, LOCAL_TWILIO, LOCAL_WHATSAPP } from '#local/stack.ts';
import { sendThroughGateway } from './lib/gateway-sim.ts';
import { sendSms } from './lib/sms-sim.ts';
import { parseArgs, StackUnreachableError, targetFrom } from './lib/twilio-sim.ts';

const USAGE =
  'usage: npm run sms -- [--whatsapp | --gateway] --from +9647701234567 [--to +9647000000000] [--url URL] [--sid SM…] "text"';

async function main(): Promise<number> {
  const { flags, words } = parseArgs(process.argv.slice(2), ['json', 'help', 'whatsapp', 'gateway']);
  const from = flags.get('from')?.at(-1);
  if (!from || flags.has('help') || (flags.has('whatsapp') && flags.has('gateway'))) {
    console.error(USAGE);
    return 2;
  }
  const target = targetFrom(flags, LOCAL_TWILIO);
  if (flags.has('gateway')) {
    const relayed = await sendThroughGateway(
      {
        url: target.url,
        signingKey:
          flags.get('signing-key')?.at(-1) ?? process.env.GATEWAY_SIGNING_KEY ?? LOCAL_GATEWAY.signingKey,
      },
      { from, body: words.join(' '), ...(flags.get('sid') ? { eventId: flags.get('sid')?.at(-1) } : {}) },
    );
    if (flags.has('json')) console.log(JSON.stringify(relayed, null, 2));
    else if (relayed.error)
      console.error(`The platform refused the message (${relayed.status}): ${relayed.error}`);
    else {
      console.log(`Gateway event ${relayed.eventId}`);
      console.log(relayed.replies.length ? relayed.replies.join('\n') : '(no reply)');
    }
    return relayed.error ? 1 : 0;
  }
  const whatsapp = flags.has('whatsapp');
  const outcome = await sendSms(target, {
    from,
    to: flags.get('to')?.at(-1) ?? (whatsapp ? LOCAL_WHATSAPP.from : LOCAL_TWILIO.messagingFrom),
    whatsapp,
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
