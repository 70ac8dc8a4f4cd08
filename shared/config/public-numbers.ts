import * as z from 'zod';

/**
 * The programme's public numbers: where a person can text, call or write on WhatsApp. They differ per deployment
 * (CDK context per stage, the local stack's settings) and are shown wherever a text mentions the channel: the web
 * form's pages and the hotline's prompts. A channel without a number is not mentioned at all.
 */
export const PUBLIC_CHANNELS = ['sms', 'hotline', 'whatsapp'] as const;
export type PublicChannel = (typeof PUBLIC_CHANNELS)[number];

/** An international number (E.164) or, for SMS and the hotline, a national short code (3 to 8 digits). */
export const E164 = /^\+[1-9]\d{7,14}$/;
export const SHORT_CODE = /^[1-9]\d{2,7}$/;

/** Spaces, dashes, dots and brackets people write numbers with; the stored form has none. */
const compact = (value: string): string => value.replace(/[\s\-().]/g, '');

const dialable = z
  .string()
  .transform(compact)
  .refine((v) => E164.test(v) || SHORT_CODE.test(v), 'must be +<country><number> or a short code');

export const PublicNumbersSchema = z.strictObject({
  sms: dialable.optional(),
  hotline: dialable.optional(),
  whatsapp: z
    .string()
    .transform(compact)
    .refine((v) => E164.test(v), 'must be +<country><number>')
    .optional(),
});
export type PublicNumbers = z.output<typeof PublicNumbersSchema>;
