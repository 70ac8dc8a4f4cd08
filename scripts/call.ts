/**
 * Calls the hotline as Twilio would and walks the IVR with the given keys, printing every prompt and the reference.
 *
 *   npm run call -- --from +9647701234567 --digits 1,3,1,record:"the water tank is empty"
 *
 * --digits: keys in order; `-` stays silent at a menu; `record` or `record:<text>` leaves a voice message (the text is
 * what the transcription callback carries; --say <text> sets it for a bare `record`); `dial:<outcome>` plays how a
 * call put through to the operators ends (`completed`, `no-answer`, `busy`, `failed`, `canceled`); `hangup` hangs up.
 * Options as for `npm run sms`: --to, --url, --public-url, --token, --sid <CallSid>, --json.
 */
import { LOCAL_TWILIO } from '#local/stack.ts';
import { parseMoves, placeCall } from './lib/call-sim.ts';
import { parseArgs, StackUnreachableError, targetFrom } from './lib/twilio-sim.ts';

const USAGE =
  'usage: npm run call -- --from +9647701234567 --digits 1,3,1,record:"text" [--say text] [--url URL]';

async function main(): Promise<number> {
  const { flags } = parseArgs(process.argv.slice(2));
  const from = flags.get('from')?.at(-1);
  const digits = flags.get('digits')?.at(-1);
  if (!from || !digits || flags.has('help')) {
    console.error(USAGE);
    return 2;
  }
  const target = targetFrom(flags, LOCAL_TWILIO);
  const json = flags.has('json');
  const transcript = await placeCall(target, {
    from,
    to: flags.get('to')?.at(-1) ?? LOCAL_TWILIO.messagingFrom,
    moves: parseMoves(digits, flags.get('say')?.at(-1) ?? ''),
    ...(flags.get('sid') ? { callSid: flags.get('sid')?.at(-1) } : {}),
    ...(json
      ? {}
      : {
          onRequest: (r) => {
            const path = r.url.replace(/^https?:\/\/[^/]+/, '');
            console.log(
              `→ ${path}${r.sent ? `  [${r.sent}]` : ''}  ${r.status}${r.errorCode ? ` ${r.errorCode}` : ''}`,
            );
          },
          onHeard: (h) => console.log(`    ${h.kind === 'say' ? `(${h.language ?? '?'})` : '▶'} ${h.text}`),
          onDial: (d) =>
            console.log(
              `    ☎ dial ${[...d.numbers, ...d.clients.map((c) => `client:${c}`)].join(', ')}` +
                ` (timeout ${d.timeout ?? '?'} s, ${d.record ? `recorded: ${d.record}` : 'not recorded'}) → ${d.outcome}`,
            ),
        }),
  });
  if (json) console.log(JSON.stringify(transcript, null, 2));
  else {
    console.log(`CallSid ${transcript.callSid}`);
    console.log(transcript.reference ? `Reference: ${transcript.reference}` : 'No reference was read.');
  }
  return transcript.failed ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: Error) => {
    console.error(err instanceof StackUnreachableError ? err.message : `call failed: ${err.message}`);
    process.exitCode = 1;
  },
);
