import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, inject, it } from 'vitest';
import { baseUrl, eventually, settle } from '../../support/http.ts';

/**
 * The README's cluster example, run as printed (only the port is the test stack's, and the scripts find it through
 * `PORT` as they would for a stack started with it): three texts from one camp make one cluster of three, which the
 * officer resolves together; what the commands print must be the lines the README prints under them.
 */

const README = readFileSync(join(process.cwd(), 'README.md'), 'utf8');

function clusterExample(): { commands: string[]; printed: string[] } {
  const section = README.slice(README.indexOf('## Clusters'));
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
  it('cluster example: three texts from a camp in Daquq make one cluster of three, resolved together, as printed', async () => {
    const { commands, printed } = clusterExample();
    expect(commands).toHaveLength(5);
    expect(printed).toHaveLength(2);
    const [texts, token, list, pick, resolve] = commands as [string, string, string, string, string];
    const replies = await shell(texts);
    expect(replies.match(/[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}/g)).toHaveLength(3);
    // "A few seconds later": the inbox worker, the router and the projector have caught up.
    await settle();
    // A generous deadline: on a loaded machine the three cases reach the projector one by one.
    const listed = await eventually(async () => {
      const out = (await shell([token, list].join('\n'))).trim();
      return out === printed[0] ? out : undefined;
    }, 240_000);
    expect(listed).toBe(printed[0]);
    expect((await shell([token, pick, resolve].join('\n'))).trim()).toBe(printed[1]);
  });
});
