import { describe, expect, it } from 'vitest';
import { segmentsOf } from '#shared/messages/segments.ts';
import { render } from '#shared/messages/templates.ts';
import { readmeNpmCommands, shell } from '../../support/readme.ts';

/** The README's WhatsApp and gateway commands, run as printed (through `npm run`, in a shell) against the stack. */

const REF = /[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}/;

const readmeCommands = () => readmeNpmCommands('## WhatsApp and the local SMS gateway');

async function replyOf(command: string, header: RegExp): Promise<string> {
  const stdout = await shell(command);
  const lines = stdout.split('\n');
  const at = lines.findIndex((l) => header.test(l));
  expect(at, stdout).toBeGreaterThanOrEqual(0);
  const reply = lines[at + 1] ?? '';
  expect(segmentsOf(reply).segments).toBe(1);
  return reply;
}

describe('README: WhatsApp and the local SMS gateway', () => {
  it('runs both examples as printed; each prints the reference in the sender language', async () => {
    const commands = readmeCommands();
    expect(commands).toHaveLength(2);
    const [whatsapp, gateway] = commands as [string, string];
    expect(whatsapp).toContain('--whatsapp');
    const first = await replyOf(whatsapp, /^MessageSid /);
    expect(first).toBe(render('received', 'ar', { ref: REF.exec(first)?.[0] as string }));
    expect(gateway).toContain('--gateway --from 07');
    const second = await replyOf(gateway, /^Gateway event /);
    expect(second).toBe(render('received', 'ckb', { ref: REF.exec(second)?.[0] as string }));
  }, 180_000);
});
