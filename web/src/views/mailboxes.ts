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
        const { at, body, text, message, ...rest } = e as Record<string, unknown>;
        const main = [body, text, message].find((v) => typeof v === 'string') as string | undefined;
        return html`<li>
          <time>${formatDateTime(String(at ?? ''))}</time>
          ${main ? html`<p dir="auto" class="message">${main}</p>` : null}
          <pre class="ltr" dir="ltr">${JSON.stringify(rest, null, 1)}</pre>
        </li>`;
      })}
    </ol>
  </section>`;
}
