/**
 * Case lists for the staff console: filters, cursor pagination, and never a Scan. Each request is served from
 * one access path (a key or an index); the filters that path cannot serve are applied inside the same Query
 * (FilterExpression) or, where DynamoDB cannot express them, in memory on bounded pages.
 *
 * | filter given                  | served by                                                          | order             |
 * | ----------------------------- | ------------------------------------------------------------------ | ----------------- |
 * | `overdue` + `category`        | byCategoryStatus, each open status, sort key < now, not waiting    | soonest due first |
 * | `overdue` + `status` (open)   | byStatusDue `STATUS#<status>`, sort key < now, not waiting         | soonest due first |
 * | `overdue`                     | byOpenDue `OPEN`, sort key < now, not waiting                      | soonest due first |
 * | `status` (open) + `category`  | byCategoryStatus `CAT#<category>#<status>`                         | soonest due first |
 * | `status` (open)               | byStatusDue `STATUS#<status>`                                      | soonest due first |
 * | `status` resolved / closed    | byStatusDue `STATUS#resolved` (by waiting time) / `STATUS#closed`  | newest first      |
 * | `focalPoint`                  | focal-point links `FP#<id>` → BatchGetItem of the cases            | newest first      |
 * | `category`, no period         | byCategoryStatus, the open statuses merged; then resolved, closed  | open: soonest due |
 * |                               | from byStatusDue with the category as a filter                     | first; then newest|
 * | anything else, or a period    | byMonth `MONTH#<yyyy-mm>`, month by month back from `to`            | newest first      |
 *
 * - byCategoryStatus is sparse: only open cases with a category are in it (case-keys.ts), under the same due-time
 *   sort key as byStatusDue, so a category list of open cases reads only matching items;
 * - byOpenDue is sparse too: every open case, whatever its open status, under `OPEN` (`OPEN#R`) by the same
 *   due-time sort key, so the overdue list is one range read rather than a merge of every open status;
 * - category (where no key serves it), channel, governorate, assignee, the period (on received time) and the
 *   user's scope (governorates, programmes) go into the FilterExpression of the index paths;
 * - free text (narrative and reference, case-insensitive) and, on the focal-point path, every filter, are applied
 *   in memory: each request reads at most {@link MAX_ROUNDS} rounds of bounded pages, and a page that came back
 *   short carries a cursor to go on;
 * - each agency's cases sit in partitions of their own (`AG#<agency>#…`, see case-keys.ts): a list reads only the
 *   caller's agency's. The focal-point and phone paths are not per agency; their cases pass the access check
 *   (which includes the agency) before they are returned, and the phone path filters on the agency in the Query;
 * - restricted cases sit in their own partitions (`…#R`, see case-keys.ts): a list for a role without the right
 *   never queries them. Each case is checked once more against the access rules before it is returned.
 * - with several partitions (psea reads `#R` too; overdue by category reads every open status) the pages are
 *   merged in sort order; the cursor keeps one position per partition.
 * - without a period the month path looks back {@link DEFAULT_LOOKBACK_MONTHS} months. Months are UTC months.
 */
import { createHash } from 'node:crypto';
import * as z from 'zod';
import { agencyOf, DEFAULT_AGENCY } from '../agencies/agency-id.ts';
import { RequestError } from '../errors/domain-error.ts';
import type { DynamoDb, Item } from '../store/dynamodb.ts';
import { type IndexName, tableDefinition } from '../store/table-definition.ts';
import type { ListScope } from './access.ts';
import { caseKeys } from './case-keys.ts';
import {
  type Case,
  CaseStatus,
  Category,
  Channel,
  GovernoratePcode,
  isRestricted,
  OPEN_STATUSES,
} from './case-schema.ts';
import { caseFromItem } from './case-store.ts';

export const MAX_ROUNDS = 5;
export const DEFAULT_LOOKBACK_MONTHS = 12;

/** A period bound: a month (`2026-03`), a day (`2026-03-05`) or an instant (ISO, UTC). */
export const PeriodBound = z
  .string()
  .regex(
    /^\d{4}-(0[1-9]|1[0-2])(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z)?)?$/,
    'must be yyyy-mm, yyyy-mm-dd or an ISO instant',
  );

