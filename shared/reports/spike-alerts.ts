/**
 * Raises spike alerts as the projector counts cases: after a case's counters moved, each place it counts at is
 * read against its baseline (spikes.ts) and, the first time a category × place × day crosses the threshold, one
 * alert goes to that place's focal points (chosen by the routing rules, as the router chooses them for a case
 * there) and to every active programme manager, on the case-events topic like every other notification.
 *
 * A district is read before its governorate, and a governorate alert is left out when one of its districts has
 * already alerted for the category that day, or the case's own district is over its threshold (its alert is being
 * raised): twenty complaints from one camp are one spike, not two. Two districts of one governorate crossing at the
 * same moment may still bring a governorate alert beside theirs.
 *
 * What the message carries: the category, the place's P-codes, the day, the count, the baseline's daily mean and
 * the threshold, and up to six lexicon words of the case that crossed (spikes.ts: never its text), with a link to
 * the console's dashboard. No reference, no case id, no number, no name: the alert is about a place, not a person.
 */
import { randomUUID } from 'node:crypto';
import type { Case } from '../cases/case-schema.ts';
import { CATEGORY_LABELS, type Category } from '../classification/taxonomy.ts';
import type { FocalPoint, RoutingRule } from '../config/schemas.ts';
import { findDistrict, findGovernorate } from '../gazetteer/gazetteer.ts';
import type { MessageAttributeValue, ProtocolTexts } from '../messaging/sns.ts';
import { chooseFocalPoints } from '../routing/select-focal-points.ts';
import type { SpikeAlert, SpikeStore } from './spike-store.ts';
import {
  addDays,
  exampleWords,
  iraqDay,
  readSpike,
  SPIKE_RULE,
  type SpikePlace,
  spikePlaces,
} from './spikes.ts';

export interface SpikeAlertDeps {
  store: SpikeStore;
  /** The routing rules and focal points, as the router reads them. */
  routing: () => Promise<{ rules: readonly RoutingRule[]; focalPoints: readonly FocalPoint[] }>;
  publish: (
    message: string,
    attributes: Record<string, MessageAttributeValue>,
    texts?: ProtocolTexts,
  ) => Promise<string>;
  consoleUrl: string;
  now: () => Date;
}

/** How long a claim's owner has to publish before another projector may take the alert over. */
export const SPIKE_LEASE_MS = 30_000;

/**
 * Another projector holds the alert's claim and has not published yet: the record fails, to be retried, so the
 * alert is not lost if that projector dies.
 */
export class SpikeAlertInFlightError extends Error {
  readonly code = 'SPIKE.ALERT_IN_FLIGHT';
  constructor() {
    super(
      'SPIKE.ALERT_IN_FLIGHT: another projector is publishing this spike alert; the record will be retried',
    );
    this.name = 'SpikeAlertInFlightError';
  }
}

export type SpikeOutcome =
  | { code: 'SPIKE.RAISED'; category: string; place: string; day: string; count: number; messageId: string }
  | { code: 'SPIKE.NONE' };

const str = (value: string): MessageAttributeValue => ({ DataType: 'String', StringValue: value });
const list = (values: readonly string[]): MessageAttributeValue => ({
  DataType: 'String.Array',
  StringValue: JSON.stringify(values),
});

/** Who hears of a spike at a place: the focal points the rules give a case of that category there, and managers. */
export function spikeRecipients(
  category: string,
  place: SpikePlace,
  rules: readonly RoutingRule[],
  focalPoints: readonly FocalPoint[],
): string[] {
  const decision = chooseFocalPoints(
    {
      category: category as Parameters<typeof chooseFocalPoints>[0]['category'],
      sensitivity: 'S0',
      governorate: place.pcode.slice(0, 5),
      ...(place.level === 'district' ? { district: place.pcode } : {}),
    },
    rules,
    focalPoints,
  );
  const managers = focalPoints
    .filter((f) => f.active && f.kind === 'programme_manager')
    .map((f) => f.focalPointId);
  return [...new Set([...decision.focalPoints, ...managers])];
}

