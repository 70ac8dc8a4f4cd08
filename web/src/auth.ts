import { devToken, devUsers, type LocalUser, type Role } from './api.ts';

/**
 * Who is signed in, and how they got there. In the local stack: a local user per role (`POST /dev/token`). In
 * AWS: Cognito's hosted UI with the authorisation-code flow and PKCE, configured by `config.json` that the deploy
 * writes next to the console. The ID token is the bearer, as it carries the groups and custom scope attributes
 * the API's JWT authorizer passes to the handlers. The Cognito path cannot run here (no user pool); it follows
 * Cognito's documented endpoints (`/oauth2/authorize`, `/oauth2/token`, `/logout`).
 */
export interface Session {
  token: string;
  userId: string;
  name: string;
  roles: Role[];
  focalPointId?: string;
  governorates: string[];
  mode: 'local' | 'cognito';
  expiresAt?: number;
}

export interface ConsoleConfig {
  userPoolDomain?: string;
  clientId?: string;
  apiUrl?: string;
  redirectUri?: string;
}

const SESSION_KEY = 'cfm.console.session';
const PKCE_KEY = 'cfm.console.pkce';

export async function loadConfig(): Promise<ConsoleConfig> {
  try {
    const res = await fetch('./config.json', { cache: 'no-store' });
    if (!res.ok) return {};
    return (await res.json()) as ConsoleConfig;
  } catch {
    return {};
  }
}

const b64url = (bytes: Uint8Array): string => {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
};

/** The claims of a JWT, unverified: the API verifies tokens; the console only reads who it is for. */
export function jwtClaims(token: string): Record<string, unknown> {
  const part = token.split('.')[1] ?? '';
  const json = decodeURIComponent(
    Array.from(
      atob(part.replace(/-/g, '+').replace(/_/g, '/')),
      (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
    ).join(''),
  );
  return JSON.parse(json) as Record<string, unknown>;
}

const listClaim = (v: unknown): string[] =>
  Array.isArray(v) ? v.map(String) : typeof v === 'string' && v ? v.split(/[\s,]+/).filter(Boolean) : [];

function sessionFromToken(token: string, mode: Session['mode'], name?: string): Session {
  const claims = jwtClaims(token);
  return {
    token,
    mode,
    userId: String(claims.sub ?? ''),
    name: name ?? String(claims.name ?? claims.email ?? claims['cognito:username'] ?? claims.sub ?? ''),
    roles: listClaim(claims['cognito:groups']) as Role[],
    focalPointId:
      typeof claims['custom:focalPointId'] === 'string' ? claims['custom:focalPointId'] : undefined,
    governorates: listClaim(claims['custom:governorates']),
    expiresAt: typeof claims.exp === 'number' ? claims.exp * 1000 : undefined,
  };
}

export function savedSession(): Session | undefined {
  try {
    const s = JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? 'null') as Session | null;
    if (!s || (s.expiresAt && s.expiresAt < Date.now())) return undefined;
    return s;
  } catch {
    return undefined;
  }
}

const keep = (s: Session): Session => {
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(s));
  return s;
};

export function signOutLocally(): void {
  sessionStorage.removeItem(SESSION_KEY);
}

// ---- local stack ----

export const localUsers = (): Promise<LocalUser[]> => devUsers();

export async function localSignIn(user: LocalUser): Promise<Session> {
  return keep(sessionFromToken(await devToken({ userId: user.userId }), 'local', user.name));
}

// ---- Cognito hosted UI, authorisation code with PKCE ----

const redirectUri = (config: ConsoleConfig): string =>
  config.redirectUri ?? `${location.origin}${location.pathname}`;

export async function startCognitoSignIn(config: ConsoleConfig): Promise<void> {
  if (!config.userPoolDomain || !config.clientId)
    throw new Error('config.json has no userPoolDomain or clientId');
  const verifier = b64url(crypto.getRandomValues(new Uint8Array(32)));
  const state = b64url(crypto.getRandomValues(new Uint8Array(16)));
  const challenge = b64url(
    new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))),
  );
  sessionStorage.setItem(PKCE_KEY, JSON.stringify({ verifier, state }));
  const url = new URL(`https://${config.userPoolDomain}/oauth2/authorize`);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: redirectUri(config),
    scope: 'openid email profile',
    state,
    code_challenge_method: 'S256',
    code_challenge: challenge,
  }).toString();
  location.assign(url.toString());
}

/** Finishes a hosted-UI sign-in when the page was loaded with `?code=…&state=…`; undefined otherwise. */
export async function finishCognitoSignIn(config: ConsoleConfig): Promise<Session | undefined> {
  const params = new URLSearchParams(location.search);
  const code = params.get('code');
  if (!code || !config.userPoolDomain || !config.clientId) return undefined;
  const pkce = JSON.parse(sessionStorage.getItem(PKCE_KEY) ?? 'null') as {
    verifier: string;
    state: string;
  } | null;
  sessionStorage.removeItem(PKCE_KEY);
  history.replaceState(null, '', `${location.pathname}${location.hash}`);
  if (!pkce || pkce.state !== params.get('state'))
    throw new Error('the sign-in answer does not match the request');
  const res = await fetch(`https://${config.userPoolDomain}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: config.clientId,
      code,
      redirect_uri: redirectUri(config),
      code_verifier: pkce.verifier,
    }).toString(),
  });
  if (!res.ok) throw new Error(`token endpoint answered ${res.status}`);
  const tokens = (await res.json()) as { id_token: string };
  return keep(sessionFromToken(tokens.id_token, 'cognito'));
}

export function cognitoLogoutUrl(config: ConsoleConfig): string | undefined {
  if (!config.userPoolDomain || !config.clientId) return undefined;
  const url = new URL(`https://${config.userPoolDomain}/logout`);
  url.search = new URLSearchParams({
    client_id: config.clientId,
    logout_uri: redirectUri(config),
  }).toString();
  return url.toString();
}