export const CaseListFilterSchema = z.object({
  status: CaseStatus.optional(),
  category: Category.optional(),
  governorate: GovernoratePcode.optional(),
  channel: Channel.optional(),
  focalPoint: z.string().min(1).max(64).optional(),
  assignee: z.string().min(1).max(128).optional(),
  overdue: z.boolean().optional(),
  text: z.string().trim().min(2).max(100).optional(),
  from: PeriodBound.optional(),
  to: PeriodBound.optional(),
  limit: z.number().int().min(1).max(100).default(25),
  cursor: z.string().max(8000).optional(),
});
export type CaseListFilter = z.input<typeof CaseListFilterSchema>;

interface Source {
  index?: IndexName;
  pkAttr: string;
  skAttr: string;
  pk: string;
  lower?: string;
  upper?: string;
}
type Order = 'asc' | 'desc';
interface Stage {
  sources: Source[];
  order: Order;
  /** Items evaluated per partition and round in this stage, when it differs from the plan's. */
  pageSize?: number;
  /** The filter of this stage, when it differs from the plan's. */
  filter?: Filter;
}

/** A filter expression built up with placeholders, so no value is ever spliced into the text. */
class Filter {
  readonly names: Record<string, string> = {};
  readonly values: Item = {};
  readonly parts: string[] = [];
  private path(path: string): string {
    return path
      .split('.')
      .map((seg) => {
        this.names[`#f_${seg}`] = seg;
        return `#f_${seg}`;
      })
      .join('.');
  }
  private value(v: unknown): string {
    const key = `:f${Object.keys(this.values).length}`;
    this.values[key] = v;
    return key;
  }
  eq(path: string, v: unknown): this {
    this.parts.push(`${this.path(path)} = ${this.value(v)}`);
    return this;
  }
  in(path: string, vs: readonly unknown[]): this {
    this.parts.push(`${this.path(path)} IN (${vs.map((v) => this.value(v)).join(', ')})`);
    return this;
  }
  notIn(path: string, vs: readonly unknown[]): this {
    this.parts.push(`NOT (${this.path(path)} IN (${vs.map((v) => this.value(v)).join(', ')}))`);
    return this;
  }
  between(path: string, lo: string | undefined, hi: string | undefined): this {
    if (lo !== undefined && hi !== undefined)
      this.parts.push(`${this.path(path)} BETWEEN ${this.value(lo)} AND ${this.value(hi)}`);
    else if (lo !== undefined) this.parts.push(`${this.path(path)} >= ${this.value(lo)}`);
    else if (hi !== undefined) this.parts.push(`${this.path(path)} <= ${this.value(hi)}`);
    return this;
  }
  /** The attribute is absent or equal to `v` (a case stored without an agency is the default agency's). */
  notExistsOrEq(path: string, v: unknown): this {
    const p = this.path(path);
    this.parts.push(`(attribute_not_exists(${p}) OR ${p} = ${this.value(v)})`);
    return this;
  }
  notExists(path: string): this {
    this.parts.push(`attribute_not_exists(${this.path(path)})`);
    return this;
  }
  get expression(): string | undefined {
    return this.parts.length ? this.parts.join(' AND ') : undefined;
  }
}

interface Plan {
  path:
    | 'byCategoryStatus:overdue'
    | 'byCategoryStatus'
    | 'byOpenDue:overdue'
    | 'byStatusDue:overdue'
    | 'byStatusDue'
    | 'focalPointLinks'
    | 'byMonth'
    | 'none';
  stages: Stage[];
  filter: Filter;
  /** Focal-point links name cases; the cases are loaded before the in-memory filters. */
  links: boolean;
  memory: (c: Case) => boolean;
  /** Items evaluated per partition and round. */
  pageSize: number;
}

export interface CaseListPage {
  items: Case[];
  cursor?: string;
  /** The access path that served the request (see the table above). */
  servedBy: Plan['path'];
}

const lowerBound = (from: string | undefined) => from;
const upperBound = (to: string | undefined) => (to === undefined ? undefined : `${to}\uffff`);

/** Months from `to` back to `from`, inclusive (`yyyy-mm`). */
export function monthsBack(fromMonth: string, toMonth: string, max = 240): string[] {
  const out: string[] = [];
  let [y, m] = toMonth.split('-').map(Number) as [number, number];
  for (let i = 0; i < max; i++) {
    const month = `${y}-${String(m).padStart(2, '0')}`;
    if (month < fromMonth) break;
    out.push(month);
    m -= 1;
    if (m === 0) {
      m = 12;
      y -= 1;
    }
  }
  return out;
}

