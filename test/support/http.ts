import { inject } from 'vitest';

/** Small helpers for the end-to-end tier: everything goes over HTTP to the local stack. */
export const baseUrl = (): string => inject('baseUrl');

export async function tokenFor(role: string): Promise<string> {
  const res = await fetch(`${baseUrl()}/dev/token`, { method: 'POST', body: JSON.stringify({ role }) });
  if (res.status !== 200) throw new Error(`no token for ${role}: ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}

let adminToken: Promise<string> | undefined;
/** The local admin's token, which every `/dev/…` route but `/dev/token` asks for. */
export const devToken = (): Promise<string> => {
  adminToken ??= tokenFor('admin');
  return adminToken;
};

export async function api(
  method: string,
  path: string,
  options: {
    token?: string;
    json?: unknown;
    form?: Record<string, string>;
    headers?: Record<string, string>;
  } = {},
): Promise<{ status: number; headers: Headers; text: string; json: () => unknown }> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | undefined;
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(options.form).toString();
  }
  const res = await fetch(`${baseUrl()}${path}`, { method, headers, body });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) };
}

/**
 * Waits until the workers are idle: every write so far through the stream consumers, every queued message through
 * its subscriber (a large batch may take a while). Throws, naming what is behind, if the stack says it is not idle.
 */
export async function settle(timeoutMs = 120_000): Promise<void> {
  // Asked in rounds of at most two minutes: fetch gives up on a response whose headers take over five minutes,
  // and a long wait (after the 1,000-SMS load test on a busy machine) can take longer than that.
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const round = Math.max(0, Math.min(120_000, deadline - Date.now()));
    const res = await fetch(`${baseUrl()}/dev/idle?timeoutMs=${round}`, {
      headers: { authorization: `Bearer ${await devToken()}` },
      signal: AbortSignal.timeout(round + 60_000),
    });
    if (res.status === 200) return;
    const text = await res.text();
    if (res.status !== 503 || Date.now() >= deadline) {
      throw new Error(`the local stack is not idle (${res.status}): ${text}`);
    }
  }
}

/** Polls `probe` until it returns a value (not undefined) or the time runs out. */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}
