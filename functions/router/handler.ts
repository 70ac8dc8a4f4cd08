import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { makeConfigStore } from '#shared/config/config-store.ts';
import {
  makeRouterService,
  type RouterService,
  type RouterServiceDeps,
} from '#shared/routing/router-service.ts';
import { getPlatform, type Platform } from '../lib/platform.ts';
import { makeStreamRouter } from './stream-router.ts';

/** The router for a platform, built once per platform (once per cold start in Lambda). */
const built = new WeakMap<Platform, ReturnType<typeof makeStreamRouter>>();

/**
 * The routing service of a platform, publishing on its case-events topic; `publish` replaces that, for tests of
 * what the router does when publishing fails.
 */
export function routerServiceFor(platform: Platform, publish?: RouterServiceDeps['publish']): RouterService {
  const { db, tableName, cases, sns, topicArn, consoleUrl, now } = platform;
  return makeRouterService({
    db,
    tableName,
    cases,
    config: makeConfigStore({ db, tableName, now }),
    publish: publish ?? ((message, attributes, texts) => sns.publish(topicArn, message, attributes, texts)),
    consoleUrl,
    now,
  });
}

export function routerFor(platform: Platform): ReturnType<typeof makeStreamRouter> {
  let router = built.get(platform);
  if (!router) {
    router = makeStreamRouter(routerServiceFor(platform));
    built.set(platform, router);
  }
  return router;
}

/** DynamoDB stream → classify, route, set the SLA clock, publish case events. */
export const handler = async (
  event: DynamoDBStreamEvent,
  context?: Context,
): Promise<DynamoDBBatchResponse> => routerFor(await getPlatform())(event, context);
