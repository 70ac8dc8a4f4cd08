import { describe, expect, it } from 'vitest';
import { DEFAULT_IVR_PROMPTS } from '#shared/intake/ivr-prompts.ts';
import { segmentsOf } from '#shared/messages/segments.ts';
import { render } from '#shared/messages/templates.ts';
import { readmeNpmCommands, shell } from '../../support/readme.ts';

/**
 * The README's "Try each channel" commands, run as printed (through `npm run`, in a shell) against the end-to-end
 * stack, which the scripts find through `PORT` and sign for with `TWILIO_AUTH_TOKEN`, as they would for a stack
 * started with those settings. Each must print what the README says it prints.
 */

const REF = /[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}/;
const say = (id: keyof (typeof DEFAULT_IVR_PROMPTS)['ar']['prompts']) =>
  (DEFAULT_IVR_PROMPTS.ar.prompts[id] as { say: string }).say;

/** The `npm run` lines of the README's "Try each channel" code block, in order. */
const readmeCommands = () => readmeNpmCommands('## Try each channel');

/** The reply an `npm run sms` printed (the lines after its MessageSid line, without npm's own header). */
const smsReply = (stdout: string) => {
  const lines = stdout.split('\n');
  const at = lines.findIndex((l) => l.startsWith('MessageSid '));
  expect(at, stdout).toBeGreaterThanOrEqual(0);
  const reply = lines[at + 1] ?? '';
  expect(segmentsOf(reply).segments).toBe(1);
  return reply;
};

describe('README: try each channel', () => {
  it('runs every SMS and call example as printed, and each prints what the README says', async () => {
    const commands = readmeCommands();
    expect(commands).toHaveLength(8);
    const [arabic, sorani, badini, status, stop, start, call, check] = commands as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];

    // The reference, in the sender's language.
    const first = smsReply(await shell(arabic));
    const ref = REF.exec(first)?.[0] as string;
    expect(first).toBe(render('received', 'ar', { ref }));
    const second = smsReply(await shell(sorani));
    expect(second).toBe(render('received', 'ckb', { ref: REF.exec(second)?.[0] as string }));
    // Badini in Arabic letters, answered in them.
    const third = smsReply(await shell(badini));
    expect(third).toBe(`سوپاس، پەیاما هەوە گەهشت. ژمارا شوپاندنێ: ${REF.exec(third)?.[0]}. بپارێزن.`);

    // The status of the number's newest case, in Arabic.
    expect(smsReply(await shell(status))).toBe(render('status_new', 'ar', { ref }));

    // STOP and START in English, answered in the number's Arabic.
    expect(stop).toContain(' STOP');
    expect(smsReply(await shell(stop))).toBe(render('stopped', 'ar', {}));
    expect(smsReply(await shell(start))).toBe(render('started', 'ar', {}));

    // The call ends with the reference read out: saying nothing at the tone asks for a callback.
    const heard = await shell(call);
    expect(heard).toContain(say('recordInstructions'));
    expect(heard).toContain(say('callbackConfirmed'));
    const called = /Reference: (\S+)/.exec(heard)?.[1];
    expect(called).toMatch(REF);
    expect(called).not.toBe(ref);

    // Checking a case on the keypad, with a reference this number was given.
    expect(check).toContain('ref:K7MQ-4XZ9');
    const checked = await shell(check.replace('K7MQ-4XZ9', ref));
    expect(checked).toContain(say('statusNew'));
    expect(checked).toContain(`Reference: ${ref}`);
  }, 180_000);
});
