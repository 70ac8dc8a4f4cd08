import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { getPlatform, type Platform } from '#functions/lib/platform.ts';
import { makeGatewaySender } from './sender.ts';

let cached: { platform: Platform; send: ReturnType<typeof makeGatewaySender> } | undefined;

/** Table stream (`GWOUT#` items only, by the event source's filter): messages queued for the SMS gateway. */
export const handler = async (
  event: DynamoDBStreamEvent,
  context?: Context,
): Promise<DynamoDBBatchResponse> => {
  const platform = await getPlatform();
  if (cached?.platform !== platform) cached = { platform, send: makeGatewaySender(platform) };
  return cached.send(event, context);
};
