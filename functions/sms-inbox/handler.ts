import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { getPlatform, type Platform } from '../lib/platform.ts';
import { makeInbox } from './inbox.ts';

const built = new WeakMap<Platform, ReturnType<typeof makeInbox>>();

/** DynamoDB stream → open (or thread) the cases of the SMS the webhook wrote onto number items. */
export const handler = async (
  event: DynamoDBStreamEvent,
  context?: Context,
): Promise<DynamoDBBatchResponse> => {
  const platform = await getPlatform();
  let inbox = built.get(platform);
  if (!inbox) {
    inbox = makeInbox(platform);
    built.set(platform, inbox);
  }
  return inbox(event, context);
};
