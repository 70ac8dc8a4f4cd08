import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { configureApi } from './api.ts';
import {
  type ConsoleConfig,
  cognitoLogoutUrl,
  finishCognitoSignIn,
  loadConfig,
  type Session,
  savedSession,
  signOutLocally,
} from './auth.ts';
import { html } from './html.ts';
import { getLang, initialLang, LANGUAGE_NAMES, LANGUAGES, type Lang, label, setLang, t } from './i18n.ts';
import { parseRoute, type Route } from './routes.ts';
import { AdminView } from './views/admin.ts';
import { CaseView } from './views/case.ts';
import { ClustersView, ClusterView } from './views/clusters.ts';
import { DashboardView } from './views/dashboard.ts';
import { LiveCallsView } from './views/live-calls.ts';
import { MailboxView } from './views/mailboxes.ts';
import { OperatorView } from './views/operator.ts';
import { QueuesView } from './views/queues.ts';
import { SignInView } from './views/signin.ts';
import { SimulatorView } from './views/simulator.ts';
import './styles.css';

const has = (s: Session, ...roles: string[]) => s.roles.some((r) => roles.includes(r));

function Nav(props: { session: Session; route: Route }) {
  const s = props.session;
  const items: [string, string, boolean][] = [
    ['#/queues/team', t('navQueues'), has(s, 'operator', 'officer', 'psea')],
    ['#/operator', t('navOperator'), has(s, 'operator', 'officer')],
    ['#/clusters', t('navClusters'), has(s, 'operator', 'officer', 'psea', 'manager')],
    ['#/live-calls', t('navLiveCalls'), has(s, 'operator', 'officer', 'psea')],
    ['#/dashboard', t('navDashboard'), has(s, 'officer', 'psea', 'manager', 'admin')],
    ['#/admin/focal-points', t('navAdmin'), has(s, 'admin')],
    ['#/simulator', t('navSimulator'), s.mode === 'local'],
    ['#/outbox', t('navOutbox'), s.mode === 'local' && has(s, 'admin')],
    ['#/inbox', t('navInbox'), s.mode === 'local' && has(s, 'admin')],
  ];
  const current = `#/${props.route.view}`;
  return html`<nav class="main-nav" aria-label=${t('appName')}>
    <ul>${items
      .filter(([, , show]) => show)
      .map(
        ([href, text]) =>
          html`<li><a href=${href} aria-current=${href.startsWith(current) ? 'page' : undefined}>${text}</a></li>`,
      )}</ul>
  </nav>`;
}

function LanguageSwitch(props: { onChange: (l: Lang) => void }) {
  return html`<div class="lang">
    <label for="lang-select">${t('language')}</label>
    <select id="lang-select" value=${getLang()} onChange=${(e: Event) => props.onChange((e.target as HTMLSelectElement).value as Lang)}>
      ${LANGUAGES.map((l) => html`<option value=${l} lang=${l}>${LANGUAGE_NAMES[l]}</option>`)}
    </select>
  </div>`;
}

function App(props: { config: ConsoleConfig; initial?: Session }) {
  const [lang, setLangState] = useState<Lang>(getLang());
  const [session, setSession] = useState<Session | undefined>(props.initial);
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const onHash = () => setHash(location.hash);
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  configureApi({ token: session?.token, onUnauthorised: () => setSession(undefined) });
  const changeLang = (l: Lang) => {
    setLang(l);
    setLangState(l);
  };
  const navigate = (h: string) => {
    location.hash = h;
  };
  const signOut = () => {
    signOutLocally();
    setSession(undefined);
    const logout = session?.mode === 'cognito' ? cognitoLogoutUrl(props.config) : undefined;
    if (logout) location.assign(logout);
  };
  const route = parseRoute(hash, session);
  let main: unknown;
  if (!session) main = html`<${SignInView} config=${props.config} onSignedIn=${setSession} />`;
  else if (route.view === 'queues')
    main = html`<${QueuesView} key=${route.queue} session=${session} queue=${route.queue} navigate=${navigate} />`;
  else if (route.view === 'case')
    main = html`<${CaseView} key=${route.caseId} session=${session} caseId=${route.caseId} />`;
  else if (route.view === 'clusters') main = html`<${ClustersView} session=${session} />`;
  else if (route.view === 'cluster')
    main = html`<${ClusterView} key=${route.clusterId} session=${session} clusterId=${route.clusterId} />`;
  else if (route.view === 'operator') main = html`<${OperatorView} />`;
  else if (route.view === 'live-calls') main = html`<${LiveCallsView} />`;
  else if (route.view === 'dashboard') main = html`<${DashboardView} session=${session} />`;
  else if (route.view === 'admin') main = html`<${AdminView} tab=${route.tab} />`;
  else if (route.view === 'simulator') main = html`<${SimulatorView} />`;
  else main = html`<${MailboxView} key=${route.view} which=${route.view} />`;
  return html`<div class="app" key=${lang}>
    <a class="skip" href="#main">${t('skipToContent')}</a>
    <header class="top">
      <span class="brand">${t('appName')}</span>
      <${LanguageSwitch} onChange=${changeLang} />
      ${
        session
          ? html`<span class="who">${t('signedInAs', { name: session.name, role: session.roles.map((r) => label('role', r)).join(', ') })}</span>
            <button type="button" class="secondary" onClick=${signOut}>${t('signOut')}</button>`
          : null
      }
    </header>
    ${session ? html`<${Nav} session=${session} route=${route} />` : null}
    <main id="main" tabindex="-1">${main}</main>
  </div>`;
}

async function start() {
  setLang(initialLang());
  const config = await loadConfig();
  configureApi({ baseUrl: config.apiUrl ?? '' });
  let session = savedSession();
  try {
    session = (await finishCognitoSignIn(config)) ?? session;
  } catch (err) {
    console.error('sign-in failed', err instanceof Error ? err.message : err);
  }
  const root = document.getElementById('app');
  if (root) render(html`<${App} config=${config} initial=${session} />`, root);
}

start();
