import type { Platform } from '#functions/lib/platform.ts';
import type { Calendar } from '#shared/calendar/calendar-schema.ts';
import { IRAQ_CALENDAR } from '#shared/calendar/iraq-calendar.ts';
import type { Case } from '#shared/cases/case-schema.ts';
import { makeConfigStore } from '#shared/config/config-store.ts';
import { regionOf } from '#shared/gazetteer/gazetteer.ts';
import { DEFAULT_SLA_POLICIES } from '#shared/sla/default-policies.ts';
import { type CaseLike, computeDueTimes, selectPolicy } from '#shared/sla/sla.ts';
import type { SlaPolicy } from '#shared/sla/sla-schema.ts';

/**
 * What the public pages promise a person: a reply within so many working days, by a date. Counted the way the
 * router sets the case's SLA (the same policy choice, the same calendar and region), so the promise on the page
 * and the clock the staff work to agree. Only working-day promises are made: a 24/7 policy (sensitive cases)
 * measures a referral to a focal point, not a reply, and the pages say nothing of days for those.
 */
export interface ReplyPromise {
  workingDays: number;
  /** The instant the reply is due (the case's `resolveBy`). */
  by: string;
}

/** A policy's reply target in working days, when it has one. */
export function workingDaysOf(policy: SlaPolicy | undefined): number | undefined {
  if (policy?.clock !== 'working') return undefined;
  return 'workingDays' in policy.resolveWithin ? policy.resolveWithin.workingDays : undefined;
}

/** The stored policy for a case, else the built-in one, as the router chooses. */
const policyFor = (policies: readonly SlaPolicy[], c: CaseLike): SlaPolicy | undefined =>
  selectPolicy(policies, c) ?? selectPolicy(DEFAULT_SLA_POLICIES, c);

/**
 * The working days the form promises for a complaint before anything is known about it, from the built-in
 * policies (the static pages are rendered before any admin edits a policy; the confirmation and the status
 * page then give the case's own date).
 */
export function formPromiseDays(): number | undefined {
  return workingDaysOf(
    policyFor([], { type: 'complaint', sensitivity: 'S0', urgency: 'none', category: null }),
  );
}

interface ClockConfig {
  policies: SlaPolicy[];
  calendar: Calendar;
}

/** Policies and calendar change rarely and only by an admin; a minute's staleness costs nothing here. */
const CONFIG_TTL_MS = 60_000;
const cached = new WeakMap<Platform, { at: number; config: Promise<ClockConfig> }>();

function clockConfig(platform: Platform): Promise<ClockConfig> {
  const now = Date.now();
  const hit = cached.get(platform);
  if (hit && now - hit.at < CONFIG_TTL_MS) return hit.config;
  const store = makeConfigStore({ db: platform.db, tableName: platform.tableName, now: platform.now });
  const config = Promise.all([store.list('sla-policy'), store.get('calendar', IRAQ_CALENDAR.id)]).then(
    ([policies, calendar]) => ({ policies, calendar: calendar ?? IRAQ_CALENDAR }),
  );
  cached.set(platform, { at: now, config });
  // A failed read must not be served for a minute.
  config.catch(() => cached.delete(platform));
  return config;
}

type Promisable = CaseLike & Pick<Case, 'status' | 'receivedAt' | 'location' | 'sla'>;

/**
 * The reply promised for a case: from its SLA once the router has set it (which already moved for any pause),
 * otherwise computed now the way the router will. None for a case that is answered or closed, or whose policy
 * does not count working days.
 */
export async function replyPromise(platform: Platform, c: Promisable): Promise<ReplyPromise | undefined> {
  if (c.status === 'resolved' || c.status === 'closed') return undefined;
  const { policies, calendar } = await clockConfig(platform);
  if (c.sla) {
    const policy =
      policies.find((p) => p.id === c.sla?.policyId) ??
      DEFAULT_SLA_POLICIES.find((p) => p.id === c.sla?.policyId);
    const workingDays = c.sla.clock === 'working' ? workingDaysOf(policy) : undefined;
    return workingDays === undefined ? undefined : { workingDays, by: c.sla.resolveBy };
  }
  const policy = policyFor(policies, c);
  const workingDays = workingDaysOf(policy);
  if (!policy || workingDays === undefined) return undefined;
  const governorate = c.location.governorate ?? c.location.district?.slice(0, 5);
  const region = (governorate && regionOf(governorate)) || calendar.defaultRegion;
  return { workingDays, by: computeDueTimes(policy, calendar, c.receivedAt, region).resolveBy };
}
