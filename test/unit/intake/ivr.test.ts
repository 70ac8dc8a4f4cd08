import { describe, expect, it } from 'vitest';
import {
  CHECK_KEY,
  decide,
  type IvrState,
  IvrState as IvrStateSchema,
  isIvrStep,
  MAX_ATTEMPTS,
  readsReference,
  startCall,
  TOPIC_CLASSIFICATION,
} from '#shared/intake/ivr.ts';
import { keypadDigits } from '#shared/intake/voice-intake.ts';
import { ivrInput } from './ivr-input.ts';

const input = ivrInput;

describe('IVR state machine', () => {
  it('starts every call with the language menu and records nothing', () => {
    expect(startCall()).toEqual({ screen: { kind: 'language_menu', attempt: 0 }, effects: [] });
  });

  it.each([
    ['1', 'ar'],
    ['2', 'ckb'],
    ['3', 'kmr'],
    ['4', 'en'],
  ])('key %s at the language menu chooses %s and moves to the topic menu', (key, language) => {
    expect(decide('language', input(key))).toEqual({
      screen: { kind: 'topic_menu', language, attempt: 0, closed: false },
      effects: [],
    });
  });

  it('tells the topic menu that the office is closed', () => {
    expect(decide('language', input('4', {}, { closed: true })).screen).toMatchObject({ closed: true });
  });

  it('retries the language menu after a wrong key or silence, then gives up with a callback on a case', () => {
    expect(decide('language', input('9'))).toEqual({
      screen: { kind: 'language_menu', attempt: 1, notice: 'invalid' },
      effects: [],
    });
    expect(decide('language', input(undefined, { n: 1 }))).toEqual({
      screen: { kind: 'language_menu', attempt: 2, notice: 'no_input' },
      effects: [],
    });
    const last = decide('language', input(undefined, { n: MAX_ATTEMPTS - 1 }));
    expect(last.screen).toEqual({ kind: 'give_up', language: 'ar', reachable: true });
    expect(last.effects).toEqual([
      { kind: 'open_case', language: 'ar', topic: undefined },
      { kind: 'request_callback', urgent: false, reason: 'no_choice' },
    ]);
  });

  it('takes only one key of the offered range', () => {
    for (const digits of ['0', '5', '12', '*', '#']) {
      expect(decide('language', input(digits)).screen.kind, digits).toBe('language_menu');
    }
    expect(decide('topic', input('7', { l: 'en' })).screen.kind).toBe('topic_menu');
    expect(decide('action', input('4', { l: 'en', t: 'question' })).screen.kind).toBe('action_menu');
  });

  it.each([
    ['1', 'question'],
    ['2', 'request'],
    ['3', 'complaint'],
    ['4', 'praise'],
  ] as const)('key %s at the topic menu opens a %s case and offers message or callback', (key, topic) => {
    expect(decide('topic', input(key, { l: 'ckb' }))).toEqual({
      screen: { kind: 'action_menu', language: 'ckb', topic, attempt: 0, live: false },
      effects: [{ kind: 'open_case', language: 'ckb', topic }],
    });
  });

  it('key 5 (abuse by an aid worker) opens the case, requests an urgent callback and offers a message', () => {
    expect(decide('topic', input('5', { l: 'kmr' }))).toEqual({
      screen: { kind: 'record', language: 'kmr', topic: 'abuse', reachable: true },
      effects: [
        { kind: 'open_case', language: 'kmr', topic: 'abuse' },
        { kind: 'request_callback', urgent: true, reason: 'abuse_report' },
      ],
    });
  });

  it('classifies the abuse topic as sexual exploitation and abuse, S3, urgent, and the others as types only', () => {
    expect(TOPIC_CLASSIFICATION.abuse).toEqual({
      type: 'complaint',
      category: 'C07',
      sensitivity: 'S3',
      urgency: 'urgent',
    });
    expect(TOPIC_CLASSIFICATION.question).toEqual({
      type: 'question',
      category: null,
      sensitivity: 'S0',
      urgency: 'none',
    });
  });

  it('at the action menu, 1 records a message and 2 requests a callback', () => {
    expect(decide('action', input('1', { l: 'en', t: 'complaint' }))).toEqual({
      screen: { kind: 'record', language: 'en', topic: 'complaint', reachable: true },
      effects: [{ kind: 'open_case', language: 'en', topic: 'complaint' }],
    });
    expect(decide('action', input('2', { l: 'en', t: 'request' }))).toEqual({
      screen: { kind: 'callback', language: 'en', emptyRecording: false, reachable: true },
      effects: [
        { kind: 'open_case', language: 'en', topic: 'request' },
        { kind: 'request_callback', urgent: false, reason: 'asked' },
      ],
    });
  });

  it('gives up at the action menu after three tries, keeping the topic on the case', () => {
    const last = decide('action', input('7', { l: 'ar', t: 'praise', n: 2 }));
    expect(last.screen).toEqual({ kind: 'give_up', language: 'ar', reachable: true });
    expect(last.effects[0]).toEqual({ kind: 'open_case', language: 'ar', topic: 'praise' });
  });

  it('thanks for a recording, and turns an empty one into a callback request', () => {
    expect(decide('recorded', input('#', { l: 'en', t: 'complaint' }, { recordingDuration: 12 }))).toEqual({
      screen: { kind: 'recorded', language: 'en' },
      effects: [{ kind: 'open_case', language: 'en', topic: 'complaint' }],
    });
    const empty = decide('recorded', input(undefined, { l: 'en', t: 'abuse' }));
    expect(empty.screen).toEqual({ kind: 'callback', language: 'en', emptyRecording: true, reachable: true });
    expect(empty.effects[1]).toEqual({ kind: 'request_callback', urgent: true, reason: 'empty_recording' });
  });

  it('passes on that a withheld number cannot be called back', () => {
    expect(
      decide('action', input('2', { l: 'ar', t: 'question' }, { reachable: false })).screen,
    ).toMatchObject({
      reachable: false,
    });
  });

  it('answers a step whose URL lost its state with the unknown-step screen and no effects', () => {
    expect(decide('topic', input('1'))).toEqual({
      screen: { kind: 'unknown_step', language: 'ar' },
      effects: [],
    });
    expect(decide('action', input('1', { l: 'ckb' }))).toEqual({
      screen: { kind: 'unknown_step', language: 'ckb' },
      effects: [],
    });
  });

  it('knows its steps and which screens read the reference', () => {
    expect(isIvrStep('topic')).toBe(true);
    expect(isIvrStep('menu')).toBe(false);
    expect(readsReference({ kind: 'recorded', language: 'ar' })).toBe(true);
    expect(readsReference({ kind: 'record', language: 'ar', topic: 'abuse', reachable: true })).toBe(true);
    expect(readsReference({ kind: 'record', language: 'ar', topic: 'complaint', reachable: true })).toBe(
      false,
    );
    expect(
      readsReference({ kind: 'action_menu', language: 'ar', topic: 'complaint', attempt: 0, live: false }),
    ).toBe(false);
  });

  it('every screen that reads the reference comes with an effect that opens the case', () => {
    const states: Partial<IvrState>[] = [
      {},
      { l: 'ar' },
      { l: 'en', t: 'complaint' },
      { l: 'ckb', t: 'abuse' },
    ];
    const keys = [undefined, '1', '2', '3', '4', '5', '9'];
    for (const step of ['language', 'topic', 'action', 'recorded'] as const) {
      for (const state of states) {
        for (const n of [0, MAX_ATTEMPTS - 1]) {
          for (const digits of keys) {
            for (const recordingDuration of [undefined, 8]) {
              const d = decide(step, input(digits, { ...state, n }, { recordingDuration }));
              if (readsReference(d.screen)) expect(d.effects[0]?.kind, `${step} ${digits}`).toBe('open_case');
            }
          }
        }
      }
    }
  });

  it('reads its state from the query string, refusing unknown languages, topics and attempts', () => {
    expect(IvrStateSchema.parse({ l: 'ckb', t: 'abuse', n: '2' })).toEqual({ l: 'ckb', t: 'abuse', n: 2 });
    expect(IvrStateSchema.parse({})).toEqual({ n: 0 });
    for (const bad of [{ l: 'fr' }, { t: 'gossip' }, { n: String(MAX_ATTEMPTS) }, { n: '-1' }, { n: 'x' }]) {
      expect(IvrStateSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  describe('check a case', () => {
    it('is key 6 at the topic menu, after the five topics, and opens nothing', () => {
      expect(CHECK_KEY).toBe('6');
      expect(decide('topic', input('6', { l: 'kmr' }))).toEqual({
        screen: { kind: 'status_entry', language: 'kmr', attempt: 0 },
        effects: [],
      });
    });

    it('reads the status of the case the keys found', () => {
      expect(decide('status', input('57674999', { l: 'ar' }, { found: { notice: 'working' } }))).toEqual({
        screen: { kind: 'status_result', language: 'ar', notice: 'working' },
        effects: [],
      });
    });

    it('says "not found" or "no input" and asks again, twice, then says goodbye without opening a case', () => {
      expect(decide('status', input('57674999', { l: 'en' }, { found: null }))).toEqual({
        screen: { kind: 'status_entry', language: 'en', attempt: 1, notice: 'not_found' },
        effects: [],
      });
      expect(decide('status', input(undefined, { l: 'en', n: 1 }, { found: null }))).toEqual({
        screen: { kind: 'status_entry', language: 'en', attempt: 2, notice: 'no_input' },
        effects: [],
      });
      expect(decide('status', input('2345', { l: 'en', n: MAX_ATTEMPTS - 1 }, { found: null }))).toEqual({
        screen: { kind: 'status_give_up', language: 'en' },
        effects: [],
      });
    });

    it('goes back to the topic menu on *', () => {
      expect(decide('status', input('57*', { l: 'ckb', n: 1 }, { found: null }))).toEqual({
        screen: { kind: 'topic_menu', language: 'ckb', attempt: 0, closed: false },
        effects: [],
      });
    });

    it('spells a reference with the keypad’s keys (a digit is its own key, a letter the key that carries it)', () => {
      expect(keypadDigits('K7MQ-4XZ9')).toBe('57674999');
      expect(keypadDigits('ABCD-EFGH')).toBe('22233344');
      expect(keypadDigits('PRST-VWYZ')).toBe('77788999');
      expect(readsReference({ kind: 'status_result', language: 'ar', notice: 'new' })).toBe(true);
    });
  });
});
