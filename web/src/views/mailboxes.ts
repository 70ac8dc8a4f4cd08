import { useEffect } from 'preact/hooks';
import { devInbox, devOutbox } from '../api.ts';
import { html } from '../html.ts';
import { formatDateTime, t } from '../i18n.ts';
import { ErrorBox, useAsync } from '../ui.ts';

/** The local outbox (SMS and calls the Twilio SDK sent) or inbox (focal-point notifications), newest first. */
export function MailboxView(props: { which: 'outbox' | 'inbox' }) {
  const data = useAsync(() => (props.which === 'outbox' ? devOutbox() : devInbox()), [props.which]);
  useEffect(() => {
    const timer = setInterval(data.reload, 5000);
    return () => clearInterval(timer);
  }, [data.reload]);
  const entries = [...(data.data ?? [])].reverse();
  return html`<section>
    <h1>${props.which === 'outbox' ? t('outboxTitle') : t('inboxTitle')}</h1>
    <button type="button" onClick=${data.reload}>${t('refresh')}</button>
    <${ErrorBox} error=${data.error} />
    ${entries.length === 0 && !data.loading ? html`<p>${t('noMessages')}</p>` : null}
    <ol class="mailbox">
      ${entries.map((e) => {
        const { at, body, text, message, texts, ...rest } = e as Record<string, unknown>;
        // A notification shows what the focal point's phone (or else e-mail) reads, then the JSON it carries.
        const read = (texts ?? {}) as { sms?: string; email?: string };
        const main = [body, text, message, read.sms, read.email].find((v) => typeof v === 'string') as
          | string
          | undefined;
        const carried = typeof message === 'object' && message !== null ? { message, ...rest } : rest;
        return html`<li>
          <time>${formatDateTime(String(at ?? ''))}</time>
          ${main ? html`<p dir="auto" class="message">${main}</p>` : null}
          <pre class="ltr" dir="ltr">${JSON.stringify(carried, null, 1)}</pre>
        </li>`;
      })}
    </ol>
  </section>`;
}
