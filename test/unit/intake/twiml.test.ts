import { describe, expect, it } from 'vitest';
import { decide, type IvrState, MAX_ATTEMPTS, type Screen, startCall } from '#shared/intake/ivr.ts';
import { DEFAULT_IVR_PROMPTS, mergePrompts } from '#shared/intake/ivr-prompts.ts';
import { smsTwiml, spokenReference, stepUrl, voiceTwiml } from '#shared/intake/twiml.ts';
import { allElements, childElements, parseXml, textOf, type XmlElement } from '../../../scripts/lib/xml.ts';

const BASE = 'https://cfm.example.org';
const REF = 'K7MQ-4XZ9';
const render = (screen: Screen, prompts = DEFAULT_IVR_PROMPTS) =>
  parseXml(voiceTwiml(screen, { prompts, publicBaseUrl: BASE, reference: REF }));
const verbs = (root: XmlElement) => childElements(root).map((e) => e.name);
const says = (el: XmlElement) => allElements(el).filter((e) => e.name === 'Say');

const VOICE_VERBS = new Set(['Say', 'Play', 'Pause', 'Gather', 'Record', 'Redirect', 'Hangup']);

describe('TwiML for SMS', () => {
  it('answers one <Message> with the reply, and an empty <Response/> when nothing is to be sent', () => {
    const reply = parseXml(smsTwiml('شكراً <&> K7MQ-4XZ9'));
    expect(reply.name).toBe('Response');
    expect(verbs(reply)).toEqual(['Message']);
    expect(textOf(reply)).toBe('شكراً <&> K7MQ-4XZ9');
    const empty = parseXml(smsTwiml(undefined));
    expect(empty.name).toBe('Response');
    expect(empty.children).toEqual([]);
  });
});

