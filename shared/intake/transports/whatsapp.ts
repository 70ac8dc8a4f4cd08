/**
 * WhatsApp through Twilio: what decides how the platform may write to a person on WhatsApp.
 *
 * WhatsApp delivers free text from a business only within 24 hours of the person's last message to it (the
 * customer-service window). Outside it, only a template that WhatsApp approved beforehand goes through; Twilio
 * sends one by its Content SID (`HX…`, Twilio's Content API) with the values of its placeholders
 * (`contentVariables`). The platform keeps one approved template per notifier message and language.
 */
import * as z from 'zod';
import { LANGUAGES } from '../../classification/taxonomy.ts';

/** WhatsApp's customer-service window. */
export const WHATSAPP_WINDOW_MS = 24 * 3_600_000;

/** The notifier's messages that may go out on WhatsApp outside the window, as templates. */
export const WHATSAPP_TEMPLATES = ['resolved', 'closed_no_answer'] as const;
export type WhatsAppTemplate = (typeof WHATSAPP_TEMPLATES)[number];

const ContentSid = z.string().regex(/^HX[0-9a-fA-F]{32}$/, 'must be a Twilio Content SID (HX…)');

/**
 * The languages a template may be approved in: the platform's four, and Badini (Kurmanji) in Arabic script
 * (`kmr-arab`), for a person who writes Kurmanji in Arabic letters.
 */
export const TEMPLATE_LANGUAGES = [...LANGUAGES, 'kmr-arab'] as const;
export type TemplateLanguage = (typeof TEMPLATE_LANGUAGES)[number];

/** The templates' Content SIDs, per template and language: `{ "resolved": { "ar": "HX…", … }, … }`. */
export const WhatsAppContentSids = z.partialRecord(
  z.enum(WHATSAPP_TEMPLATES),
  z.partialRecord(z.enum(TEMPLATE_LANGUAGES), ContentSid),
);
export type WhatsAppContentSids = z.infer<typeof WhatsAppContentSids>;

/** Whether free text reaches the person now: their last WhatsApp message is less than 24 hours old. */
export function withinWhatsAppWindow(lastInboundAt: string | undefined, now: Date): boolean {
  if (!lastInboundAt) return false;
  const at = Date.parse(lastInboundAt);
  return Number.isFinite(at) && now.getTime() - at < WHATSAPP_WINDOW_MS;
}

/**
 * The placeholders of each template, numbered as Twilio's Content API numbers them (`{{1}}`, `{{2}}`): the case
 * reference, then for an outcome the outcome in the person's language. The approved templates must use them so.
 */
export function templateVariables(
  template: WhatsAppTemplate,
  vars: { ref: string; outcome?: string },
): Record<string, string> {
  return template === 'resolved' ? { '1': vars.ref, '2': vars.outcome ?? '' } : { '1': vars.ref };
}
