import { useState } from 'preact/hooks';
import { postTwilioForm } from '../api.ts';
import { html } from '../html.ts';
import { t } from '../i18n.ts';
import { twilioSignature } from '../twilio-signature.ts';
import { ErrorBox } from '../ui.ts';

/** The local stack's default auth token, as its start-up banner prints it. */
export const LOCAL_AUTH_TOKEN = 'local-twilio-auth-token';
const ACCOUNT_SID = `AC${'0'.repeat(31)}1`;

const hex = (n: number) =>
  Array.from(crypto.getRandomValues(new Uint8Array(n)), (b) => b.toString(16).padStart(2, '0')).join('');

/** The spoken and shown parts of a TwiML answer, and where a key press or a recording would go next. */
export function readTwiml(xml: string): {
  lines: string[];
  next?: { url: string; kind: 'gather' | 'record' | 'redirect' };
} {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const lines = Array.from(doc.querySelectorAll('Say, Message, Play')).map((n) =>
    n.nodeName === 'Play' ? `♪ ${n.textContent ?? ''}` : (n.textContent ?? ''),
  );
  const gather = doc.querySelector('Gather[action]');
  if (gather) return { lines, next: { url: gather.getAttribute('action') ?? '', kind: 'gather' } };
  const record = doc.querySelector('Record[action]');
  if (record) return { lines, next: { url: record.getAttribute('action') ?? '', kind: 'record' } };
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
    { sid: string; url?: string; kind?: string; lines: string[]; raw: string } | undefined
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
      setCall({ sid, url: parsed.next?.url, kind: parsed.next?.kind, lines: parsed.lines, raw: res.text });
      setDigits('');
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
              call.url && call.kind !== 'gather'
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
            <button type="button" class="secondary" onClick=${() => setCall(undefined)}>${t('simHangUp')}</button>
            <details><summary>TwiML</summary><pre class="ltr twiml" dir="ltr">${call.raw}</pre></details>
          </div>`
        : html`<button type="button" id="sim-call" onClick=${() => step(`CA${hex(16)}`, '/webhooks/twilio/voice', {})}>${t('simCall')}</button>`
    }
  </section>`;
}
