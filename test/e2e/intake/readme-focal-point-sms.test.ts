import { describe, expect, it } from 'vitest';
import { api, devToken, settle } from '../../support/http.ts';
import { readmeNpmCommands, shell } from '../../support/readme.ts';

/**
 * The README's "Focal points act by SMS" commands, run as printed (through `npm run`, in a shell) against the
 * end-to-end stack, with the reference the first one prints in place of K7MQ-4XZ9. Each prints what the README says.
 */

const REF = /[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}/;

const readmeCommands = () => readmeNpmCommands('## Focal points act by SMS');

async function reply(command: string): Promise<string> {
  const stdout = await shell(command);
  const lines = stdout.split('\n');
  const at = lines.findIndex((l) => l.startsWith('MessageSid '));
  expect(at, stdout).toBeGreaterThanOrEqual(0);
  return lines[at + 1] ?? '';
}

describe('README: focal points act by SMS', () => {
  it('runs the commands as printed: a complaint, then ACK and DONE from the seeded phone, then the codes', async () => {
    const commands = readmeCommands();
    expect(commands).toHaveLength(4);
    const [complaint, ack, done, hello] = commands as [string, string, string, string];
    const from = /--from (\+\d+)/.exec(complaint)?.[1] as string;

    const ref = REF.exec(await reply(complaint))?.[0] as string;
    expect(ref).toMatch(REF);
    // The notification reaches the officer once the router has run.
    await settle();

    expect(ack).toContain('"ACK K7MQ-4XZ9"');
    expect(await reply(ack.replace('K7MQ-4XZ9', ref))).toBe(`${ref}: أصبحت مستلمة.`);
    expect(await reply(done.replace('K7MQ-4XZ9', ref))).toBe(`${ref}: أصبحت محلولة.`);
    await settle();
    const outbox = (
      await api('GET', `/dev/outbox?to=${encodeURIComponent(from)}`, { token: await devToken() })
    ).json() as { messages: { body: string }[] };
    expect(outbox.messages.map((m) => m.body)).toContain(
      `Your case ${ref} has been resolved. The tank was refilled this morning. Are you satisfied? Reply 1 = satisfied, 2 = not satisfied.`,
    );

    expect(await reply(hello)).toBe(
      'الرموز: استلام <مرجع>، جاري <مرجع>، تم <مرجع> <النتيجة>، احالة <مرجع> <شريك>. أو 1 2 3 4',
    );
  }, 180_000);
});
