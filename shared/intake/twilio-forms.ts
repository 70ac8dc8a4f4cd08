/**
 * The form fields Twilio posts to the platform's webhooks, as zod schemas. Only the fields the platform uses are
 * kept; Twilio adds fields without notice, and unknown ones are dropped here (they are still covered by the
 * signature, which is checked over every field before parsing).
 */
import * as z from 'zod';
import type { InboundMessage } from './message-reading.ts';

const sid = (prefixes: string) =>
  z.string().regex(new RegExp(`^(${prefixes})[0-9a-fA-F]{32}$`), `must be a Twilio SID (${prefixes}…)`);

export const MessageSid = sid('SM|MM');
export const CallSid = sid('CA');
export const AccountSid = sid('AC');
export const RecordingSid = sid('RE');
export const TranscriptionSid = sid('TR');

/** A sender or recipient as Twilio gives it: E.164, a short code, an alphanumeric sender or "Anonymous". */
const Address = z.string().trim().min(1).max(64);

export const MAX_MEDIA = 10;

/**
 * Where Twilio keeps a message's media: its own API host, over HTTPS. The case keeps these as links (fetching one
 * needs the account's credentials); a link anywhere else is refused, so a forged or mistaken form cannot plant a
 * link to some other site on a case that staff will click.
 */
const TwilioMediaUrl = z
  .url({ protocol: /^https$/, hostname: /^api\.twilio\.com$/ })
  .max(512, 'is too long for a Twilio media URL');

const WHATSAPP_PREFIX = 'whatsapp:';
const WhatsAppAddress = z.string().regex(/^whatsapp:\+[1-9][0-9]{6,14}$/, 'must be whatsapp:+<E.164 number>');

/**
 * An inbound SMS, MMS or WhatsApp message (`POST /webhooks/twilio/sms`), as the transport-neutral message the intake
 * reads. Twilio posts WhatsApp messages to the same webhook with the same signature, their addresses prefixed
 * `whatsapp:`; both ends must carry it. WhatsApp adds the person's profile name (`ProfileName`), which is personal
 * data the platform does not need: it is not read.
 */
export const InboundSmsForm = z
  .object({
    MessageSid,
    AccountSid,
    From: Address,
    To: Address,
    // Twilio joins a long message's parts before posting; 1,600 characters is its limit.
    Body: z.string().max(1600).default(''),
    NumMedia: z.coerce.number().int().min(0).max(MAX_MEDIA).default(0),
    ...Object.fromEntries(
      Array.from({ length: MAX_MEDIA }, (_, i) => [`MediaUrl${i}`, TwilioMediaUrl.optional()]),
    ),
  })
  .superRefine((f, ctx) => {
    const whatsapp = [f.From, f.To].filter((a) => a.toLowerCase().startsWith(WHATSAPP_PREFIX)).length;
    if (whatsapp === 0) return;
    for (const key of ['From', 'To'] as const) {
      if (!WhatsAppAddress.safeParse(f[key]).success) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: 'must be whatsapp:+<E.164 number> on both ends',
        });
      }
    }
  })
  .transform((f): InboundMessage => {
    const fields = f as Record<string, unknown>;
    const media: string[] = [];
    for (let i = 0; i < f.NumMedia; i++) {
      const url = fields[`MediaUrl${i}`];
      if (typeof url === 'string') media.push(url);
    }
    const whatsapp = f.From.startsWith(WHATSAPP_PREFIX);
    const bare = (a: string) => (whatsapp ? a.slice(WHATSAPP_PREFIX.length) : a);
    return {
      transport: whatsapp ? 'whatsapp' : 'sms',
      messageId: f.MessageSid,
      from: bare(f.From),
      to: bare(f.To),
      body: f.Body,
      media,
    };
  });
export type InboundSms = z.output<typeof InboundSmsForm>;

/** Any request Twilio makes during a call (`POST /webhooks/twilio/voice[/<step>]`). */
export const VoiceForm = z.object({
  CallSid,
  AccountSid,
  From: Address.optional(),
  To: Address.optional(),
  Digits: z
    .string()
    .max(32)
    .regex(/^[0-9*#]*$/, 'must be keypad digits')
    .optional(),
  // <Record action> fields.
  RecordingSid: RecordingSid.optional(),
  RecordingUrl: z.url().optional(),
  RecordingDuration: z.coerce.number().int().min(0).max(86_400).optional(),
  // recordingStatusCallback fields.
  RecordingStatus: z.enum(['in-progress', 'completed', 'absent', 'failed']).optional(),
  // transcribeCallback fields.
  TranscriptionSid: TranscriptionSid.optional(),
  TranscriptionText: z.string().max(5000).optional(),
  TranscriptionStatus: z.enum(['completed', 'failed']).optional(),
  // <Dial action> fields.
  DialCallStatus: z.enum(['completed', 'answered', 'busy', 'no-answer', 'failed', 'canceled']).optional(),
  DialCallSid: CallSid.optional(),
  DialCallDuration: z.coerce.number().int().min(0).max(86_400).optional(),
  // A dialled number's status callback: the operator's leg is its own call; the caller's is its parent.
  ParentCallSid: CallSid.optional(),
});
export type VoiceRequest = z.output<typeof VoiceForm>;

/** A delivery-status callback for an outbound SMS (or call) (`POST /webhooks/twilio/status`). */
export const StatusForm = z
  .object({
    AccountSid,
    MessageSid: MessageSid.optional(),
    MessageStatus: z
      .enum([
        'accepted',
        'scheduled',
        'queued',
        'sending',
        'sent',
        'delivered',
        'undelivered',
        'failed',
        'read',
        'receiving',
        'received',
        'canceled',
        'partially_delivered',
      ])
      .optional(),
    CallSid: CallSid.optional(),
    CallStatus: z
      .enum([
        'queued',
        'initiated',
        'ringing',
        'in-progress',
        'completed',
        'busy',
        'failed',
        'no-answer',
        'canceled',
      ])
      .optional(),
    ErrorCode: z.string().max(16).optional(),
  })
  .refine((f) => (f.MessageSid && f.MessageStatus) || (f.CallSid && f.CallStatus), {
    message: 'needs MessageSid and MessageStatus, or CallSid and CallStatus',
  })
  .transform((f) =>
    f.MessageSid && f.MessageStatus
      ? { kind: 'sms' as const, sid: f.MessageSid, status: f.MessageStatus, errorCode: f.ErrorCode }
      : {
          kind: 'call' as const,
          sid: f.CallSid as string,
          status: f.CallStatus as string,
          errorCode: f.ErrorCode,
        },
  );
export type DeliveryStatus = z.output<typeof StatusForm>;

/** Twilio's stand-ins for a caller who withheld their number. */
// The keypad spellings of ANONYMOUS, RESTRICTED, UNAVAILABLE, BLOCKED and UNKNOWN, as Twilio shows withheld numbers.
const WITHHELD = new Set([
  '+266696687',
  '+7378742833',
  '+86282452253',
  '+2562533',
  '+8656696',
  'anonymous',
  'restricted',
  'unknown',
]);

/** The sender as an E.164 number, or undefined for a short code, an alphanumeric sender or a withheld number. */
export function e164OrUndefined(address: string | undefined): string | undefined {
  if (!address || WITHHELD.has(address.toLowerCase())) return undefined;
  return /^\+[1-9]\d{6,14}$/.test(address) ? address : undefined;
}
