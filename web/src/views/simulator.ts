import { useState } from 'preact/hooks';
import { postTwilioForm } from '../api.ts';
import { html } from '../html.ts';
import { t } from '../i18n.ts';
import { twilioSignature } from '../twilio-signature.ts';
import { ErrorBox } from '../ui.ts';

/** The local stack's default auth token, as its start-up banner prints it. */
export const LOCAL_AUTH_TOKEN = 'local-twilio-auth-token';
const ACCOUNT_SID = `AC${'0'.repeat(31)}1`;
/** How long an answered call lasts in the simulator, in seconds (what `npm run call` reports too). */
const ANSWERED_SECONDS = '95';

const hex = (n: number) =>
  Array.from(crypto.getRandomValues(new Uint8Array(n)), (b) => b.toString(16).padStart(2, '0')).join('');

/** A `<Dial>` to the operators: whom it rings, and where Twilio reports the answered leg and the recording. */
export interface DialInfo {
  numbers: string[];
  /** The first rung number's status callback (Twilio posts it when that operator answers). */
  answeredUrl?: string;
  /** Where the call's recording is reported, when the caller agreed to it. */
  recordingUrl?: string;
}

/** The spoken and shown parts of a TwiML answer, and where a key press, a recording or a dial's end would go next. */
export function readTwiml(xml: string): {
  lines: string[];
  next?: { url: string; kind: 'gather' | 'record' | 'redirect' | 'dial' };
  dial?: DialInfo;
} {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const lines = Array.from(doc.querySelectorAll('Say, Message, Play')).map((n) =>
    n.nodeName === 'Play' ? `♪ ${n.textContent ?? ''}` : (n.textContent ?? ''),
  );
  const gather = doc.querySelector('Gather[action]');
  if (gather) return { lines, next: { url: gather.getAttribute('action') ?? '', kind: 'gather' } };
  const record = doc.querySelector('Record[action]');
  if (record) return { lines, next: { url: record.getAttribute('action') ?? '', kind: 'record' } };
  const dial = doc.querySelector('Dial[action]');
  if (dial) {
    const rung = Array.from(dial.querySelectorAll('Number, Client'));
    const numbers = rung.map(
      (n) => (n.nodeName === 'Client' ? `client:` : '') + (n.textContent ?? '').trim(),
    );
    const answeredUrl = rung[0]?.getAttribute('statusCallback') ?? undefined;
    const recordingUrl = dial.getAttribute('record')
      ? (dial.getAttribute('recordingStatusCallback') ?? undefined)
      : undefined;
    return {
      lines: [...lines, `☎ ${numbers.join(', ')}`],
      next: { url: dial.getAttribute('action') ?? '', kind: 'dial' },
      dial: { numbers, ...(answeredUrl ? { answeredUrl } : {}), ...(recordingUrl ? { recordingUrl } : {}) },
    };
  }
  const redirect = doc.querySelector('Redirect');
  if (redirect?.textContent) return { lines, next: { url: redirect.textContent.trim(), kind: 'redirect' } };
  return { lines };
}

