/**
 * An inbound message, and the schemas of what the webhook stores with it about its text (see conversation.ts).
 * Kept apart from the reading itself, which needs the language detector: the case store reads number items, and
 * every function that loads the store would otherwise load the detector too.
 */
import * as z from 'zod';
import { TRANSPORTS } from '../cases/case-codes.ts';
import { LANGUAGES } from '../classification/taxonomy.ts';
import { SCRIPTS } from '../messages/templates.ts';

/**
 * The transports a message may come by: Twilio SMS (`sms`), WhatsApp through Twilio (`whatsapp`), and SMS relayed
 * by a local gateway (`gateway`: an Android phone with an Iraqi SIM, or an aggregator). What a message means does
 * not depend on it; only where the answer goes does.
 */
export { TRANSPORTS };
export type Transport = (typeof TRANSPORTS)[number];

/** An inbound message, whatever carried it: what the conversation needs and nothing of the transport's form. */
export interface InboundMessage {
  transport: Transport;
  /** The transport's own id for the message (Twilio's MessageSid), the key of every idempotent write. */
  messageId: string;
  /** The sender's address without the transport's prefix (`+9647701234567`, not `whatsapp:+9647701234567`). */
  from: string;
  /** The platform's own number the person wrote to, without the transport's prefix. */
  to: string;
  body: string;
  media: string[];
}

const LanguageCode = z.enum(LANGUAGES);
/** Candidate references of one token, as `findReferences` reads them. */
const Candidates = z.array(z.string()).max(8);

/** What a message says on its own, without the number's state. Stored with the message (small, no text). */
export const MessageReading = z.object({
  keyword: z.enum(['stop', 'start', 'help']).optional(),
  /** Set when the message only asks for a status: the tokens it names (none: "the newest case"). */
  status: z.object({ references: z.array(Candidates).max(5) }).optional(),
  /** Set for a message of question marks alone: a status request that is answered as HELP when there is no case. */
  question: z.literal(true).optional(),
  /** References named in a message that says more than that (a follow-up "K7MQ-4XZ9 the tank is still empty"). */
  references: z.array(Candidates).max(5).default([]),
  satisfaction: z.enum(['satisfied', 'not_satisfied']).optional(),
  /** The language the message clearly shows; only this changes the number's language. */
  shown: LanguageCode.optional(),
  /** A hint from too little text to be sure (a keyword, one word): used only for a number with no language yet. */
  hint: LanguageCode.optional(),
  /** The script of a Kurmanji text written in Arabic letters (Badini), so that its answers are written in it. */
  script: z.enum(SCRIPTS).optional(),
});
export type MessageReading = z.infer<typeof MessageReading>;

/** A case the message names that belongs to the sender's own number (the webhook looked it up). */
export const OwnCase = z.object({
  caseId: z.string(),
  /** False for a closed case: a message about it opens a new case (linked) rather than vanish into a closed one. */
  joinable: z.boolean(),
});
export type OwnCase = z.infer<typeof OwnCase>;
