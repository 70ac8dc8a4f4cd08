import { routeGroup } from '#functions/lib/http-route.ts';
import { koboWebhook } from '#functions/lib/kobo-webhook.ts';
import { logger } from '#functions/lib/logger.ts';
import { json } from '#functions/lib/responses.ts';
import { receiveKoboSubmission } from '#shared/intake/transports/kobo.ts';

/**
 * KoboToolbox's REST Service: one field-form submission becomes a case (201), or finds the case its earlier post
 * opened (200), so Kobo's retries never make a second one. The answer names the reference, which Kobo keeps in its
 * service log.
 */
const receive = koboWebhook(async ({ body, platform }) => {
  const receipt = await receiveKoboSubmission(platform, body);
  logger.info('kobo submission', {
    code: receipt.created ? 'KOBO.CASE_OPENED' : 'KOBO.REPEATED',
    caseId: receipt.caseId,
  });
  return json(receipt.created ? 201 : 200, { reference: receipt.reference });
});

export const handler = routeGroup({ 'POST /webhooks/kobo/submission': receive });
