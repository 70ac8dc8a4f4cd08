import { describe, expect, it } from 'vitest';
import { api, tokenFor } from '../../support/http.ts';
import { readmeBlock, shell } from '../../support/readme.ts';

/**
 * The README's KoboToolbox example, run as printed from the repository's root (only the port is the test stack's):
 * each command prints exactly the line shown under it, and the sample form is stored once, as the README says.
 */

/** Each command of the section's block (with its continuation lines) and the `# ` line printed under it. */
function examples(): { command: string; printed: string }[] {
  const lines = readmeBlock('## Field forms (KoboToolbox)').split('\n');
  const out: { command: string; printed: string }[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]?.startsWith('curl ')) continue;
    const command: string[] = [];
    for (; i < lines.length; i++) {
      command.push(lines[i] as string);
      if (!lines[i]?.endsWith('\\')) break;
    }
    out.push({ command: command.join('\n'), printed: (lines[i + 1] ?? '').replace(/^# /, '') });
  }
  return out;
}

describe('README: field forms (KoboToolbox)', () => {
  it('posts the sample form as printed: a case, then the same reference for the repeat', async () => {
    const commands = examples();
    expect(commands).toHaveLength(2);
    for (const { command, printed } of commands) {
      expect((await shell(command)).trim()).toBe(printed);
    }
    const reference = /"reference":"([^"]+)"/.exec(commands[0]?.printed ?? '')?.[1] as string;
    const res = await api('GET', `/api/cases/${reference}`, { token: await tokenFor('officer') });
    expect(res.status).toBe(200);
    expect((res.json() as { case: Record<string, unknown> }).case).toMatchObject({
      channel: 'complaint_box',
      transport: 'kobo',
      language: 'ar',
      location: { governorate: 'IQG15', district: 'IQG15Q03' },
    });
  });
});
