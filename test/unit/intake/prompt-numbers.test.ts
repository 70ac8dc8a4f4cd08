import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '#shared/classification/taxonomy.ts';
import { RequestError } from '#shared/errors/domain-error.ts';
import {
  DEFAULT_IVR_PROMPTS,
  IvrPromptsOverride,
  mergePrompts,
  Prompt,
  parseIvrPromptsOverride,
} from '#shared/intake/ivr-prompts.ts';
import { spokenNumber } from '#shared/intake/prompt-template.ts';
import { voiceTwiml } from '#shared/intake/twiml.ts';
import { allElements, childElements, parseXml, textOf } from '../../../scripts/lib/xml.ts';

const BASE = 'https://cfm.example.org';

/** What an admin's override gets back: the error's status, code and message, or "stored". */
function refusal(override: unknown): { status: number; code: string; message: string } | 'stored' {
  try {
    parseIvrPromptsOverride(override);
    return 'stored';
  } catch (err) {
    if (!(err instanceof RequestError)) throw err;
    return { status: err.status, code: err.code, message: err.message };
  }
}
const enPrompt = (prompt: unknown) => ({ languages: { en: { prompts: { noNumber: prompt } } } });

describe('placeholders in the prompts an admin stores', () => {
  it('refuses an unknown placeholder with IVR.PROMPT_UNKNOWN_PLACEHOLDER, naming the prompt and the placeholders', () => {
    const r = refusal(enPrompt({ say: 'Please text us[ on {phone}].' }));
    expect(r).toMatchObject({ status: 400, code: 'IVR.PROMPT_UNKNOWN_PLACEHOLDER' });
    expect((r as { message: string }).message).toBe(
      'languages.en.prompts.noNumber.say: {phone} is not a placeholder; the placeholders are {sms}, {hotline}, {whatsapp}',
    );
    // Case matters: the placeholders are written as the docs print them.
    expect(refusal(enPrompt({ say: 'Text us[ on {SMS}].' }))).toMatchObject({
      code: 'IVR.PROMPT_UNKNOWN_PLACEHOLDER',
    });
  });

  it('refuses a number outside brackets, which would be a promise where the stage has no such number', () => {
    expect(refusal(enPrompt({ say: 'Text us on {sms}.' }))).toMatchObject({
      status: 400,
      code: 'IVR.PROMPT_NUMBER_NOT_OPTIONAL',
    });
  });

  it('refuses broken brackets and braces, and a recorded prompt with a word that is not a recording', () => {
    for (const say of [
      'Call[ us[ on {hotline}]].',
      'Text us[ on {sms}.',
      'Text us] now.',
      'Text {sms',
      'Hi }',
    ]) {
      expect(refusal(enPrompt({ say })), say).toMatchObject({
        status: 400,
        code: 'IVR.PROMPT_TEMPLATE_INVALID',
      });
    }
    expect(refusal(enPrompt({ play: '/audio/en/no-number.mp3 [or text us {sms}]' }))).toMatchObject({
      status: 400,
      code: 'IVR.PROMPT_TEMPLATE_INVALID',
    });
  });

  it('answers anything else wrong with REQUEST.INVALID, and stores what is right', () => {
    expect(refusal({ languages: { en: { say: { voice: 'x' } } } })).toMatchObject({
      status: 400,
      code: 'REQUEST.INVALID',
    });
    expect(refusal(enPrompt({ say: 'Call again[, or text us on {sms}][, or WhatsApp {whatsapp}].' }))).toBe(
      'stored',
    );
    expect(refusal(enPrompt({ play: '/audio/en/no-number.mp3 [/audio/en/or-text.mp3 {sms}]' }))).toBe(
      'stored',
    );
    expect(Prompt.parse({ say: 'Welcome.' })).toEqual({ say: 'Welcome.' });
  });

  it('names the SMS and WhatsApp numbers in every language wherever the default prompts send the caller there', () => {
    for (const language of LANGUAGES) {
      for (const id of ['noNumber', 'statusGiveUp'] as const) {
        const text = (DEFAULT_IVR_PROMPTS[language].prompts[id] as { say: string }).say;
        expect(text, `${language}.${id}`).toMatch(/\[[^\]]*\{sms\}[^\]]*\]/);
        expect(text, `${language}.${id}`).toMatch(/\[[^\]]*\{whatsapp\}[^\]]*\]/);
      }
    }
  });
});