const shiftMonth = (month: string, delta: number): string => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const total = y * 12 + (m - 1) + delta;
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}`;
};

const variants = (scope: ListScope): boolean[] => (scope.includeRestricted ? [false, true] : [false]);

function textMatcher(text: string | undefined): (c: Case) => boolean {
  if (!text) return () => true;
  const needle = text.toLocaleLowerCase();
  const ref = needle.toUpperCase().replace(/[\s-]/g, '');
  return (c) =>
    c.narrative.toLocaleLowerCase().includes(needle) || c.reference.replace('-', '').includes(ref);
}

function plan(
  f: z.output<typeof CaseListFilterSchema>,
  scope: ListScope,
  visible: (c: Case) => boolean,
  now: Date,
): Plan {
  const agency = scope.agency ?? DEFAULT_AGENCY;
  const ixs = tableDefinition.indexes;
  const filter = new Filter();
  const lo = lowerBound(f.from);
  const hi = upperBound(f.to);
  const text = textMatcher(f.text);
  const scoped = (fl: Filter) => {
    if (scope.governorates.length) fl.in('location.governorate', scope.governorates);
    if (scope.programmes.length) fl.in('programme', scope.programmes);
    if (!scope.includeRestricted) fl.notIn('sensitivity', ['S2', 'S3']);
  };
  const openStatuses = OPEN_STATUSES as readonly string[];
  // The category is served by the byCategoryStatus key when the list is of open cases (overdue, an open status),
  // or when only a category narrows it (its open cases come from the key, the rest after them).
  const categoryKeyed =
    f.category !== undefined &&
    (f.overdue || (f.status ? openStatuses.includes(f.status) : !f.focalPoint && !f.from && !f.to));
  const attributeFilters = (fl: Filter) => {
    if (f.category && !categoryKeyed) fl.eq('category', f.category);
    if (f.channel) fl.eq('channel', f.channel);
    if (f.governorate) fl.eq('location.governorate', f.governorate);
    if (f.assignee) fl.eq('assignee', f.assignee);
  };
  const anyServerFilter =
    Boolean((f.category && !categoryKeyed) || f.channel || f.governorate || f.assignee || f.from || f.to) ||
    scope.governorates.length > 0 ||
    scope.programmes.length > 0;
  // With filters a partition is read in larger pages (one round usually fills the page); without, a page is the
  // page asked for.
  const filteredPageSize = Math.min(200, Math.max(f.limit * 8, 100));
  const pageSize = anyServerFilter || f.text ? filteredPageSize : f.limit;
  const statusSource = (status: string, restricted: boolean, upper?: string): Source => ({
    index: 'byStatusDue',
    pkAttr: ixs.byStatusDue.partitionKey,
    skAttr: ixs.byStatusDue.sortKey,
    pk: caseKeys.statusPartition(status, restricted, agency),
    upper,
  });
  const openSource = (status: string, restricted: boolean, upper?: string): Source =>
    categoryKeyed
      ? {
          index: 'byCategoryStatus',
          pkAttr: ixs.byCategoryStatus.partitionKey,
          skAttr: ixs.byCategoryStatus.sortKey,
          pk: caseKeys.categoryStatusPartition(f.category as string, status, restricted, agency),
          upper,
        }
      : statusSource(status, restricted, upper);

  if (f.overdue) {
    const statuses = f.status ? (openStatuses.includes(f.status) ? [f.status] : []) : [...openStatuses];
    if (statuses.length === 0)
      return { path: 'none', stages: [], filter, links: false, memory: () => false, pageSize };
    scoped(filter);
    attributeFilters(filter);
    filter.between('receivedAt', lo, hi);
    filter.notExists('waitingOn');
    const before = now.toISOString();
    // Neither a status nor a category narrows it: every open case is in byOpenDue, one partition per variant.
    const allOpen = !f.status && !categoryKeyed;
    const openDueSource = (restricted: boolean): Source => ({
      index: 'byOpenDue',
      pkAttr: ixs.byOpenDue.partitionKey,
      skAttr: ixs.byOpenDue.sortKey,
      pk: caseKeys.openPartition(restricted, agency),
      upper: before,
    });
    return {
      path: allOpen
        ? 'byOpenDue:overdue'
        : categoryKeyed
          ? 'byCategoryStatus:overdue'
          : 'byStatusDue:overdue',
      stages: [
        {
          order: 'asc',
          sources: allOpen
            ? variants(scope).map(openDueSource)
            : statuses.flatMap((s) => variants(scope).map((r) => openSource(s, r, before))),
        },
      ],
      filter,
      links: false,
      memory: (c) => visible(c) && text(c),
      pageSize,
    };
  }

  if (f.status) {
    scoped(filter);
    attributeFilters(filter);
    filter.between('receivedAt', lo, hi);
    const open = openStatuses.includes(f.status);
    return {
      path: categoryKeyed ? 'byCategoryStatus' : 'byStatusDue',
      stages: [
        {
          order: open ? 'asc' : 'desc',
          sources: variants(scope).map((r) =>
            open ? openSource(f.status as string, r) : statusSource(f.status as string, r),
          ),
        },
      ],
      filter,
      links: false,
      memory: (c) => visible(c) && text(c),
      pageSize,
    };
  }

  if (categoryKeyed) {
    // The open cases straight from the key; resolved and closed ones are not in that sparse index, so they follow
    // from their status partitions with the category in the filter (and larger pages, as any filtered read).
    scoped(filter);
    attributeFilters(filter);
    const closedFilter = new Filter();
    scoped(closedFilter);
    closedFilter.eq('category', f.category);
    attributeFilters(closedFilter);
    return {
      path: 'byCategoryStatus',
      stages: [
        { order: 'asc', sources: openStatuses.flatMap((s) => variants(scope).map((r) => openSource(s, r))) },
        ...['resolved', 'closed'].map((s) => ({
          order: 'desc' as const,
          sources: variants(scope).map((r) => statusSource(s, r)),
          filter: closedFilter,
          pageSize: filteredPageSize,
        })),
      ],
      filter,
      links: false,
      memory: (c) => visible(c) && text(c),
      pageSize,
    };
  }

  if (f.focalPoint) {
    const matches = (c: Case) =>
      (!f.category || c.category === f.category) &&
      (!f.channel || c.channel === f.channel) &&
      (!f.governorate || c.location.governorate === f.governorate) &&
      (!f.assignee || c.assignee === f.assignee) &&
      agencyOf(c) === agency &&
      (scope.includeRestricted || !isRestricted(c.sensitivity) || visible(c));
    return {
      path: 'focalPointLinks',
      stages: [
        {
          order: 'desc',
          sources: [
            {
              pkAttr: tableDefinition.partitionKey,
              skAttr: tableDefinition.sortKey,
              pk: caseKeys.focalPointPartition(f.focalPoint),
              lower: lo === undefined ? 'CASE#' : `CASE#${lo}`,
              upper: hi === undefined ? 'CASE#\uffff' : `CASE#${hi}`,
            },
          ],
        },
      ],
      filter,
      links: true,
      memory: (c) => visible(c) && matches(c) && text(c),
      pageSize: Math.min(200, Math.max(f.limit * 2, 25)),
    };
  }

  scoped(filter);
  attributeFilters(filter);
  const nowMonth = now.toISOString().slice(0, 7);
  const toMonth = f.to ? f.to.slice(0, 7) : nowMonth;
  const fromMonth = f.from ? f.from.slice(0, 7) : shiftMonth(toMonth, -DEFAULT_LOOKBACK_MONTHS);
  return {
    path: 'byMonth',
    stages: monthsBack(fromMonth, toMonth).map((month) => ({
      order: 'desc' as const,
      sources: variants(scope).map((r) => ({
        index: 'byMonth' as const,
        pkAttr: ixs.byMonth.partitionKey,
        skAttr: ixs.byMonth.sortKey,
        pk: caseKeys.monthPartition(month, r, agency),
        lower: lo,
        upper: hi,
      })),
    })),
    filter,
    links: false,
    memory: (c) => visible(c) && text(c),
    pageSize,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Cursor: the stage (month) and one position per partition (its last consumed key, or null once read to the end).

const KeySchema = z.record(z.string(), z.string());
const CursorState = z.object({
  f: z.string(),
  s: z.number().int().nonnegative(),
  p: z.record(z.string(), KeySchema.nullable()),
});
type CursorState = z.infer<typeof CursorState>;

const badCursor = () =>
  new RequestError(400, 'REQUEST.INVALID_CURSOR', 'The cursor is not valid for this query.');

function fingerprint(f: z.output<typeof CaseListFilterSchema>, scope: ListScope): string {
  const { cursor: _c, limit: _l, ...rest } = f;
  return createHash('sha256')
    .update(JSON.stringify([rest, scope]))
    .digest('base64url')
    .slice(0, 16);
}

function decodeState(cursor: string | undefined, p: Plan, fp: string): CursorState | undefined {
  if (!cursor) return undefined;
  let state: CursorState;
  try {
    state = CursorState.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw badCursor();
  }
  if (state.f !== fp || state.s > p.stages.length) throw badCursor();
  const stage = p.stages[state.s];
  for (const [pk, key] of Object.entries(state.p)) {
    const source = stage?.sources.find((s) => s.pk === pk);
    if (!source || (key && key[source.pkAttr] !== pk)) throw badCursor();
  }
  return state;
}

const encodeState = (s: CursorState): string => Buffer.from(JSON.stringify(s), 'utf8').toString('base64url');

function keyOf(item: Item, source: Source): Record<string, string> {
  const attrs = new Set([
    tableDefinition.partitionKey,
    tableDefinition.sortKey,
    source.pkAttr,
    source.skAttr,
  ]);
  return Object.fromEntries([...attrs].map((a) => [a, String(item[a])]));
}

export interface CaseQueryDeps {
  db: DynamoDb;
  tableName: string;
  /** Loads cases by id (the store's getMany), for the focal-point path. */
  getMany: (caseIds: string[]) => Promise<Case[]>;
  now?: () => Date;
}

/** Builds the list query over the table; see the module comment for the access paths. */
export function makeCaseQuery(deps: CaseQueryDeps) {
  const { db, tableName } = deps;
  const now = deps.now ?? (() => new Date());

  async function queryOne(
    source: Source,
    order: Order,
    start: Item | undefined,
    limit: number,
    filter: Filter,
  ) {
    const names: Record<string, string> = { '#kp': source.pkAttr, ...filter.names };
    const values: Item = { ':kp': source.pk, ...filter.values };
    let condition = '#kp = :kp';
    if (source.lower !== undefined || source.upper !== undefined) names['#ks'] = source.skAttr;
    if (source.lower !== undefined) values[':klo'] = source.lower;
    if (source.upper !== undefined) values[':khi'] = source.upper;
    if (source.lower !== undefined && source.upper !== undefined)
      condition += ' AND #ks BETWEEN :klo AND :khi';
    else if (source.lower !== undefined) condition += ' AND #ks >= :klo';
    else if (source.upper !== undefined) condition += ' AND #ks <= :khi';
    const page = await db.query({
      TableName: tableName,
      IndexName: source.index,
      KeyConditionExpression: condition,
      FilterExpression: filter.expression,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ScanIndexForward: order === 'asc',
      Limit: limit,
      ExclusiveStartKey: start,
    });
    return { source, items: page.items, lastKey: page.lastKey };
  }

  async function run(p: Plan, limit: number, cursor: string | undefined, fp: string): Promise<CaseListPage> {
    const state: CursorState = decodeState(cursor, p, fp) ?? { f: fp, s: 0, p: {} };
    const out: Case[] = [];
    let rounds = 0;
    const advanceStages = () => {
      while (state.s < p.stages.length) {
        const stage = p.stages[state.s] as Stage;
        if (stage.sources.some((s) => state.p[s.pk] !== null)) return;
        state.s += 1;
        state.p = {};
      }
    };
    advanceStages();
    while (state.s < p.stages.length && out.length < limit && rounds < MAX_ROUNDS) {
      const stage = p.stages[state.s] as Stage;
      const live = stage.sources.filter((s) => state.p[s.pk] !== null);
      rounds += 1;
      const pages = await Promise.all(
        live.map((s) =>
          queryOne(
            s,
            stage.order,
            state.p[s.pk] ?? undefined,
            stage.pageSize ?? p.pageSize,
            stage.filter ?? p.filter,
          ),
        ),
      );
      const before = (a: string, b: string) => (stage.order === 'asc' ? a < b : a > b);
      const cmp = (a: string, b: string) => (a === b ? 0 : before(a, b) ? -1 : 1);
      // Items beyond the nearest unread position of any partition are not safe to emit yet: another partition may
      // hold items that sort before them.
      let frontier: string | undefined;
      for (const pg of pages) {
        if (!pg.lastKey) continue;
        const v = String(pg.lastKey[pg.source.skAttr]);
        if (frontier === undefined || before(v, frontier)) frontier = v;
      }
      const safe = (sk: string) => frontier === undefined || cmp(sk, frontier) <= 0;
      const candidates = pages
        .flatMap((pg) => pg.items.map((item) => ({ pg, item, sk: String(item[pg.source.skAttr]) })))
        .filter((c) => safe(c.sk))
        .sort((a, b) => cmp(a.sk, b.sk));
      let cases: (Case | undefined)[];
      if (p.links) {
        const loaded = await deps.getMany(candidates.map((c) => String(c.item.caseId)));
        const byId = new Map(loaded.map((c) => [c.caseId, c]));
        cases = candidates.map((c) => byId.get(String(c.item.caseId)));
      } else {
        cases = candidates.map((c) => caseFromItem(c.item));
      }
      const lastTaken = new Map<(typeof pages)[number], Item>();
      let i = 0;
      for (; i < candidates.length && out.length < limit; i++) {
        const c = candidates[i] as (typeof candidates)[number];
        lastTaken.set(c.pg, c.item);
        const k = cases[i];
        if (k && p.memory(k)) out.push(k);
      }
      const rest = candidates.slice(i);
      for (const pg of pages) {
        const taken = lastTaken.get(pg);
        const pendingSafe = rest.some((c) => c.pg === pg);
        const unsafeLeft = pg.items.some((item) => !safe(String(item[pg.source.skAttr])));
        if (!pendingSafe && !unsafeLeft) {
          if (!pg.lastKey) {
            state.p[pg.source.pk] = null;
            continue;
          }
          if (safe(String(pg.lastKey[pg.source.skAttr]))) {
            state.p[pg.source.pk] = keyOf(pg.lastKey, pg.source);
            continue;
          }
        }
        if (taken) state.p[pg.source.pk] = keyOf(taken, pg.source);
      }
      advanceStages();
    }
    return {
      items: out,
      ...(state.s < p.stages.length ? { cursor: encodeState(state) } : {}),
      servedBy: p.path,
    };
  }

  return {
    /**
     * One page of cases matching `filter` that `visible` admits, within `scope` (see access.ts `listScope`).
     * `visible` is the per-case access check; it is applied to every case before it is returned.
     */
    async list(
      filter: CaseListFilter,
      scope: ListScope,
      visible: (c: Case) => boolean,
    ): Promise<CaseListPage> {
      const parsed = CaseListFilterSchema.safeParse(filter);
      if (!parsed.success) throw new RequestError(400, 'REQUEST.INVALID', 'The list filters are not valid.');
      const f = parsed.data;
      const p = plan(f, scope, visible, now());
      return run(p, f.limit, f.cursor, fingerprint(f, scope));
    },

    /**
     * A caller's cases by the keyed hash of their number, newest first (byPhone). Restricted cases are left out
     * inside the Query for roles without the right, and every case passes `visible` before it is returned.
     */
    async byPhoneHash(
      phoneHash: string,
      scope: ListScope,
      visible: (c: Case) => boolean,
      limit = 20,
    ): Promise<Case[]> {
      const filter = new Filter();
      if (!scope.includeRestricted) filter.notIn('sensitivity', ['S2', 'S3']);
      if (scope.agency === undefined) filter.notExistsOrEq('agency', DEFAULT_AGENCY);
      else filter.eq('agency', scope.agency);
      const pg = await queryOne(
        {
          index: 'byPhone',
          pkAttr: tableDefinition.indexes.byPhone.partitionKey,
          skAttr: tableDefinition.indexes.byPhone.sortKey,
          pk: caseKeys.phonePartition(phoneHash),
        },
        'desc',
        undefined,
        Math.min(100, limit * 2),
        filter,
      );
      return pg.items.map(caseFromItem).filter(visible).slice(0, limit);
    },
  };
}

export type CaseQuery = ReturnType<typeof makeCaseQuery>;
