import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { makeConfigStore } from '#shared/config/config-store.ts';
import { makeRouterService } from '#shared/routing/router-service.ts';
import { getPlatform, type Platform } from '../lib/platform.ts';
import { makeStreamRouter } from './stream-router.ts';

/** The router for a platform, built once per platform (once per cold start in Lambda). */
const built = new WeakMap<Platform, ReturnType<typeof makeStreamRouter>>();

export function routerFor(platform: Platform): ReturnType<typeof makeStreamRouter> {
  let router = built.get(platform);
  if (!router) {
    const { db, tableName, cases, sns, topicArn, consoleUrl, now } = platform;
    router = makeStreamRouter(
      makeRouterService({
        db,
        tableName,
        cases,
        config: makeConfigStore({ db, tableName, now }),
        publish: (message, attributes, texts) => sns.publish(topicArn, message, attributes, texts),
        consoleUrl,
        now,
      }),
    );
    built.set(platform, router);
  }
  return router;
}

/** DynamoDB stream → classify, route, set the SLA clock, publish case events. */
export const handler = async (
  event: DynamoDBStreamEvent,
  context?: Context,
): Promise<DynamoDBBatchResponse> => routerFor(await getPlatform())(event, context);