describe('a public number as the hotline reads it', () => {
  it('reads the digits a caller in Iraq dials, one by one, in the groups people say them in', () => {
    expect(spokenNumber('+9647701234567')).toBe('0 7 7 0, 1 2 3, 4 5 6 7');
    expect(spokenNumber('5040')).toBe('5 0 4 0');
    expect(spokenNumber('+447700900123')).toBe('0 0 4, 4 7 7, 0 0 9, 0 0 1, 2 3');
    expect(spokenNumber('+96418123456')).toBe('0 1 8, 1 2 3, 4 5 6');
    expect(spokenNumber('+9641812345')).toBe('0 1 8, 1 2 3, 4 5');
  });

  const sayings = (xml: string) =>
    allElements(parseXml(xml))
      .filter((e) => e.name === 'Say')
      .map(textOf);
  const withheld = (language: 'ar' | 'en', numbers: Record<string, string>, prompts = DEFAULT_IVR_PROMPTS) =>
    voiceTwiml(
      { kind: 'callback', language, emptyRecording: false, reachable: false },
      { prompts, publicBaseUrl: BASE, reference: 'K7MQ-4XZ9', numbers },
    );

  it('says the configured numbers in the caller’s language, and only the channels that have one', () => {
    expect(sayings(withheld('en', { sms: '+9647801112222', whatsapp: '+9647509998888' }))[0]).toBe(
      'We cannot see your phone number, so we cannot call you back. Please call again from a number that is not ' +
        'hidden, or send us a text message to 0 7 8 0, 1 1 1, 2 2 2 2, or write to us on WhatsApp at ' +
        '0 7 5 0, 9 9 9, 8 8 8 8.',
    );
    expect(sayings(withheld('ar', { whatsapp: '+9647509998888' }))[0]).toBe(
      'لا يظهر لدينا رقم هاتفك، لذلك لا نستطيع معاودة الاتصال بك. يرجى الاتصال مجدداً من رقم غير مخفي' +
        '، أو مراسلتنا على واتساب على الرقم 0 7 5 0, 9 9 9, 8 8 8 8.',
    );
    const statusGiveUp = voiceTwiml(
      { kind: 'status_give_up', language: 'en' },
      { prompts: DEFAULT_IVR_PROMPTS, publicBaseUrl: BASE, numbers: { sms: '4455', hotline: '5040' } },
    );
    expect(sayings(statusGiveUp)[0]).toBe(
      'We could not find your case. You can call again, or send us your reference in a text message to 4 4 5 5.',
    );
  });

  it('promises no text and no WhatsApp where the stage has neither number', () => {
    const en = sayings(withheld('en', {}))[0];
    expect(en).toBe(
      'We cannot see your phone number, so we cannot call you back. Please call again from a number that is not hidden.',
    );
    const ar = sayings(withheld('ar', { hotline: '5040' }))[0] as string;
    expect(ar).toBe(
      'لا يظهر لدينا رقم هاتفك، لذلك لا نستطيع معاودة الاتصال بك. يرجى الاتصال مجدداً من رقم غير مخفي.',
    );
  });

  it('plays a recorded prompt’s parts and the number from the language’s digit recordings, or says the number', () => {
    const digits = Object.fromEntries([...'0123456789'].map((d) => [d, `/audio/ckb/${d}.mp3`]));
    const override = IvrPromptsOverride.parse({
      languages: {
        ckb: {
          characters: digits,
          prompts: { noNumber: { play: '/audio/ckb/no-number.mp3 [/audio/ckb/or-text.mp3 {sms}]' } },
        },
        kmr: { prompts: { noNumber: { play: '/audio/kmr/no-number.mp3 [/audio/kmr/or-text.mp3 {sms}]' } } },
      },
    });
    const prompts = mergePrompts(DEFAULT_IVR_PROMPTS, override);
    const firstVerbs = (language: 'ckb' | 'kmr', numbers: Record<string, string>) =>
      childElements(
        parseXml(
          voiceTwiml(
            { kind: 'callback', language, emptyRecording: false, reachable: false },
            { prompts, publicBaseUrl: BASE, reference: 'K7MQ-4XZ9', numbers },
          ),
        ),
      )
        .slice(0, language === 'ckb' ? 6 : 3)
        .map((e) => `${e.name} ${textOf(e)}`);

    expect(firstVerbs('ckb', { sms: '5040' })).toEqual([
      `Play ${BASE}/audio/ckb/no-number.mp3`,
      `Play ${BASE}/audio/ckb/or-text.mp3`,
      `Play ${BASE}/audio/ckb/5.mp3`,
      `Play ${BASE}/audio/ckb/0.mp3`,
      `Play ${BASE}/audio/ckb/4.mp3`,
      `Play ${BASE}/audio/ckb/0.mp3`,
    ]);
    // Without an SMS number the bracketed recordings are left out: the next verb reads the reference.
    expect(firstVerbs('ckb', {})[1]).not.toContain('or-text');
    // Badini has no digit recordings here: the number is said by the language's voice between the recordings.
    expect(firstVerbs('kmr', { sms: '5040' })).toEqual([
      `Play ${BASE}/audio/kmr/no-number.mp3`,
      `Play ${BASE}/audio/kmr/or-text.mp3`,
      'Say 5 0 4 0',
    ]);
  });
});
