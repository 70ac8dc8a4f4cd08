import { routeGroup } from '#functions/lib/http-route.ts';
import { logger } from '#functions/lib/logger.ts';
import { text } from '#functions/lib/responses.ts';
import { twilioWebhook } from '#functions/lib/twilio-webhook.ts';
import { recordDeliveryStatus } from '#shared/intake/delivery-status.ts';
import { StatusForm } from '#shared/intake/twilio-forms.ts';

/**
 * Delivery status of an outbound SMS or call, recorded on its case. Always 204 once the request is valid: an
 * unknown SID is logged (by code only) and dropped, so Twilio does not retry it.
 */
const status = twilioWebhook({ schema: StatusForm }, async ({ form, platform }) => {
  const { outcome, caseId } = await recordDeliveryStatus(platform, form);
  if (outcome === 'unknown_sid')
    logger.info('delivery status for an unknown message', { code: 'STATUS.UNKNOWN_SID' });
  else
    logger.debug('delivery status', { code: `STATUS.${outcome.toUpperCase()}`, caseId, status: form.status });
  return text(204, '');
});

export const handler = routeGroup({ 'POST /webhooks/twilio/status': status });
