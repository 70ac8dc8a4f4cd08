import { routeGroup } from '#functions/lib/http-route.ts';
import { logger } from '#functions/lib/logger.ts';
import type { Platform } from '#functions/lib/platform.ts';
import { type HttpResult, text, xml } from '#functions/lib/responses.ts';
import { twilioWebhook } from '#functions/lib/twilio-webhook.ts';
import { getPublicNumbers } from '#functions/public-complaints/contact.ts';
import { IRAQ_CALENDAR } from '#shared/calendar/iraq-calendar.ts';
import { type IvrPrompts, loadIvrPrompts } from '#shared/intake/ivr-prompts.ts';
import { VoiceForm } from '#shared/intake/twilio-forms.ts';
import { voiceTwiml } from '#shared/intake/twiml.ts';
import { answerCall, IvrStepError, runStep } from '#shared/intake/voice-intake.ts';
import { makeRosterStore, type RosterStore } from '#shared/roster/roster.ts';

const PROMPTS_TTL_MS = 60_000;
let prompts: { at: number; table: string; value: Promise<IvrPrompts> } | undefined;

/** The prompts in force, read at most once a minute (admins' changes show within a minute). */
function promptsFor(platform: Platform): Promise<IvrPrompts> {
  const now = Date.now();
  if (!prompts || prompts.table !== platform.tableName || now - prompts.at > PROMPTS_TTL_MS) {
    const value = loadIvrPrompts(platform.db, platform.tableName, () =>
      logger.warn('stored IVR prompts fail their schema; defaults used', { code: 'IVR.PROMPTS_INVALID' }),
    );
    prompts = { at: now, table: platform.tableName, value };
    value.catch(() => {
      prompts = undefined;
    });
  }
  return prompts.value;
}

const rosters = new WeakMap<Platform, RosterStore>();
/** The roster is read fresh at every step that needs it: an operator going off duty counts for the next caller. */
function rosterOf(platform: Platform): RosterStore {
  let store = rosters.get(platform);
  if (!store) {
    store = makeRosterStore({
      db: platform.db,
      tableName: platform.tableName,
      protector: platform.protector,
    });
    rosters.set(platform, store);
  }
  return store;
}

/** The call's first request: greeting and language menu. */
const start = twilioWebhook({ schema: VoiceForm }, async ({ platform }) =>
  xml(
    voiceTwiml(answerCall().screen, {
      prompts: await promptsFor(platform),
      publicBaseUrl: platform.publicBaseUrl,
      numbers: getPublicNumbers(),
    }),
  ),
);

/**
 * Every later step of the call. A step the IVR does not have, or one whose URL lost its state, answers a spoken
 * apology and a hangup (Twilio only plays TwiML), with a 4xx status and the stable code in `x-error-code`.
 */
const step = twilioWebhook({ schema: VoiceForm }, async ({ form, query, event, platform }) => {
  // The same numbers the form shows (the stage's configuration), said where a prompt names one.
  const ctx = {
    prompts: await promptsFor(platform),
    publicBaseUrl: platform.publicBaseUrl,
    numbers: getPublicNumbers(),
  };
  try {
    const deps = {
      cases: platform.cases,
      calendar: IRAQ_CALENDAR,
      protector: platform.protector,
      now: platform.now,
      roster: () => rosterOf(platform).list(),
    };
    const answer = await runStep(deps, event.pathParameters?.step ?? '', query, form);
    if (answer.screen.kind === 'none') return text(204, '');
    return xml(voiceTwiml(answer.screen, { ...ctx, reference: answer.case?.reference }));
  } catch (err) {
    if (!(err instanceof IvrStepError)) throw err;
    logger.info('IVR step refused', { code: err.code });
    const apology = xml(voiceTwiml({ kind: 'unknown_step', language: err.language }, ctx), err.status);
    return { ...apology, headers: { ...apology.headers, 'x-error-code': err.code } } satisfies HttpResult;
  }
});

export const handler = routeGroup({
  'POST /webhooks/twilio/voice': start,
  'POST /webhooks/twilio/voice/{step}': step,
});
