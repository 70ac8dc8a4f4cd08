import { describe, expect, it } from 'vitest';
import { eventually, settle } from '../../support/http.ts';
import { readmeExample, shell } from '../../support/readme.ts';

/**
 * The README's spike example, run as printed (only the port is the test stack's, and the scripts find it through
 * `PORT` as they would for a stack started with it): five texts from one camp, then the inbox's spike alerts, which
 * must be the lines the README prints under the commands.
 */

describe('the README', () => {
  it('spike example: five texts from a camp in Fallujah bring one alert per recipient, as printed', async () => {
    const { commands, printed } = readmeExample('## Spikes');
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
