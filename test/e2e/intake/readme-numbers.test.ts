import { describe, expect, it } from 'vitest';
import { readmeBlock, shell } from '../../support/readme.ts';

/**
 * The README's public-numbers example, run as printed from the repository's root against the end-to-end stack
 * (its public SMS number is the local default, +9647000000000; it has no WhatsApp number). The scripts find the
 * stack through `PORT`; curl's `localhost:3000` becomes the stack's port.
 */

/** The section's code block: its command lines (continuations joined) and the `# ` line printed under the last. */
function example(): { call: string; admin: string; printed: string } {
  const lines = readmeBlock('## Public numbers: on the form and on the hotline').trimEnd().split('\n');
  const commands = lines.filter((l) => !l.startsWith('#')).join('\n');
  const [call, ...rest] = commands.split('\n');
  return {
    call: call as string,
    admin: rest.join('\n'),
    printed: (lines.at(-1) as string).replace(/^# /, ''),
  };
}

describe('README: public numbers on the hotline', () => {
  it('a withheld caller hears the SMS number to text instead, digit by digit, and no WhatsApp', async () => {
    const { call } = example();
    expect(call).toBe('npm run call -- --from +266696687 --digits 1,3,2');
    const heard = await shell(call);
    expect(heard).toContain(
      'لا يظهر لدينا رقم هاتفك، لذلك لا نستطيع معاودة الاتصال بك. يرجى الاتصال مجدداً من رقم غير مخفي' +
        '، أو إرسال رسالة نصية إلى الرقم 0 7 0 0, 0 0 0, 0 0 0 0.',
    );
    expect(heard).not.toContain('واتساب');
  });

  it('the admin request with an unknown placeholder prints the code the README shows', async () => {
    const { admin, printed } = example();
    expect(printed).toBe('IVR.PROMPT_UNKNOWN_PLACEHOLDER');
    expect((await shell(admin)).trim()).toBe(printed);
  });
});
