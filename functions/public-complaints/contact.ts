import {
  PUBLIC_CHANNELS,
  type PublicChannel,
  type PublicNumbers,
  PublicNumbersSchema,
} from '#shared/config/public-numbers.ts';

// The numbers' schema is shared with the hotline's prompts, which speak them; the pages keep these names.
export { PUBLIC_CHANNELS, type PublicChannel, type PublicNumbers, PublicNumbersSchema };

/** The environment variable of each channel, read by the Lambda and by `npm start` alike. */
export const PUBLIC_NUMBER_ENV: Readonly<Record<PublicChannel, string>> = {
  sms: 'PUBLIC_SMS_NUMBER',
  hotline: 'PUBLIC_HOTLINE_NUMBER',
  whatsapp: 'PUBLIC_WHATSAPP_NUMBER',
};

/** A public number that is set but cannot be dialled: the deployment or the start-up stops and names it. */
export class PublicNumberConfigError extends Error {
  readonly code = 'CONFIG.PUBLIC_NUMBER_INVALID';
  constructor(
    readonly setting: string,
    detail: string,
  ) {
    super(`${setting} ${detail}`);
    this.name = 'PublicNumberConfigError';
  }
}

/**
 * Public numbers from raw settings, one per channel; an empty or missing value means the channel has no number.
 * `settingName` names the setting in the error (an environment variable, a CDK context key).
 */
export function parsePublicNumbers(
  raw: Partial<Record<PublicChannel, string | undefined>>,
  settingName: (channel: PublicChannel) => string,
): PublicNumbers {
  const out: PublicNumbers = {};
  for (const channel of PUBLIC_CHANNELS) {
    const value = raw[channel]?.trim();
    if (!value) continue;
    const parsed = PublicNumbersSchema.shape[channel].safeParse(value);
    if (!parsed.success || parsed.data === undefined) {
      throw new PublicNumberConfigError(
        settingName(channel),
        parsed.error?.issues[0]?.message ?? 'is not a number',
      );
    }
    out[channel] = parsed.data;
  }
  return out;
}

/** The numbers from `PUBLIC_SMS_NUMBER`, `PUBLIC_HOTLINE_NUMBER` and `PUBLIC_WHATSAPP_NUMBER`. */
export const publicNumbersFromEnv = (env: NodeJS.ProcessEnv = process.env): PublicNumbers =>
  parsePublicNumbers(
    { sms: env.PUBLIC_SMS_NUMBER, hotline: env.PUBLIC_HOTLINE_NUMBER, whatsapp: env.PUBLIC_WHATSAPP_NUMBER },
    (channel) => PUBLIC_NUMBER_ENV[channel],
  );

let installed: PublicNumbers | undefined;
let fromEnv: PublicNumbers | undefined;

/** Installs the numbers this process's pages show (the local stack); Lambda reads its environment instead. */
export function usePublicNumbers(numbers: PublicNumbers | undefined): void {
  installed = numbers;
}

/** The numbers for this process: the installed ones, or the environment's, read once per cold start. */
export function getPublicNumbers(): PublicNumbers {
  if (installed) return installed;
  fromEnv ??= publicNumbersFromEnv();
  return fromEnv;
}

/**
 * A number as people read it: Iraqi mobile numbers grouped `+964 770 123 4567`, other international numbers
 * after their country code, short codes as they are. Always in Western digits: it is what the keypad shows.
 */
export function displayNumber(number: string): string {
  const iraqi = /^\+964(\d{3})(\d{3})(\d{4})$/.exec(number);
  if (iraqi) return `+964 ${iraqi[1]} ${iraqi[2]} ${iraqi[3]}`;
  return number;
}

/** What tapping the number opens: the phone's dialler, its messages app, or a WhatsApp chat. */
export function numberHref(channel: PublicChannel, number: string): string {
  if (channel === 'whatsapp') return `https://wa.me/${number.replace(/^\+/, '')}`;
  return `${channel === 'sms' ? 'sms' : 'tel'}:${number}`;
}
