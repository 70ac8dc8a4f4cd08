import { routeGroup } from '#functions/lib/http-route.ts';
import { logger } from '#functions/lib/logger.ts';
import { xml } from '#functions/lib/responses.ts';
import { twilioWebhook } from '#functions/lib/twilio-webhook.ts';
import { receiveSms } from '#shared/intake/sms-intake.ts';
import { InboundSmsForm } from '#shared/intake/twilio-forms.ts';
import { smsTwiml } from '#shared/intake/twiml.ts';

/** Inbound SMS: store the case (or thread the message onto the waiting one), answer with the reference. */
const receive = twilioWebhook({ schema: InboundSmsForm }, async ({ form, platform }) => {
  const { outcome, reply } = await receiveSms(platform, form);
  logger.debug('sms handled', {
    code: `SMS.${outcome.kind.toUpperCase()}`,
    ...('case' in outcome ? { caseId: outcome.case.caseId, reference: outcome.case.reference } : {}),
    replied: reply !== undefined,
  });
  return xml(smsTwiml(reply));
});

export const handler = routeGroup({ 'POST /webhooks/twilio/sms': receive });
