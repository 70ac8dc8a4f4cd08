import { useState } from 'preact/hooks';
import type { LocalUser } from '../api.ts';
import { type ConsoleConfig, localSignIn, localUsers, type Session, startCognitoSignIn } from '../auth.ts';
import { html } from '../html.ts';
import { label, t } from '../i18n.ts';
import { ErrorBox, useAsync } from '../ui.ts';

export function SignInView(props: { config: ConsoleConfig; onSignedIn: (s: Session) => void }) {
  const cognito = Boolean(props.config.userPoolDomain && props.config.clientId);
  const users = useAsync(() => (cognito ? Promise.resolve([] as LocalUser[]) : localUsers()), [cognito]);
  const [error, setError] = useState<unknown>();
  const pick = async (user: LocalUser) => {
    try {
      props.onSignedIn(await localSignIn(user));
    } catch (err) {
      setError(err);
    }
  };
  return html`<section class="signin">
    <h1>${t('signInTitle')}</h1>
    <${ErrorBox} error=${error} />
    ${
      cognito
        ? html`<button type="button" onClick=${() => startCognitoSignIn(props.config).catch(setError)}>${t('signInCognito')}</button>`
        : users.data?.length
          ? html`<p>${t('signInLocal')}</p>
            <ul class="users">
              ${users.data.map(
                (u) => html`<li><button type="button" data-user=${u.userId} onClick=${() => pick(u)}>
                  <strong>${u.name}</strong><br /><small>${label('role', u.role)} · <span class="ltr">${u.userId}</span></small>
                </button></li>`,
              )}
            </ul>`
          : users.loading
            ? null
            : html`<p>${t('signInNoConfig')}</p>`
    }
  </section>`;
}
