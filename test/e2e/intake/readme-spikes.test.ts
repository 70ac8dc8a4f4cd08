import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, inject, it } from 'vitest';
import { baseUrl, eventually, settle } from '../../support/http.ts';

/**
 * The README's spike example, run as printed (only the port is the test stack's, and the scripts find it through
 * `PORT` as they would for a stack started with it): five texts from one camp, then the inbox's spike alerts, which
 * must be the lines the README prints under the commands.
 */

const README = readFileSync(join(process.cwd(), 'README.md'), 'utf8');

function spikeExample(): { commands: string[]; printed: string[] } {
  const section = README.slice(README.indexOf('## Spikes'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  const lines = block.split('\n').filter(Boolean);
  return {
    commands: lines.filter((l) => !l.startsWith('#')),
    printed: lines.filter((l) => l.startsWith('# ')).map((l) => l.slice(2)),
  };
}

async function shell(command: string): Promise<string> {
  const port = new URL(baseUrl()).port;
  const { stdout } = await promisify(execFile)(
    'sh',
    ['-c', command.replaceAll('localhost:3000', `localhost:${port}`)],
    {
      cwd: process.cwd(),
      env: { ...process.env, PORT: port, TWILIO_AUTH_TOKEN: inject('twilioAuthToken') },
    },
  );
  return stdout;
}

describe('the README', () => {
  it('spike example: five texts from a camp in Fallujah bring one alert per recipient, as printed', async () => {
    const { commands, printed } = spikeExample();
    expect(commands).toHaveLength(3);
    expect(printed).toHaveLength(2);
    const [texts, ...look] = commands as [string, ...string[]];
    const replies = await shell(texts);
    // Each text got its reference back.
    expect(replies.match(/[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}/g)).toHaveLength(5);
    // "A few seconds later": the stream consumers have caught up and SNS has delivered to both inbox queues.
    await settle();
    const lines = await eventually(async () => {
      const out = (await shell(look.join('\n'))).trim().split('\n').filter(Boolean);
      return out.length >= printed.length ? out : undefined;
    });
    expect(lines).toEqual(printed);
  });
});