export function SimulatorView() {
  const [token, setToken] = useState(LOCAL_AUTH_TOKEN);
  const [base, setBase] = useState(location.origin);
  const [from, setFrom] = useState('+9647701234567');
  const [text, setText] = useState('');
  const [reply, setReply] = useState<{ status: number; text: string } | undefined>();
  const [call, setCall] = useState<
    { sid: string; url?: string; kind?: string; dial?: DialInfo; lines: string[]; raw: string } | undefined
  >();
  const [digits, setDigits] = useState('');
  const [error, setError] = useState<unknown>();

  /** Posts as Twilio: signed over the public URL (with its query), sent to the same path on this origin. */
  const post = async (url: string, params: Record<string, string>) => {
    const absolute = new URL(url, base).toString();
    const signature = await twilioSignature(token, absolute, params);
    const u = new URL(absolute);
    return postTwilioForm(`${u.pathname}${u.search}`, params, signature);
  };

  /** A callback's answer, or an error naming its status: Twilio shows a failed callback in its debugger, so do we. */
  const check = async (res: Promise<{ status: number; text: string }>) => {
    const { status, text } = await res;
    if (status >= 300) throw new Error(`${status} ${text}`);
  };

  const sendSms = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    try {
      setReply(
        await post('/webhooks/twilio/sms', {
          MessageSid: `SM${hex(16)}`,
          AccountSid: ACCOUNT_SID,
          From: from,
          To: '+9647000000000',
          Body: text,
          NumMedia: '0',
        }),
      );
    } catch (err) {
      setError(err);
    }
  };

  const callParams = (sid: string) => ({
    CallSid: sid,
    AccountSid: ACCOUNT_SID,
    From: from,
    To: '+9647000000000',
    CallStatus: 'in-progress',
    Direction: 'inbound',
  });

  const step = async (sid: string, url: string, extra: Record<string, string>) => {
    setError(undefined);
    try {
      const res = await post(url, { ...callParams(sid), ...extra });
      const parsed = readTwiml(res.text);
      setCall({
        sid,
        url: parsed.next?.url,
        kind: parsed.next?.kind,
        ...(parsed.dial ? { dial: parsed.dial } : {}),
        lines: parsed.lines,
        raw: res.text,
      });
      setDigits('');
    } catch (err) {
      setError(err);
    }
  };

  /**
   * How the dial to the operators ends, as Twilio reports it: when one answers, the answered leg's status callback
   * (a call of its own, the caller's its parent); then the `<Dial action>`; then, for a recorded call, the recording's.
   */
  const endDial = async (sid: string, url: string, dial: DialInfo, answered: boolean) => {
    setError(undefined);
    try {
      if (answered && dial.answeredUrl) {
        await check(
          post(dial.answeredUrl, {
            CallSid: `CA${hex(16)}`,
            ParentCallSid: sid,
            AccountSid: ACCOUNT_SID,
            CallStatus: 'in-progress',
            Direction: 'outbound-dial',
            From: from,
            To: dial.numbers[0] ?? '',
          }),
        );
      }
    } catch (err) {
      setError(err);
      return;
    }
    await step(sid, url, {
      DialCallStatus: answered ? 'completed' : 'no-answer',
      DialCallSid: `CA${hex(16)}`,
      DialCallDuration: answered ? ANSWERED_SECONDS : '0',
    });
    try {
      // The recording is reported once the call is over.
      if (answered && dial.recordingUrl) {
        const recordingSid = `RE${hex(16)}`;
        await check(
          post(dial.recordingUrl, {
            CallSid: sid,
            AccountSid: ACCOUNT_SID,
            RecordingSid: recordingSid,
            RecordingUrl: `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Recordings/${recordingSid}`,
            RecordingStatus: 'completed',
            RecordingDuration: ANSWERED_SECONDS,
            RecordingChannels: '2',
            RecordingSource: 'DialVerb',
          }),
        );
      }
    } catch (err) {
      setError(err);
    }
  };

  return html`<section>
    <h1>${t('simTitle')}</h1>
    <p class="muted">${t('simHint')}</p>
    <${ErrorBox} error=${error} />
    <div class="grid">
      <div><label for="s-token">${t('simAuthToken')}</label><input id="s-token" class="ltr" dir="ltr" value=${token} onInput=${(e: Event) => setToken((e.target as HTMLInputElement).value)} /></div>
      <div><label for="s-base">PUBLIC_BASE_URL</label><input id="s-base" class="ltr" dir="ltr" value=${base} onInput=${(e: Event) => setBase((e.target as HTMLInputElement).value)} /></div>
      <div><label for="s-from">${t('simFrom')}</label><input id="s-from" type="tel" class="ltr" dir="ltr" value=${from} onInput=${(e: Event) => setFrom((e.target as HTMLInputElement).value)} /></div>
    </div>
    <form onSubmit=${sendSms}>
      <label for="s-text">${t('simText')}</label>
      <textarea id="s-text" rows="3" dir="auto" value=${text} onInput=${(e: Event) => setText((e.target as HTMLTextAreaElement).value)}></textarea>
      <button type="submit" id="sim-send">${t('simSend')}</button>
    </form>
    ${reply ? html`<h2>${t('simReply')} (${reply.status})</h2><pre class="ltr twiml" dir="ltr">${reply.text}</pre>` : null}
    <h2>${t('simCall')}</h2>
    ${
      call
        ? html`<div class="phone">
            <ul>${call.lines.map((l) => html`<li dir="auto">${l}</li>`)}</ul>
            ${
              call.url && call.kind === 'gather'
                ? html`<form class="inline" onSubmit=${(e: Event) => {
                    e.preventDefault();
                    step(call.sid, call.url ?? '', { Digits: digits });
                  }}>
                    <label for="s-digits">${t('simDigits')}</label>
                    <input id="s-digits" class="ltr" dir="ltr" inputmode="numeric" value=${digits} onInput=${(e: Event) => setDigits((e.target as HTMLInputElement).value)} />
                    <button type="submit" id="sim-press">${t('simPress')}</button>
                  </form>`
                : null
            }
            ${
              call.url && call.kind === 'dial' && call.dial
                ? html`<div class="inline">
                    <button type="button" id="sim-dial-answered" onClick=${() => endDial(call.sid, call.url ?? '', call.dial as DialInfo, true)}>${t('simDialAnswered')}</button>
                    <button type="button" id="sim-dial-no-answer" class="secondary" onClick=${() => endDial(call.sid, call.url ?? '', call.dial as DialInfo, false)}>${t('simDialNoAnswer')}</button>
                  </div>`
                : null
            }
            ${
              call.url && call.kind !== 'gather' && call.kind !== 'dial'
                ? html`<button type="button" onClick=${() =>
                    step(
                      call.sid,
                      call.url ?? '',
                      call.kind === 'record'
                        ? {
                            RecordingUrl: `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Recordings/RE${hex(16)}`,
                            RecordingSid: `RE${hex(16)}`,
                            RecordingDuration: '12',
                          }
                        : {},
                    )}>${t('simPress')} ▶</button>`
                : null
            }
            <button type="button" id="sim-hang-up" class="secondary" onClick=${() => setCall(undefined)}>${t('simHangUp')}</button>
            <details><summary>TwiML</summary><pre class="ltr twiml" dir="ltr">${call.raw}</pre></details>
          </div>`
        : html`<button type="button" id="sim-call" onClick=${() => step(`CA${hex(16)}`, '/webhooks/twilio/voice', {})}>${t('simCall')}</button>`
    }
  </section>`;
}
