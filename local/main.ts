import * as z from 'zod';
import {
  displayNumber,
  PUBLIC_CHANNELS,
  PUBLIC_NUMBER_ENV,
  PublicNumberConfigError,
  type PublicNumbers,
  parsePublicNumbers,
} from '#functions/public-complaints/contact.ts';
import { StartupError } from './dynamodb-local.ts';
import { LOCAL_AGENCY_B_NUMBER } from './seed.ts';
import {
  LOCAL_GATEWAY,
  LOCAL_KOBO,
  LOCAL_PUBLIC_NUMBERS,
  LOCAL_TWILIO,
  LOCAL_WHATSAPP,
  startLocalStack,
} from './stack.ts';
import { LOCAL_USERS } from './users.ts';

/** `npm start`: the whole platform on this machine. Settings come from the environment, all optional. */
const Settings = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  PUBLIC_BASE_URL: z.string().url().optional(),
  TWILIO_AUTH_TOKEN: z.string().min(1).default(LOCAL_TWILIO.authToken),
  DATA_DIR: z.string().min(1).default('.local/data'),
});

function fail(message: string): never {
  console.error(`cfm: ${message}`);
  process.exit(1);
}

const parsed = Settings.safeParse(process.env);
if (!parsed.success) {
  fail(`bad setting ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
}
const settings = parsed.data;
const started = Date.now();

// The public pages' numbers: the local defaults unless set; set to nothing, a channel is not mentioned at all.
let publicNumbers: PublicNumbers;
try {
  publicNumbers = parsePublicNumbers(
    Object.fromEntries(
      PUBLIC_CHANNELS.map((c) => [c, process.env[PUBLIC_NUMBER_ENV[c]] ?? LOCAL_PUBLIC_NUMBERS[c]]),
    ),
    (c) => PUBLIC_NUMBER_ENV[c],
  );
} catch (err) {
  if (err instanceof PublicNumberConfigError) fail(`bad setting ${err.message}`);
  throw err;
}
const shownNumber = (n: string | undefined) => (n ? displayNumber(n) : 'none (not shown)');

try {
  const stack = await startLocalStack({
    port: settings.PORT,
    publicBaseUrl: settings.PUBLIC_BASE_URL,
    twilioAuthToken: settings.TWILIO_AUTH_TOKEN,
    dataDir: settings.DATA_DIR,
    publicNumbers,
  });
  const lines = [
    '',
    `Complaints and feedback platform (local stack) ready in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    '',
    `  Public form        ${stack.url}/`,
    `  Staff console      ${stack.url}/console/`,
    `  Health             ${stack.url}/health`,
    `  API document       ${stack.url}/api/openapi.json`,
    `  Outbox (SMS/calls) ${stack.url}/dev/outbox`,
    `  Inbox (focal pts)  ${stack.url}/dev/inbox`,
    '',
    `  Twilio webhooks are signed over ${stack.platform.publicBaseUrl}`,
    `  TWILIO_AUTH_TOKEN  ${settings.TWILIO_AUTH_TOKEN}`,
    `  WhatsApp sender    ${LOCAL_WHATSAPP.from} (through Twilio's stand-in)`,
    `  SMS gateway        ${LOCAL_GATEWAY.number} (fake relay at ${stack.gateway.apiUrl}, signing key ${LOCAL_GATEWAY.signingKey}; sent: ${stack.url}/dev/gateway)`,
    `  KoboToolbox forms  ${stack.url}/webhooks/kobo/submission (basic auth ${LOCAL_KOBO.username}:${LOCAL_KOBO.secret})`,
    `  Data kept in       ${settings.DATA_DIR}`,
    // The offset is kept in the data folder: say so, or a restart would seem to have lost track of time.
    ...(stack.clock.state().offsetMs > 0
      ? [
          `  Local clock        ${stack.clock.state().offset} ahead (POST /dev/clock {"reset": true} to go back)`,
        ]
      : []),
    '',
    '  Numbers the public pages and the hotline give (PUBLIC_SMS_NUMBER, PUBLIC_HOTLINE_NUMBER, PUBLIC_WHATSAPP_NUMBER):',
    `    SMS ${shownNumber(publicNumbers.sms)} · hotline ${shownNumber(publicNumbers.hotline)} · WhatsApp ${shownNumber(publicNumbers.whatsapp)}`,
    `  Agency B (agency-b) answers on ${shownNumber(LOCAL_AGENCY_B_NUMBER)}; every other number is the default agency's`,
    '',
    '  Local users (POST /dev/token {"role": "<role>"} or sign in on the console):',
    ...LOCAL_USERS.map((u) => `    ${u.role.padEnd(9)} ${u.userId.padEnd(22)} ${u.name}`),
    '',
    '  Try:  npm run sms -- --from +9647701234567 "الماء مقطوع في المخيم منذ ثلاثة أيام"',
    '        npm run sms -- --whatsapp --from +9647701234567 "الماء مقطوع في المخيم منذ ثلاثة أيام"',
    '        npm run sms -- --gateway --from 07701234567 "الماء مقطوع في المخيم منذ ثلاثة أيام"',
    '        npm run call -- --from +9647701234567 --digits 1,3,1',
    '',
    'Ctrl-C stops everything.',
  ];
  console.log(lines.join('\n'));
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping…');
    await stack.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
} catch (err) {
  if (err instanceof StartupError) fail(err.message);
  if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    fail(`port ${settings.PORT} is in use; stop what is using it or start with PORT=3001 npm start`);
  }
  throw err;
}
