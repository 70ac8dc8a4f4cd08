import { makeFocalPointCommands } from '#functions/cases/focal-point-sms.ts';
import { gatewayWebhook } from '#functions/lib/gateway-webhook.ts';
import { routeGroup } from '#functions/lib/http-route.ts';
import { logger } from '#functions/lib/logger.ts';
import { json } from '#functions/lib/responses.ts';
import { handleGatewayEvent } from '#shared/intake/transports/gateway-intake.ts';

/**
 * The local SMS gateway's webhook: received SMS (answered through the relay's send API, queued), delivery reports
 * of what the platform sent through it, and pings. 200 once the event is stored, so the relay stops retrying.
 */
const receive = gatewayWebhook(async ({ event, gateway, platform }) => {
  // A registered focal point's number is read as staff short codes, as on Twilio's webhook.
  const staff = makeFocalPointCommands(platform);
  const result = await handleGatewayEvent({ ...platform, staff }, gateway.number, event);
  logger.debug('gateway event', {
    code: `GATEWAY.${event.event.replace(':', '_').toUpperCase()}`,
    ...(result.kind !== 'ping' && result.caseId ? { caseId: result.caseId } : {}),
  });
  return json(200, { ok: true });
});

export const handler = routeGroup({ 'POST /webhooks/gateway/sms': receive });
