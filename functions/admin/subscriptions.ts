import { makeConfigStore } from '#shared/config/config-store.ts';
import type { FocalPoint } from '#shared/config/schemas.ts';
import { AwsServiceError } from '#shared/errors/aws-errors.ts';
import { RequestError } from '#shared/errors/domain-error.ts';
import { focalPointFilterPolicy } from '#shared/routing/notification.ts';
import {
  type FocalPointSubscription,
  makeSubscriptionStore,
  type SubscriptionStore,
} from '#shared/routing/subscription-store.ts';
import { logger } from '../lib/logger.ts';
import type { Platform, SubscriptionTarget } from '../lib/platform.ts';

/**
 * Focal points' SNS subscriptions: each active focal point has one subscription on the case-events topic that
 * delivers to its channel (e-mail, SMS or HTTPS in AWS; an inbox queue in the local stack), filtered on its id
 * in `focalPoints` and `focal_points` in `audience`. Raw delivery is never asked for: e-mail and SMS do not take
 * it, HTTPS receivers verify the SNS envelope's signature, and the local inbox shows the envelope's attributes.
 * Each subscription's redrive policy names a dead-letter queue of its own, created before it and removed after
 * it (shared/routing/subscription-dlq.ts), so `npm run dlq -- --replay` knows whom a dead letter was for.
 */

const stores = new WeakMap<Platform, SubscriptionStore>();
const storeFor = (platform: Platform): SubscriptionStore => {
  let s = stores.get(platform);
  if (!s) {
    s = makeSubscriptionStore({ db: platform.db, tableName: platform.tableName });
    stores.set(platform, s);
  }
  return s;
};

function targetFor(platform: Platform, fp: FocalPoint): SubscriptionTarget {
  try {
    return platform.subscriptionTarget(fp.focalPointId, fp.channel);
  } catch (err) {
    if (fp.channel.type === 'local') {
      throw new RequestError(
        400,
        'ADMIN.CHANNEL_UNSUPPORTED',
        'A local inbox channel exists only in the local stack; use email, sms or https.',
      );
    }
    throw err;
  }
}

/** SNS faults become stable API errors: a refused endpoint is the request's fault, an outage is not. */
async function callSns<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof AwsServiceError && err.clientFault) {
      throw new RequestError(
        400,
        'ADMIN.SUBSCRIPTION_REJECTED',
        'SNS refused the subscription for this channel.',
      );
    }
    throw new RequestError(
      503,
      'ADMIN.MESSAGING_UNAVAILABLE',
      'Notifications are unavailable; try again later.',
    );
  }
}

async function unsubscribeQuietly(platform: Platform, arn: string): Promise<void> {
  try {
    await platform.sns.unsubscribe(arn);
  } catch (err) {
    // Already gone (the emulator restarted, or someone removed it): nothing left to remove.
    if (!(err instanceof AwsServiceError && err.clientFault)) throw err;
  }
}

/** Removes a focal point's subscription, if it has one. */
export async function unsubscribeFocalPoint(platform: Platform, focalPointId: string): Promise<void> {
  const store = storeFor(platform);
  const stored = await store.get(focalPointId);
  if (!stored) return;
  await callSns(() => unsubscribeQuietly(platform, stored.subscriptionArn));
  await store.delete(focalPointId);
  // After the subscription: SNS may still be redriving to the queue until it is gone. A queue still holding dead
  // letters is kept for the operator to list; the next subscribe of this focal point takes it up again.
  await callSns(() => platform.subscriptionDlqs.removeIfEmpty(focalPointId));
}

/**
 * Makes sure an active focal point is subscribed to its current channel (an inactive one is unsubscribed).
 * Subscribing the same endpoint with the same attributes again is a no-op in SNS, so this is idempotent; a
 * changed channel or filter policy replaces the old subscription.
 */
export async function subscribeFocalPoint(
  platform: Platform,
  fp: FocalPoint,
): Promise<FocalPointSubscription | undefined> {
  if (!fp.active) {
    await unsubscribeFocalPoint(platform, fp.focalPointId);
    return undefined;
  }
  const store = storeFor(platform);
  const target = targetFor(platform, fp);
  const filterPolicy = JSON.stringify(focalPointFilterPolicy(fp.focalPointId));
  const dlq = await callSns(() => platform.subscriptionDlqs.ensure(fp.focalPointId, platform.topicArn));
  const attributes = {
    FilterPolicy: filterPolicy,
    FilterPolicyScope: 'MessageAttributes',
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn }),
  };
  const stored = await store.get(fp.focalPointId);
  // A record without a DLQ is an older subscription without a redrive policy: it is replaced like a changed one.
  const changed =
    stored !== undefined &&
    (stored.protocol !== target.protocol ||
      stored.endpoint !== target.endpoint ||
      stored.filterPolicy !== filterPolicy ||
      stored.dlqArn !== dlq.arn);
  if (stored && changed) await callSns(() => unsubscribeQuietly(platform, stored.subscriptionArn));
  const subscribe = () =>
    platform.sns.subscribe(platform.topicArn, target.protocol, target.endpoint, attributes);
  let arn: string;
  try {
    arn = await subscribe();
  } catch (err) {
    // The endpoint is subscribed with other attributes (an older filter policy): replace that subscription.
    if (!(err instanceof AwsServiceError && err.errorType === 'InvalidParameterException' && stored)) {
      return callSns(() => Promise.reject(err));
    }
    await callSns(() => unsubscribeQuietly(platform, stored.subscriptionArn));
    arn = await callSns(subscribe);
  }
  const record: FocalPointSubscription = {
    focalPointId: fp.focalPointId,
    subscriptionArn: arn,
    protocol: target.protocol,
    endpoint: target.endpoint,
    filterPolicy,
    dlqArn: dlq.arn,
    updatedAt: platform.now().toISOString(),
  };
  await store.put(record);
  return record;
}

/** The stored subscription of a focal point. */
export const subscriptionOf = (platform: Platform, focalPointId: string) =>
  storeFor(platform).get(focalPointId);

/**
 * Re-creates the subscription of every active focal point and removes those of inactive or deleted ones. The
 * local stack calls it whenever the SNS/SQS emulator starts (the emulator keeps nothing); in AWS it repairs
 * drift. A focal point that fails is logged and skipped, so one bad channel does not stop the others.
 */
export async function syncFocalPointSubscriptions(
  platform: Platform,
): Promise<{ subscribed: string[]; removed: string[]; failed: string[] }> {
  const config = makeConfigStore({ db: platform.db, tableName: platform.tableName, now: platform.now });
  const focalPoints = await config.list('focal-point');
  const out = { subscribed: [] as string[], removed: [] as string[], failed: [] as string[] };
  for (const fp of focalPoints) {
    try {
      if ((await subscribeFocalPoint(platform, fp)) !== undefined) out.subscribed.push(fp.focalPointId);
    } catch (err) {
      out.failed.push(fp.focalPointId);
      logger.error('subscription failed', {
        code: 'ADMIN.SUBSCRIPTION_SYNC_FAILED',
        focalPointId: fp.focalPointId,
        errorName: err instanceof Error ? err.name : typeof err,
      });
    }
  }
  const known = new Set(focalPoints.map((f) => f.focalPointId));
  for (const s of await storeFor(platform).list()) {
    if (known.has(s.focalPointId)) continue;
    await unsubscribeFocalPoint(platform, s.focalPointId);
    out.removed.push(s.focalPointId);
  }
  return out;
}
