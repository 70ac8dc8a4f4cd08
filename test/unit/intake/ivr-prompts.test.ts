import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '#shared/classification/taxonomy.ts';
import { MENU_LANGUAGES, TOPICS } from '#shared/intake/ivr.ts';
import {
  DEFAULT_IVR_PROMPTS,
  IvrPrompts,
  IvrPromptsOverride,
  mergePrompts,
  PROMPT_IDS,
  Prompt,
} from '#shared/intake/ivr-prompts.ts';

/** A default prompt's words, without the brackets and placeholders of its public numbers. */
const sayText = (language: (typeof LANGUAGES)[number], id: (typeof PROMPT_IDS)[number]): string => {
  const p = DEFAULT_IVR_PROMPTS[language].prompts[id];
  if (!('say' in p)) throw new Error(`${language}.${id} is not text`);
  return p.say.replace(/\{(sms|hotline|whatsapp)\}|[[\]]/g, '');
};

describe('IVR prompts', () => {
  it('has every prompt in every language, valid against the schema', () => {
    expect(IvrPrompts.safeParse(DEFAULT_IVR_PROMPTS).success).toBe(true);
    for (const language of LANGUAGES) {
      expect(Object.keys(DEFAULT_IVR_PROMPTS[language].prompts).sort()).toEqual([...PROMPT_IDS].sort());
    }
  });

  it('writes Arabic and Sorani in Arabic script, Sorani with its own letters, Badini in Kurdish Latin letters', () => {
    for (const id of PROMPT_IDS) {
      expect(sayText('ar', id), `ar.${id}`).toMatch(/^[\u0600-\u06ff\s\d.,،]+$/);
      expect(sayText('ar', id), `ar.${id}`).not.toMatch(/[ەێۆڕڵ]/);
      expect(sayText('ckb', id), `ckb.${id}`).toMatch(/^[\u0600-\u06ff\u200c\s\d.,،]+$/);
      expect(sayText('kmr', id), `kmr.${id}`).not.toMatch(/[\u0600-\u06ff]/);
      expect(sayText('en', id), `en.${id}`).toMatch(/^[A-Za-z0-9 ,.'-]+$/);
    }
    const sorani = PROMPT_IDS.map((id) => sayText('ckb', id)).join(' ');
    expect(sorani).toMatch(/[ەێۆڕڵ]/);
    const badini = PROMPT_IDS.map((id) => sayText('kmr', id)).join(' ');
    expect(badini).toMatch(/[êîûşç]/);
  });

  it('each language offers itself on its own key, in the menu order', () => {
    MENU_LANGUAGES.forEach((language, i) => {
      expect(sayText(language, 'languageOption')).toContain(String(i + 1));
      for (const other of MENU_LANGUAGES.filter((l) => l !== language)) {
        expect(sayText(language, 'languageOption')).not.toContain(String(MENU_LANGUAGES.indexOf(other) + 1));
      }
    });
  });

  it('offers every topic key and the two action keys in every language', () => {
    for (const language of LANGUAGES) {
      for (let key = 1; key <= TOPICS.length; key++)
        expect(sayText(language, 'topicMenu')).toContain(String(key));
      expect(sayText(language, 'topicMenu')).not.toContain(String(TOPICS.length + 1));
      expect(sayText(language, 'actionMenu')).toContain('1');
      expect(sayText(language, 'actionMenu')).toContain('2');
    }
  });

  it('uses voices Twilio offers: Arabic for Arabic and Sorani, Turkish for Badini, British English', () => {
    expect(DEFAULT_IVR_PROMPTS.ar.say).toEqual({ voice: 'Polly.Zeina', language: 'arb' });
    expect(DEFAULT_IVR_PROMPTS.ckb.say).toEqual({ voice: 'Polly.Zeina', language: 'arb' });
    expect(DEFAULT_IVR_PROMPTS.kmr.say).toEqual({ voice: 'Polly.Filiz', language: 'tr-TR' });
    expect(DEFAULT_IVR_PROMPTS.en.say).toEqual({ voice: 'Polly.Amy', language: 'en-GB' });
  });

  it('accepts text or a recording for a prompt, never both, nothing empty, only http(s) URLs or paths', () => {
    expect(Prompt.safeParse({ say: 'Welcome.' }).success).toBe(true);
    expect(Prompt.safeParse({ play: 'https://cdn.example.org/ckb/menu.mp3' }).success).toBe(true);
    expect(Prompt.safeParse({ play: '/audio/ckb/menu.mp3' }).success).toBe(true);
    for (const bad of [
      { say: '  ' },
      { say: 'Hi', play: '/audio/x.mp3' },
      { play: 'ftp://example.org/a.mp3' },
      { play: 'javascript:alert(1)' },
      { play: 'audio/no-leading-slash.mp3' },
      {},
    ]) {
      expect(Prompt.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it('merges a stored override prompt by prompt and keeps everything else', () => {
    const override = IvrPromptsOverride.parse({
      languages: {
        ckb: {
          prompts: { greeting: { play: '/audio/ckb/greeting.mp3' } },
          characters: { K: '/audio/ckb/k.mp3' },
        },
        en: { say: { voice: 'Polly.Brian', language: 'en-GB' } },
      },
    });
    const merged = mergePrompts(DEFAULT_IVR_PROMPTS, override);
    expect(merged.ckb.prompts.greeting).toEqual({ play: '/audio/ckb/greeting.mp3' });
    expect(merged.ckb.prompts.topicMenu).toEqual(DEFAULT_IVR_PROMPTS.ckb.prompts.topicMenu);
    expect(merged.ckb.characters).toEqual({ K: '/audio/ckb/k.mp3' });
    expect(merged.en.say.voice).toBe('Polly.Brian');
    expect(merged.en.prompts).toEqual(DEFAULT_IVR_PROMPTS.en.prompts);
    expect(merged.ar).toEqual(DEFAULT_IVR_PROMPTS.ar);
  });

  it('refuses overrides for unknown languages, prompts or reference characters', () => {
    expect(IvrPromptsOverride.safeParse({ languages: { fr: {} } }).success).toBe(false);
    expect(
      IvrPromptsOverride.safeParse({ languages: { ar: { prompts: { hello: { say: 'x' } } } } }).success,
    ).toBe(false);
    // O is never in a reference, nor a digit.
    expect(
      IvrPromptsOverride.safeParse({ languages: { ar: { characters: { O: '/audio/o.mp3' } } } }).success,
    ).toBe(false);
  });
});
