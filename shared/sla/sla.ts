/**
 * SLA arithmetic: which policy covers a case, when its targets fall due, how a pause moves them, and how long
 * each step of a case took. Pure functions over a policy, a calendar and explicit instants.
 */
import type { Calendar, Region } from '../calendar/calendar-schema.ts';
import { addWorkingDays, addWorkingTime, type Instant, workingDurationMs } from '../calendar/working-time.ts';
import type { Category, FeedbackType, Sensitivity, Urgency } from '../classification/taxonomy.ts';
import type { EscalationLevel, SlaMatch, SlaPolicy, SlaTarget } from './sla-schema.ts';

/** What a policy is chosen by. */
export interface CaseLike {
  sensitivity: Sensitivity;
  urgency: Urgency;
  type: FeedbackType | null;
  category: Category | null;
}

const within = <T>(allowed: readonly T[] | undefined, value: T | null): boolean =>
  allowed === undefined || (value !== null && allowed.includes(value));

function matches(match: SlaMatch, c: CaseLike): boolean {
  return (
    within(match.sensitivities, c.sensitivity) &&
    within(match.urgencies, c.urgency) &&
    within(match.types, c.type) &&
    within(match.categories, c.category)
  );
}

/**
 * How specific a match is. Constrained fields rank sensitivity over urgency over category over type, each
 * outranking all below it together, so a sensitive case always gets its sensitivity's clock and an urgent one
 * its urgency's, whatever its type.
 */
function rank(match: SlaMatch): number {
  return (
    (match.sensitivities ? 8 : 0) +
    (match.urgencies ? 4 : 0) +
    (match.categories ? 2 : 0) +
    (match.types ? 1 : 0)
  );
}

const breadth = (m: SlaMatch): number =>
  (m.sensitivities?.length ?? 0) +
  (m.urgencies?.length ?? 0) +
  (m.categories?.length ?? 0) +
  (m.types?.length ?? 0);

/**
 * The active policy that covers `c` most specifically: highest rank, then the narrowest lists, then the highest
 * `priority`, then the smallest id, so the choice never depends on the order policies were stored in.
 */
export function selectPolicy(policies: readonly SlaPolicy[], c: CaseLike): SlaPolicy | undefined {
  let best: SlaPolicy | undefined;
  for (const p of policies) {
    if (!p.active || !matches(p.match, c)) continue;
    if (!best || compare(p, best) < 0) best = p;
  }
  return best;
}

