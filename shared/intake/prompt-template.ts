/**
 * The public numbers in the hotline's prompts. A prompt names a number with a placeholder (`{sms}`, `{hotline}`,
 * `{whatsapp}`) inside square brackets: the bracketed words are spoken only where every number they name is
 * configured, so a deployment without that channel hears a prompt that promises nothing:
 *
 *     Please call again from a number that is not hidden[, or send us a text message to {sms}].
 *
 * The same grammar serves recorded prompts: a `play` prompt is a list of recordings separated by spaces, with the
 * same placeholders and brackets (`/audio/ar/no-number.mp3 [/audio/ar/or-text.mp3 {sms}]`), and the number is read
 * from the language's digit recordings.
 */
import { PUBLIC_CHANNELS, type PublicChannel, type PublicNumbers } from '../config/public-numbers.ts';

/** The stable codes of what an admin can get wrong in a prompt's placeholders. */
export const PROMPT_TEMPLATE_CODES = {
  unknownPlaceholder: 'IVR.PROMPT_UNKNOWN_PLACEHOLDER',
  numberNotOptional: 'IVR.PROMPT_NUMBER_NOT_OPTIONAL',
  syntax: 'IVR.PROMPT_TEMPLATE_INVALID',
} as const;
export type PromptTemplateCode = (typeof PROMPT_TEMPLATE_CODES)[keyof typeof PROMPT_TEMPLATE_CODES];

type Part = { text: string } | { number: PublicChannel };
/** A prompt's template: words, numbers, and the bracketed groups that are said only when their numbers exist. */
export type TemplateNode = Part | { optional: Part[] };

export interface TemplateProblem {
  code: PromptTemplateCode;
  message: string;
}

const isChannel = (name: string): name is PublicChannel =>
  (PUBLIC_CHANNELS as readonly string[]).includes(name);
const PLACEHOLDERS = PUBLIC_CHANNELS.map((c) => `{${c}}`).join(', ');

/** Reads a prompt's template, or says what is wrong with it (the message names no number, only the admin's text). */
export function parseTemplate(source: string): TemplateNode[] | TemplateProblem {
  const nodes: TemplateNode[] = [];
  let group: Part[] | undefined;
  let text = '';
  const flush = () => {
    if (!text) return;
    (group ?? nodes).push({ text });
    text = '';
  };
  for (let i = 0; i < source.length; i++) {
    const c = source[i] as string;
    if (c === '[') {
      if (group) return { code: PROMPT_TEMPLATE_CODES.syntax, message: 'brackets [ ] cannot be nested' };
      flush();
      group = [];
    } else if (c === ']') {
      if (!group) return { code: PROMPT_TEMPLATE_CODES.syntax, message: 'a ] closes no [' };
      flush();
      nodes.push({ optional: group });
      group = undefined;
    } else if (c === '{') {
      const end = source.indexOf('}', i);
      if (end < 0) return { code: PROMPT_TEMPLATE_CODES.syntax, message: 'a { is not closed by }' };
      const name = source.slice(i + 1, end).trim();
      if (!isChannel(name)) {
        return {
          code: PROMPT_TEMPLATE_CODES.unknownPlaceholder,
          message: `{${name.slice(0, 40)}} is not a placeholder; the placeholders are ${PLACEHOLDERS}`,
        };
      }
      if (!group) {
        return {
          code: PROMPT_TEMPLATE_CODES.numberNotOptional,
          message: `{${name}} must be inside [ ], so that the prompt still makes sense where no ${name} number is configured`,
        };
      }
      flush();
      group.push({ number: name });
      i = end;
    } else if (c === '}') {
      return { code: PROMPT_TEMPLATE_CODES.syntax, message: 'a } opens no {' };
    } else {
      text += c;
    }
  }
  if (group) return { code: PROMPT_TEMPLATE_CODES.syntax, message: 'a [ is not closed by ]' };
  flush();
  return nodes;
}

export const isTemplateProblem = (r: TemplateNode[] | TemplateProblem): r is TemplateProblem =>
  !Array.isArray(r);

/** A filled prompt: words (text to say, or recording URLs) and numbers (as configured: E.164 or a short code). */
export type FilledPart = { text: string } | { number: string };

/**
 * The template with the deployment's numbers: a bracketed group stays when every number it names is configured
 * and goes, words and all, when one is not.
 */
export function fillTemplate(nodes: readonly TemplateNode[], numbers: PublicNumbers): FilledPart[] {
  const out: FilledPart[] = [];
  const push = (p: Part) => {
    if ('number' in p) {
      out.push({ number: numbers[p.number] as string });
      return;
    }
    const last = out.at(-1);
    if (last && 'text' in last) last.text += p.text;
    else out.push({ text: p.text });
  };
  for (const node of nodes) {
    if (!('optional' in node)) push(node);
    else if (node.optional.every((p) => !('number' in p) || numbers[p.number])) node.optional.forEach(push);
  }
  return out;
}

/**
 * The digits a caller in Iraq dials: an Iraqi number in its national form (`+9647701234567` → `07701234567`),
 * another country's after the international prefix 00 (`+447700900123` → `00447700900123`), a short code as it is.
 * Only digits, so a voice reads them in its own language and a recording exists for each.
 */
export function dialledDigits(number: string): string {
  if (number.startsWith('+964')) return `0${number.slice(4)}`;
  if (number.startsWith('+')) return `00${number.slice(1)}`;
  return number;
}

/**
 * The digits in the groups people say them in: an Iraqi mobile number 4-3-4 (`0770 123 4567`), a short code whole,
 * anything else in threes (a last lone digit joins the group before it).
 */
export function digitGroups(number: string): string[] {
  const digits = dialledDigits(number);
  if (/^07\d{9}$/.test(digits)) return [digits.slice(0, 4), digits.slice(4, 7), digits.slice(7)];
  if (digits.length <= 5) return [digits];
  const groups = digits.match(/\d{1,3}/g) ?? [];
  if (groups.length > 1 && (groups.at(-1) as string).length === 1) {
    const lone = groups.pop() as string;
    groups[groups.length - 1] += lone;
  }
  return groups;
}

/**
 * A number as `<Say>` should read it: digit by digit (Twilio's `<Say>` reads "1 2 3" as three digits and "123" as a
 * hundred and twenty-three), groups apart with a comma's pause: `0 7 7 0, 1 2 3, 4 5 6 7`. Plain text, so every
 * voice reads it, the basic ones that take no SSML included.
 */
export const spokenNumber = (number: string): string =>
  digitGroups(number)
    .map((g) => [...g].join(' '))
    .join(', ');
