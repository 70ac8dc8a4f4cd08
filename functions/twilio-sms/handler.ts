import { routeGroup } from '#functions/lib/http-route.ts';
import { logger } from '#functions/lib/logger.ts';
import { xml } from '#functions/lib/responses.ts';
import { twilioWebhook } from '#functions/lib/twilio-webhook.ts';
import { caseIdOf, receiveMessage } from '#shared/intake/sms-intake.ts';
import { InboundSmsForm } from '#shared/intake/twilio-forms.ts';
import { smsTwiml } from '#shared/intake/twiml.ts';

/**
 * Inbound SMS: Twilio's form becomes a transport-neutral message (the schema's transform), the intake decides and
 * stores it, and the answer goes back as TwiML: the reference of the case it opens or joins (the inbox worker
 * carries that out from the table stream), a status, or a keyword's confirmation.
 */
const receive = twilioWebhook({ schema: InboundSmsForm }, async ({ form, platform }) => {
  const { outcome, reply } = await receiveMessage(platform, form);
  const caseId = caseIdOf(outcome);
  logger.debug('sms handled', {
    code: `SMS.${outcome.kind.toUpperCase()}`,
    ...(caseId ? { caseId } : {}),
    replied: reply !== undefined,
  });
  return xml(smsTwiml(reply));
});

export const handler = routeGroup({ 'POST /webhooks/twilio/sms': receive });