function compare(a: SlaPolicy, b: SlaPolicy): number {
  return (
    rank(b.match) - rank(a.match) ||
    breadth(a.match) - breadth(b.match) ||
    b.priority - a.priority ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

export interface DueTimes {
  policyId: string;
  clock: SlaPolicy['clock'];
  acknowledgeBy: string;
  resolveBy: string;
}

const epoch = (t: Instant | string): number =>
  typeof t === 'number' ? t : typeof t === 'string' ? Date.parse(t) : t.getTime();

/** `from` plus a target on the policy's clock. */
function addTarget(
  policy: SlaPolicy,
  calendar: Calendar,
  from: number,
  target: SlaTarget,
  region: Region,
): number {
  if ('workingDays' in target) return addWorkingDays(calendar, from, target.workingDays, region).getTime();
  if (policy.clock === '24x7') return from + target.ms;
  return addWorkingTime(calendar, from, target.ms, region).getTime();
}

/**
 * When a case received at `receivedAt` must be acknowledged and resolved under `policy`. `region` picks the
 * holidays (a case located in the Kurdistan Region keeps the Region's); 24x7 policies ignore the calendar.
 */
export function computeDueTimes(
  policy: SlaPolicy,
  calendar: Calendar,
  receivedAt: Instant | string,
  region: Region = calendar.defaultRegion,
): DueTimes {
  const from = epoch(receivedAt);
  return {
    policyId: policy.id,
    clock: policy.clock,
    acknowledgeBy: new Date(
      addTarget(policy, calendar, from, policy.acknowledgeWithin, region),
    ).toISOString(),
    resolveBy: new Date(addTarget(policy, calendar, from, policy.resolveWithin, region)).toISOString(),
  };
}

/** A pause: its start and end, or its length already measured on the due times' clock. */
export type Pause = { from: Instant | string; to: Instant | string } | { ms: number };

/**
 * Moves due times later by the time the clock stood still (while the case waited on the complainant). On a
 * working clock only the working time inside the pause counts, and it is added back as working time, so the
 * working time left before each target is what it was when the pause began.
 */
export function shiftDueTimes<T extends Pick<DueTimes, 'clock' | 'acknowledgeBy' | 'resolveBy'>>(
  due: T,
  pause: Pause,
  calendar: Calendar,
  region: Region = calendar.defaultRegion,
): T {
  const working = due.clock === 'working';
  const amount =
    'ms' in pause
      ? pause.ms
      : working
        ? workingDurationMs(calendar, epoch(pause.from), epoch(pause.to), region)
        : Math.max(0, epoch(pause.to) - epoch(pause.from));
  if (!Number.isFinite(amount) || amount < 0) throw new RangeError('a pause cannot be negative');
  const shift = (iso: string): string => {
    const t = Date.parse(iso);
    return new Date(
      working ? addWorkingTime(calendar, t, amount, region).getTime() : t + amount,
    ).toISOString();
  };
  return { ...due, acknowledgeBy: shift(due.acknowledgeBy), resolveBy: shift(due.resolveBy) };
}

/** Escalation levels whose time has come for a target that fell due at `dueAt`, in the policy's order. */
export function escalationsDue(
  policy: SlaPolicy,
  calendar: Calendar,
  dueAt: Instant | string,
  now: Instant,
  region: Region = calendar.defaultRegion,
): EscalationLevel[] {
  const due = epoch(dueAt);
  const t = epoch(now);
  return policy.escalation
    .filter((step) => t >= addTarget(policy, calendar, due, step.after, region))
    .map((step) => step.level);
}

/** Whether `now` lies in the warning window before `dueAt`: due soon on the policy's clock, not yet overdue. */
export function inWarningWindow(
  policy: SlaPolicy,
  calendar: Calendar,
  dueAt: Instant | string,
  now: Instant,
  region: Region = calendar.defaultRegion,
): boolean {
  const due = epoch(dueAt);
  const t = epoch(now);
  if (t >= due) return false;
  const left = policy.clock === 'working' ? workingDurationMs(calendar, t, due, region) : due - t;
  return left <= policy.warnBeforeMs;
}

/** A case's clock, as stored (ISO instants). */
export interface ClockStamps {
  receivedAt: string;
  acknowledgedAt?: string | undefined;
  firstActionAt?: string | undefined;
  resolvedAt?: string | undefined;
  closedAt?: string | undefined;
}

export interface Elapsed {
  calendarMs: number;
  workingMs: number;
}

export interface CaseDurations {
  toAcknowledge?: Elapsed;
  toFirstAction?: Elapsed;
  toResolve?: Elapsed;
  toClose?: Elapsed;
}

/**
 * How long a case took from receipt to each later stamp, in calendar time and in working time (the design's
 * "time to close" is `toClose`). A missing stamp leaves its figure out; a stamp earlier than receipt counts 0.
 */
export function durations(
  stamps: ClockStamps,
  calendar: Calendar,
  region: Region = calendar.defaultRegion,
): CaseDurations {
  const received = Date.parse(stamps.receivedAt);
  const measure = (iso: string | undefined): Elapsed | undefined => {
    if (iso === undefined) return undefined;
    const t = Date.parse(iso);
    return {
      calendarMs: Math.max(0, t - received),
      workingMs: workingDurationMs(calendar, received, t, region),
    };
  };
  const out: CaseDurations = {};
  const pairs: [keyof CaseDurations, string | undefined][] = [
    ['toAcknowledge', stamps.acknowledgedAt],
    ['toFirstAction', stamps.firstActionAt],
    ['toResolve', stamps.resolvedAt],
    ['toClose', stamps.closedAt],
  ];
  for (const [key, iso] of pairs) {
    const e = measure(iso);
    if (e) out[key] = e;
  }
  return out;
}
