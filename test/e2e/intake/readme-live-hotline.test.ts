import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { api, devToken } from '../../support/http.ts';
import { ROOT, readmeBlock, stackPort } from '../../support/readme.ts';

/**
 * The README's "Speak to a person" commands, run as printed (in bash, through `npm run`) against the end-to-end
 * stack; only the port is this stack's.
 */

afterAll(async () => {
  // Huda stays on the roster only for this walk: later journeys hear the menus without her.
  const admin = await devToken();
  await api('DELETE', '/api/admin/roster/huda', { token: admin });
  await api('POST', '/dev/clock', { token: admin, json: { reset: true } });
});

describe('README: speak to a person', () => {
  it('puts Huda on the roster, walks the call to her, and the call waits in her console', () => {
    const port = stackPort();
    const script = readmeBlock('## Speak to a person: the live hotline').replaceAll(
      'localhost:3000',
      `localhost:${port}`,
    );
    const run = spawnSync('bash', ['-e', '-c', script], {
      cwd: ROOT,
      env: { ...process.env, PORT: port, TWILIO_AUTH_TOKEN: inject('twilioAuthToken') },
      encoding: 'utf8',
      timeout: 180_000,
    });
    expect(run.status, run.stderr).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines).toContain(
      '{"operatorId":"huda","name":"Huda","phone":"+9647501110001","languages":["ar","en"],"gender":"female","onDuty":true,"userId":"local-operator"}',
    );
    expect(lines.map((l) => l.trim())).toContain(
      '☎ dial +9647501110001 (timeout 25 s, not recorded) → completed',
    );
    const reference = /^Reference: ([2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4})$/m.exec(run.stdout)?.[1];
    expect(reference).toBeDefined();
    const waiting = JSON.parse(lines.find((l) => l.startsWith('{"items"')) ?? '{}') as {
      items: { reference: string; answeredBy: string; recordingConsent: boolean }[];
    };
    expect(waiting.items).toContainEqual(
      expect.objectContaining({ reference, answeredBy: 'huda', recordingConsent: false }),
    );
    const clocks = lines
      .filter((l) => l.startsWith('{"now"'))
      .map((l) => JSON.parse(l) as { offset: string });
    expect(clocks.at(-1)?.offset).toBe('PT0S');
  });
});