/** The SNS message of an alert (see the module comment for what it may carry). */
export function spikeNotification(alert: SpikeAlert, consoleUrl: string) {
  const body = {
    eventType: 'spike',
    eventId: `spike:${alert.day}:${alert.category}:${alert.place}`,
    category: alert.category,
    governorate: alert.governorate,
    ...(alert.level === 'district' ? { district: alert.place } : {}),
    level: alert.level,
    day: alert.day,
    count: alert.count,
    baseline: alert.baseline,
    baselineDays: SPIKE_RULE.baselineDays,
    threshold: alert.threshold,
    example: alert.example,
    link: `${consoleUrl.replace(/\/?$/, '/')}#/dashboard`,
  };
  const place = `${alert.level === 'district' ? (findDistrict(alert.place)?.names.en ?? alert.place) : (findGovernorate(alert.governorate)?.names.en ?? alert.governorate)}`;
  const category = CATEGORY_LABELS[alert.category as Category] ?? alert.category;
  const what = `${alert.count} complaints about ${category} in ${place} on ${alert.day}`;
  const usual = `usually ${Number(alert.baseline.toFixed(1))} a day`;
  return {
    message: JSON.stringify(body),
    texts: {
      subject: `CFM alert: ${alert.count} ${alert.category.replace(/_/g, ' ')} complaints in ${place}`.slice(
        0,
        99,
      ),
      sms: `CFM alert: ${what} (${usual}). ${body.link}`,
      email: [
        `${what}, ${usual} over the last ${SPIKE_RULE.baselineDays} days.`,
        ...(alert.example.length
          ? [`Words from the complaint that crossed it: ${alert.example.join(', ')}`]
          : []),
        '',
        `The dashboard: ${body.link}`,
      ].join('\n'),
    } satisfies ProtocolTexts,
    attributes: {
      focalPoints: list(alert.focalPoints),
      audience: list(['focal_points']),
      eventType: str('spike'),
      category: str(alert.category),
      governorate: str(alert.governorate),
      sensitivity: str('S0'),
      urgency: str('action'),
      priority: str('action'),
    },
  };
}

export function makeSpikeAlerts(deps: SpikeAlertDeps) {
  const { store } = deps;

  async function publish(alert: SpikeAlert): Promise<SpikeOutcome> {
    const n = spikeNotification(alert, deps.consoleUrl);
    const messageId = await deps.publish(n.message, n.attributes, n.texts);
    await store.markPublished(alert, messageId);
    return {
      code: 'SPIKE.RAISED',
      category: alert.category,
      place: alert.place,
      day: alert.day,
      count: alert.count,
      messageId,
    };
  }

  /** An alert someone claimed: done, in flight (retry later), or abandoned (take it over and publish). */
  async function resume(existing: SpikeAlert): Promise<SpikeOutcome> {
    if (existing.status === 'published') return { code: 'SPIKE.NONE' };
    const now = deps.now().getTime();
    if (existing.leaseUntil > now) throw new SpikeAlertInFlightError();
    const token = randomUUID();
    if (!(await store.takeOver(existing, token, now + SPIKE_LEASE_MS))) return { code: 'SPIKE.NONE' };
    return publish({ ...existing, token, leaseUntil: now + SPIKE_LEASE_MS });
  }

  /** Reads one place; claims and publishes its alert when it crosses and nobody has yet. */
  async function checkPlace(c: Case, place: SpikePlace, day: string): Promise<SpikeOutcome | undefined> {
    const category = c.category as string;
    const existing = await store.get(day, category, place.pcode);
    if (existing) return resume(existing);
    const reading = readSpike(await store.counts(category, place.pcode, day), day);
    if (!reading.spike) return undefined;
    const governorate = place.pcode.slice(0, 5);
    if (place.level === 'governorate') {
      // The case's own district is read again: another projector may have pushed it over since it was read
      // above, and its alert (about to be claimed) says more than the governorate's would.
      const district = c.location.district;
      const [districts, own] = await Promise.all([
        store.ofDay(day, { category, level: 'district', governorate }),
        district ? store.counts(category, district, day) : undefined,
      ]);
      if (districts.length || (own && readSpike(own, day).spike)) return { code: 'SPIKE.NONE' };
    }
    const { rules, focalPoints } = await deps.routing();
    const alert: SpikeAlert = {
      day,
      category,
      place: place.pcode,
      level: place.level,
      governorate,
      count: reading.count,
      baseline: reading.baseline,
      threshold: reading.threshold,
      example: exampleWords(c.classification.evidence),
      focalPoints: spikeRecipients(category, place, rules, focalPoints),
      raisedAt: deps.now().toISOString(),
      status: 'pending',
      token: randomUUID(),
      leaseUntil: deps.now().getTime() + SPIKE_LEASE_MS,
    };
    if (await store.claim(alert)) return publish(alert);
    const claimed = await store.get(day, category, place.pcode);
    return claimed ? resume(claimed) : { code: 'SPIKE.NONE' };
  }

  /**
   * Checks the places a case counts at, after its counters were projected. Only cases received today or
   * yesterday (Iraqi days) are read: a replay of an old case never alerts about a day long gone.
   */
  async function check(c: Case): Promise<SpikeOutcome[]> {
    const places = spikePlaces(c);
    if (!places.length) return [];
    const day = iraqDay(c.receivedAt);
    if (day < addDays(iraqDay(deps.now()), -1)) return [];
    const out: SpikeOutcome[] = [];
    // District first, so a governorate sees its district's alert (see the module comment).
    for (const place of places) {
      const outcome = await checkPlace(c, place, day);
      if (outcome?.code === 'SPIKE.RAISED') out.push(outcome);
    }
    return out;
  }

  return { check };
}

export type SpikeAlerts = ReturnType<typeof makeSpikeAlerts>;