describe('TwiML for the IVR', () => {
  it('greets and offers the four languages, each in its own voice, in one one-key <Gather>', () => {
    const root = render(startCall().screen);
    expect(verbs(root)).toEqual(['Gather', 'Redirect']);
    const [gather, redirect] = childElements(root) as [XmlElement, XmlElement];
    expect(gather.attributes).toMatchObject({
      numDigits: '1',
      method: 'POST',
      action: `${BASE}/webhooks/twilio/voice/language`,
      input: 'dtmf',
    });
    expect(textOf(redirect)).toBe(`${BASE}/webhooks/twilio/voice/language`);
    expect(says(gather).map((s) => s.attributes.language)).toEqual(['arb', 'arb', 'arb', 'tr-TR', 'en-GB']);
    expect(says(gather).map((s) => s.attributes.voice)).toEqual([
      'Polly.Zeina',
      'Polly.Zeina',
      'Polly.Zeina',
      'Polly.Filiz',
      'Polly.Amy',
    ]);
  });

  it('apologises before a repeated menu and carries the attempt in the action URL', () => {
    const root = render({ kind: 'language_menu', attempt: 1, notice: 'invalid' });
    expect(verbs(root)).toEqual(['Say', 'Gather', 'Redirect']);
    expect(textOf(childElements(root)[0] as XmlElement)).toBe(
      (DEFAULT_IVR_PROMPTS.ar.prompts.invalidChoice as { say: string }).say,
    );
    expect((childElements(root)[1] as XmlElement).attributes.action).toBe(
      `${BASE}/webhooks/twilio/voice/language?n=1`,
    );
    // The greeting is not repeated.
    expect(says(childElements(root)[1] as XmlElement)).toHaveLength(4);
  });

  it('says that the office is closed before the topic menu, once', () => {
    const closed = render({ kind: 'topic_menu', language: 'en', attempt: 0, closed: true });
    expect(verbs(closed)).toEqual(['Say', 'Gather', 'Redirect']);
    expect(textOf(childElements(closed)[0] as XmlElement)).toContain('closed');
    expect(verbs(render({ kind: 'topic_menu', language: 'en', attempt: 0, closed: false }))).toEqual([
      'Gather',
      'Redirect',
    ]);
    const again = render({
      kind: 'topic_menu',
      language: 'en',
      attempt: 1,
      notice: 'no_input',
      closed: true,
    });
    expect(verbs(again)).toEqual(['Say', 'Gather', 'Redirect']);
    expect(textOf(childElements(again)[0] as XmlElement)).toContain('did not hear');
  });

  it('records a message with a length limit and the recording and transcription callbacks', () => {
    const root = render({ kind: 'record', language: 'ckb', topic: 'complaint', reachable: true });
    expect(verbs(root)).toEqual(['Say', 'Record', 'Redirect']);
    const record = childElements(root)[1] as XmlElement;
    expect(record.attributes).toMatchObject({
      action: `${BASE}/webhooks/twilio/voice/recorded?l=ckb&t=complaint`,
      maxLength: '120',
      finishOnKey: '#',
      transcribe: 'true',
      recordingStatusCallback: `${BASE}/webhooks/twilio/voice/recording?l=ckb&t=complaint`,
      transcribeCallback: `${BASE}/webhooks/twilio/voice/transcription?l=ckb&t=complaint`,
    });
    expect(textOf(childElements(root)[2] as XmlElement)).toBe(record.attributes.action);
  });

  it('reads the reference character by character, twice, before recording an abuse report', () => {
    const root = render({ kind: 'record', language: 'en', topic: 'abuse', reachable: true });
    expect(verbs(root)).toEqual(['Say', 'Say', 'Say', 'Pause', 'Say', 'Say', 'Say', 'Record', 'Redirect']);
    const spoken = says(root).map(textOf);
    expect(spoken.filter((t) => t === 'K, 7, M, Q, 4, X, Z, 9')).toHaveLength(2);
    expect(spoken[0]).toContain('confidential');
  });

  it('ends with the reference and a hangup after a message, a callback request or giving up', () => {
    for (const screen of [
      { kind: 'recorded', language: 'ar' },
      { kind: 'callback', language: 'kmr', emptyRecording: false, reachable: true },
      { kind: 'callback', language: 'kmr', emptyRecording: true, reachable: true },
      { kind: 'give_up', language: 'ar', reachable: true },
    ] as const) {
      const root = render(screen);
      expect(verbs(root).at(-1), screen.kind).toBe('Hangup');
      expect(says(root).map(textOf)).toContain(spokenReference(REF));
    }
  });

  it('does not promise a callback to a withheld number', () => {
    const root = render({ kind: 'callback', language: 'en', emptyRecording: false, reachable: false });
    const spoken = says(root).map(textOf).join(' ');
    expect(spoken).toContain('cannot see your phone number');
    expect(spoken).not.toContain('We will call you back');
  });

  it('apologises and hangs up for an unknown step, and answers callbacks with an empty response', () => {
    expect(verbs(render({ kind: 'unknown_step', language: 'ckb' }))).toEqual(['Say', 'Hangup']);
    expect(render({ kind: 'none' }).children).toEqual([]);
  });

  it('plays recordings where prompts are audio, on the public base URL, and plays the reference when recorded', () => {
    const characters = Object.fromEntries([...'K7MQ4XZ9'].map((c) => [c, `/audio/ckb/${c}.mp3`]));
    const prompts = mergePrompts(DEFAULT_IVR_PROMPTS, {
      id: 'default',
      languages: {
        ckb: { prompts: { recordedThanks: { play: '/audio/ckb/thanks.mp3' } }, characters },
        en: { prompts: { goodbye: { play: 'https://cdn.example.org/bye.mp3' } } },
      },
    });
    const ckb = render({ kind: 'recorded', language: 'ckb' }, prompts);
    const plays = childElements(ckb)
      .filter((e) => e.name === 'Play')
      .map(textOf);
    expect(plays[0]).toBe(`${BASE}/audio/ckb/thanks.mp3`);
    expect(plays.filter((u) => u === `${BASE}/audio/ckb/K.mp3`)).toHaveLength(2);
    expect(plays).toHaveLength(1 + 16);
    const en = render({ kind: 'recorded', language: 'en' }, prompts);
    expect(
      childElements(en)
        .filter((e) => e.name === 'Play')
        .map(textOf),
    ).toEqual(['https://cdn.example.org/bye.mp3']);
  });

  it('offers "check a case" in the topic menu’s <Gather>, after the topics', () => {
    const root = render({ kind: 'topic_menu', language: 'ckb', attempt: 0, closed: false });
    const gather = childElements(root).find((e) => e.name === 'Gather') as XmlElement;
    expect(says(gather).map(textOf)).toEqual([
      (DEFAULT_IVR_PROMPTS.ckb.prompts.topicMenu as { say: string }).say,
      (DEFAULT_IVR_PROMPTS.ckb.prompts.statusOption as { say: string }).say,
    ]);
  });

  it('asks for the reference as eight keys, says why when asking again, and comes back without keys', () => {
    const first = render({ kind: 'status_entry', language: 'en', attempt: 0 });
    expect(verbs(first)).toEqual(['Gather', 'Redirect']);
    const [gather, redirect] = childElements(first) as [XmlElement, XmlElement];
    expect(gather.attributes).toMatchObject({
      numDigits: '8',
      finishOnKey: '#',
      action: `${BASE}/webhooks/twilio/voice/status?l=en`,
    });
    expect(textOf(redirect)).toBe(`${BASE}/webhooks/twilio/voice/status?l=en`);
    const again = render({ kind: 'status_entry', language: 'en', attempt: 1, notice: 'not_found' });
    expect(verbs(again)).toEqual(['Say', 'Gather', 'Redirect']);
    expect(textOf(childElements(again)[0] as XmlElement)).toContain('found no case');
    expect((childElements(again)[1] as XmlElement).attributes.action).toBe(
      `${BASE}/webhooks/twilio/voice/status?l=en&n=1`,
    );
  });

  it('reads the found case’s reference and its status, then says goodbye; a last miss says how else to ask', () => {
    const found = render({ kind: 'status_result', language: 'ar', notice: 'restricted' });
    const spoken = says(found).map(textOf);
    expect(spoken).toContain(spokenReference(REF));
    expect(spoken).toContain((DEFAULT_IVR_PROMPTS.ar.prompts.statusRestricted as { say: string }).say);
    expect(verbs(found).at(-1)).toBe('Hangup');
    const miss = render({ kind: 'status_give_up', language: 'kmr' });
    expect(verbs(miss)).toEqual(['Say', 'Say', 'Hangup']);
  });

  it('builds step URLs with only the state that is set', () => {
    expect(stepUrl(`${BASE}/`, 'topic', { l: 'ar' })).toBe(`${BASE}/webhooks/twilio/voice/topic?l=ar`);
    expect(stepUrl(BASE, 'action', { l: 'en', t: 'praise', n: 2 })).toBe(
      `${BASE}/webhooks/twilio/voice/action?l=en&t=praise&n=2`,
    );
  });

  it('every branch of every step renders well-formed TwiML made of voice verbs only', () => {
    const states: Partial<IvrState>[] = [
      {},
      { l: 'ar' },
      { l: 'ckb', t: 'abuse' },
      { l: 'kmr', t: 'question' },
    ];
    let rendered = 0;
    for (const step of ['language', 'topic', 'action', 'recorded'] as const) {
      for (const state of states) {
        for (let n = 0; n < MAX_ATTEMPTS; n++) {
          for (const digits of [undefined, '1', '2', '3', '4', '5', '8']) {
            for (const reachable of [true, false]) {
              for (const closed of [true, false]) {
                const { screen } = decide(step, {
                  digits,
                  state: { n, ...state },
                  closed,
                  reachable,
                  recordingDuration: digits ? 9 : undefined,
                });
                const root = render(screen);
                expect(root.name).toBe('Response');
                for (const el of allElements(root).slice(1))
                  expect(VOICE_VERBS.has(el.name), el.name).toBe(true);
                if (screen.kind !== 'none') expect(childElements(root).length).toBeGreaterThan(0);
                rendered++;
              }
            }
          }
        }
      }
    }
    expect(rendered).toBe(4 * 4 * MAX_ATTEMPTS * 7 * 2 * 2);
  });
});
