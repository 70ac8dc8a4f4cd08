import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect } from 'vitest';
import { LOCAL_TWILIO, type LocalStack } from '#local/stack.ts';

/**
 * What the fault and dead-letter tests do to a local stack they started themselves: sign in as the dev admin, wait
 * until its workers are idle, run `npm run dlq` against it, post SMS as Twilio would, and read what it stored and
 * delivered.
 */

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const run = promisify(execFile);

/** Polls `probe` until it returns a value; fails naming `what` after `timeoutMs`. */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 300_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not in time: ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Helpers bound to the stack `current()` returns (started in the test's `beforeAll`). */
export function stackDriver(current: () => LocalStack) {
  const devToken = async (role = 'admin') => {
    const res = await fetch(`${current().url}/dev/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ role }),
    });
    return ((await res.json()) as { token: string }).token;
  };
  return {
    devToken,
    /** Waits until every worker of the stack is idle (its `/dev/idle`, with a generous deadline). */
    settle: async () => {
      const res = await fetch(`${current().url}/dev/idle?timeoutMs=240000`, {
        headers: { authorization: `Bearer ${await devToken()}` },
      });
      expect(res.status, await res.clone().text()).toBe(200);
    },
    /** `npm run dlq -- <args>` against the stack, as the README prints it; rejects on a non-zero exit. */
    dlq: (...args: string[]) =>
      run('npm', ['run', '--silent', 'dlq', '--', ...args, '--url', current().url], { cwd: ROOT }),
    /** Where the phone simulator posts SMS for this stack, signed with its Twilio credentials. */
    smsTarget: () => ({
      url: current().url,
      publicBaseUrl: current().url,
      authToken: LOCAL_TWILIO.authToken,
      accountSid: LOCAL_TWILIO.accountSid,
    }),
    /** The newest case from `phone`, if any. */
    caseOf: async (phone: string) => {
      const { platform } = current();
      return (await platform.cases.listByPhoneHash(platform.protector.hashPhone(phone))).items[0];
    },
    /** The notifications of `caseId` delivered to the focal points' inboxes for `eventType`. */
    notifications: (caseId: string, eventType = 'routed') =>
      current().inbox.list(
        (e) =>
          (e.message as { caseId?: string }).caseId === caseId &&
          (e.message as { eventType?: string }).eventType === eventType,
      ),
  };
}
