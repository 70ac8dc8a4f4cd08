import { makeFocalPointCommands } from '#functions/cases/focal-point-sms.ts';
import { routeGroup } from '#functions/lib/http-route.ts';
import { logger } from '#functions/lib/logger.ts';
import { xml } from '#functions/lib/responses.ts';
import { twilioWebhook } from '#functions/lib/twilio-webhook.ts';
import { RequestError } from '#shared/errors/domain-error.ts';
import { caseIdOf, receiveMessage } from '#shared/intake/sms-intake.ts';
import { InboundSmsForm } from '#shared/intake/twilio-forms.ts';
import { smsTwiml } from '#shared/intake/twiml.ts';

/**
 * Inbound SMS and WhatsApp messages (Twilio posts both here, WhatsApp's addresses prefixed `whatsapp:`; the TwiML
 * answer goes back on the channel the message came by). Twilio's form becomes a transport-neutral message (the schema's transform), the intake decides and
 * stores it, and the answer goes back as TwiML: the reference of the case it opens or joins (the inbox worker
 * carries that out from the table stream), a status, or a keyword's confirmation.
 */
const receive = twilioWebhook({ schema: InboundSmsForm }, async ({ form, platform }) => {
  // A WhatsApp message on a stage that has not enabled WhatsApp is refused before anything is stored.
  if (form.transport === 'whatsapp' && !platform.whatsapp) {
    throw new RequestError(404, 'WHATSAPP.NOT_ENABLED', 'WhatsApp is not enabled here.');
  }
  // A registered focal point's number is read as staff short codes (ACK, WIP, DONE, REF), never as a complaint.
  const staff = makeFocalPointCommands(platform);
  const { outcome, reply } = await receiveMessage({ ...platform, staff }, form);
  const caseId = caseIdOf(outcome);
  logger.debug('sms handled', {
    code: outcome.kind === 'staff' ? outcome.code : `SMS.${outcome.kind.toUpperCase()}`,
    ...(caseId ? { caseId } : {}),
    replied: reply !== undefined,
  });
  return xml(smsTwiml(reply));
});

export const handler = routeGroup({ 'POST /webhooks/twilio/sms': receive });
