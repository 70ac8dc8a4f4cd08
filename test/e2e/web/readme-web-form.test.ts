import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { api, baseUrl, tokenFor } from '../../support/http.ts';

/**
 * The README's web-form example, run exactly as printed (only the port is the test stack's), does what the
 * README says it does: it prints the reference, the secret and the promised reply in the shape shown under it,
 * and the complaint is stored as sent.
 */

const README = readFileSync(join(process.cwd(), 'README.md'), 'utf8');

/** The printed command (with its continuation lines) and the answer printed under it. */
function webFormExample(): { command: string; printed: string } {
  const lines = README.split('\n');
  const start = lines.findIndex((l) => l.startsWith('curl -s localhost:3000/api/public/complaints '));
  if (start < 0) throw new Error('the README has no web-form curl example');
  const command: string[] = [];
  let i = start;
  for (; i < lines.length; i++) {
    const line = lines[i] ?? '';
    command.push(line);
    if (!line.endsWith('\\')) break;
  }
  const printed = (lines[i + 1] ?? '').replace(/^# /, '');
  return { command: command.join('\n'), printed };
}

/** Every key path of a JSON value, to compare the shape of two answers. */
const shape = (value: unknown, path = ''): string[] =>
  value !== null && typeof value === 'object'
    ? Object.entries(value).flatMap(([k, v]) => [`${path}${k}`, ...shape(v, `${path}${k}.`)])
    : [];

describe('the README', () => {
  it('web-form example stores the complaint and prints what the README shows', async () => {
    const { command, printed } = webFormExample();
    const port = new URL(baseUrl()).port;
    const { stdout } = await promisify(execFile)('sh', [
      '-c',
      command.replaceAll('localhost:3000', `localhost:${port}`),
    ]);
    const answer = JSON.parse(stdout) as {
      reference: string;
      secret: string;
      reply: { workingDays: number; by: string; text: string };
    };
    expect(shape(answer).sort()).toEqual(shape(JSON.parse(printed)).sort());
    expect(answer.reference).toMatch(/^[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$/);
    expect(answer.secret).toMatch(/^[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$/);
    expect(answer.reply.workingDays).toBe(7);
    expect(Date.parse(answer.reply.by)).toBeGreaterThan(Date.now());
    expect(answer.reply.text).toMatch(
      /^We will reply within 7 working days, by \w+day, \d{1,2} \w+ \d{4}\.$/,
    );

    const token = await tokenFor('officer');
    const found = await api('POST', '/api/cases/lookup', { token, json: { reference: answer.reference } });
    const id = (found.json() as { items: { caseId: string }[] }).items[0]?.caseId;
    const stored = (await api('GET', `/api/cases/${id}`, { token })).json() as { case: unknown };
    expect(stored.case).toMatchObject({
      channel: 'web',
      language: 'en',
      narrative: 'The distribution skipped our street',
      location: { governorate: 'IQG15' },
    });

    // The secret it printed opens the case's status, as the status page would.
    const status = await api('GET', `/api/public/complaints/${answer.reference}`, {
      headers: { accept: 'application/json', 'x-lookup-secret': answer.secret },
    });
    expect(status.status).toBe(200);
    expect(status.json()).toMatchObject({ reference: answer.reference, statusName: 'Received' });
  });
});
