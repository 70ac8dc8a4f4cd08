import { appendFileSync, readFileSync } from 'node:fs';

/**
 * An append-only list of what left the platform locally: the outbox (SMS and calls the Twilio SDK sent) and the
 * inbox (focal-point notifications SNS delivered). Kept in memory and, with a file, on disk across restarts.
 */
export class Mailbox<T extends { at: string }> {
  private readonly entries: T[] = [];

  constructor(private readonly file?: string) {
    if (!file) return;
    try {
      for (const line of readFileSync(file, 'utf8').split('\n'))
        if (line.trim()) this.entries.push(JSON.parse(line) as T);
    } catch {
      // first start: no file yet
    }
  }

  add(entry: T): T {
    this.entries.push(entry);
    if (this.file) appendFileSync(this.file, `${JSON.stringify(entry)}\n`);
    return entry;
  }

  list(filter: (e: T) => boolean = () => true, limit = 500): T[] {
    return this.entries.filter(filter).slice(-limit);
  }

  get size(): number {
    return this.entries.length;
  }
}

export interface OutboxEntry {
  at: string;
  sid: string;
  kind: 'sms' | 'call';
  to: string;
  from: string;
  body?: string;
  /** A WhatsApp template sent through Twilio's Content API, and the values of its placeholders (JSON). */
  contentSid?: string;
  contentVariables?: string;
  twiml?: string;
  url?: string;
  statusCallback?: string;
}

export interface InboxEntry {
  at: string;
  focalPointId: string;
  messageId: string;
  subject?: string;
  message: unknown;
  /** What the focal point reads by SMS and by e-mail, when the message was published with texts for them. */
  texts?: { sms?: string; email?: string };
  attributes: Record<string, string>;
}
