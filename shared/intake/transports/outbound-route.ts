/**
 * Which transport a message the platform starts (an outcome and its satisfaction question, a closing notice) goes
 * out on: the one the person last wrote by, to the number they wrote to, within that transport's rules.
 *
 * - WhatsApp: free text inside the 24-hour window; outside it the approved template for the message and the
 *   person's language (for Kurmanji written in Arabic letters the Badini one in Arabic script, `kmr-arab`, else the
 *   Latin one). With no such template (or WhatsApp no longer enabled) the message goes as an SMS instead, rather
 *   than not at all.
 * - The local gateway: through the relay, while the stage has one.
 * - Otherwise (Twilio SMS, or a person who never wrote: an IVR caller, a web form) the stage's SMS transport: the
 *   local gateway where there is one (in Iraq, Twilio cannot deliver two-way SMS), else Twilio SMS.
 */
import type { Language } from '../../classification/taxonomy.ts';
import type { Script } from '../../messages/templates.ts';
import type { SenderState } from '../sender.ts';
import { type WhatsAppContentSids, type WhatsAppTemplate, withinWhatsAppWindow } from './whatsapp.ts';

export type OutboundRoute =
  | { transport: 'sms' }
  | { transport: 'gateway' }
  | { transport: 'whatsapp'; from: string; mode: 'text' }
  | {
      transport: 'whatsapp';
      from: string;
      mode: 'template';
      contentSid: string;
      /** The script the template is written in, for the words filled into it (the outcome). */
      script: Script;
    };

export interface EnabledTransports {
  gateway: boolean;
  whatsapp?: { contentSids: WhatsAppContentSids };
}

/** The route for `template` to a number in `state`, written in `language` (and `script`, for Kurmanji). */
export function outboundRoute(
  state: Pick<SenderState, 'via' | 'whatsappAt'>,
  template: WhatsAppTemplate,
  language: Language,
  enabled: EnabledTransports,
  now: Date,
  script?: Script,
): OutboundRoute {
  const sms: OutboundRoute = enabled.gateway ? { transport: 'gateway' } : { transport: 'sms' };
  const via = state.via;
  if (via?.transport === 'whatsapp' && enabled.whatsapp) {
    if (withinWhatsAppWindow(state.whatsappAt, now))
      return { transport: 'whatsapp', from: via.to, mode: 'text' };
    const sids = enabled.whatsapp.contentSids[template];
    const badini = language === 'kmr' && script === 'arabic' ? sids?.['kmr-arab'] : undefined;
    if (badini)
      return { transport: 'whatsapp', from: via.to, mode: 'template', contentSid: badini, script: 'arabic' };
    const contentSid = sids?.[language];
    const written: Script = language === 'kmr' || language === 'en' ? 'latin' : 'arabic';
    if (contentSid)
      return { transport: 'whatsapp', from: via.to, mode: 'template', contentSid, script: written };
    return sms;
  }
  if (via?.transport === 'sms') return { transport: 'sms' };
  return sms;
}
