import { describe, expect, it } from 'vitest';
import { eventually, settle } from '../../support/http.ts';
import { readmeExample, shell } from '../../support/readme.ts';

/**
 * The README's cluster example, run as printed (only the port is the test stack's, and the scripts find it through
 * `PORT` as they would for a stack started with it): three texts from one camp make one cluster of three, which the
 * officer resolves together; what the commands print must be the lines the README prints under them.
 */

describe('the README', () => {
  it('cluster example: three texts from a camp in Daquq make one cluster of three, resolved together, as printed', async () => {
    const { commands, printed } = readmeExample('## Clusters');
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
