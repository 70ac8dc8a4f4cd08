import { type AuditQuery, makeAuditTrail } from '#shared/audit/audit-trail.ts';
import type { Principal } from '#shared/auth/principal.ts';
import { IRAQ_CALENDAR } from '#shared/calendar/iraq-calendar.ts';
import { type ConfigKind, type ConfigRecord, makeConfigStore } from '#shared/config/config-store.ts';
import { checkConfig, focalPointsWithoutMembers, routingTargets } from '#shared/config/integrity.ts';
import {
  AgencySchema,
  CalendarSchema,
  type FocalPoint,
  FocalPointSchema,
  PartnerSchema,
  type RoutingRule,
  RoutingRuleSchema,
  SlaPolicySchema,
} from '#shared/config/schemas.ts';
import { ConflictError, NotFoundError, RequestError } from '#shared/errors/domain-error.ts';
import { getIvrPromptsOverride, putIvrPromptsOverride } from '#shared/intake/ivr-prompts.ts';
import {
  makeRosterStore,
  parseRosterOperator,
  type RosterOperator,
  rosterNotFound,
} from '#shared/roster/roster.ts';
import { makeSubscriptionStore } from '#shared/routing/subscription-store.ts';
import type { Platform } from '../lib/platform.ts';
import { validate } from '../lib/request.ts';
import { subscribeFocalPoint, unsubscribeFocalPoint } from './subscriptions.ts';
import { userDirectory } from './users.ts';

type Body = Record<string, unknown>;
type Warning = {
  code: 'ADMIN.FOCAL_POINT_WITHOUT_MEMBERS' | 'ADMIN.RULE_TO_FOCAL_POINT_WITHOUT_MEMBERS';
  focalPointId: string;
  ruleId?: string;
  message: string;
};

/** The working calendar the SLA clocks use (the router reads the same record). */
const CALENDAR_ID = IRAQ_CALENDAR.id;

const notFound = (kind: ConfigKind) => new NotFoundError('CONFIG.NOT_FOUND', `No such ${kind}.`);

/** A PUT body takes its id from the path; a different id in the body is an error, not a rename. */
function withId(body: Body, field: string, id: string): Body {
  if (body[field] !== undefined && body[field] !== id) {
    throw new RequestError(400, 'ADMIN.ID_MISMATCH', `The body's ${field} differs from the id in the path.`);
  }
  return { ...body, [field]: id };
}

const problemKey = (p: { code: string; message: string }) => `${p.code}|${p.message}`;

/**
 * Refuses a change that would add a cross-record problem (a rule naming an unknown focal point, a restricted
 * rule to a focal point that may not see restricted cases, no default rule, an escalation loop). Problems the
 * configuration already had are not this change's fault and do not block it.
 */
function guardIntegrity(
  before: { focalPoints: readonly FocalPoint[]; rules: readonly RoutingRule[] },
  after: { focalPoints: readonly FocalPoint[]; rules: readonly RoutingRule[] },
): void {
  const had = new Set(checkConfig(before.focalPoints, before.rules).map(problemKey));
  const added = checkConfig(after.focalPoints, after.rules).filter((p) => !had.has(problemKey(p)));
  if (added.length > 0) {
    throw new ConflictError(
      'ADMIN.CONFIG_CONFLICT',
      'This change would leave the routing configuration inconsistent.',
      { problems: added },
    );
  }
}

const replace = <T>(list: readonly T[], id: string, idOf: (t: T) => string, next?: T): T[] => {
  const rest = list.filter((t) => idOf(t) !== id);
  return next ? [...rest, next] : rest;
};

/** The admin use-cases over the configuration records and the focal points' subscriptions. */
export function makeConfigAdmin(platform: Platform) {
  const store = makeConfigStore({ db: platform.db, tableName: platform.tableName, now: platform.now });
  const subscriptions = makeSubscriptionStore({ db: platform.db, tableName: platform.tableName });
  const audit = makeAuditTrail({ db: platform.db, tableName: platform.tableName, now: platform.now });

  const roster = makeRosterStore({
    db: platform.db,
    tableName: platform.tableName,
    protector: platform.protector,
    now: platform.now,
  });
  /** Every roster change is audited by operator id; the entry never holds the number or the name. */
  const auditRoster = (
    who: Principal,
    what: 'created' | 'updated' | 'deleted',
    o: Pick<RosterOperator, 'operatorId'>,
    via: string,
  ) =>
    audit.record({
      who: { userId: who.userId, roles: who.roles },
      action: 'roster.write',
      caseIds: [],
      why: `operator ${o.operatorId} ${what}`,
      via,
    });

  const current = async () => ({
    focalPoints: await store.list('focal-point'),
    rules: await store.list('routing-rule'),
  });

  /** Who holds each focal point, from the user directory; undefined where users cannot be listed (AWS). */
  const membership = async (): Promise<Map<string, { userId: string; name: string }[]> | undefined> => {
    const directory = userDirectory();
    if (!directory) return undefined;
    const byFocalPoint = new Map<string, { userId: string; name: string }[]>();
    for (const u of await directory()) {
      if (!u.focalPointId) continue;
      byFocalPoint.set(u.focalPointId, [
        ...(byFocalPoint.get(u.focalPointId) ?? []),
        { userId: u.userId, name: u.name },
      ]);
    }
    return byFocalPoint;
  };

  /** The flags on the configuration as it stands: routing targets nobody holds, and the rules that send there. */
  async function warnings(rules: readonly RoutingRule[]): Promise<Warning[]> {
    const members = await membership();
    if (!members) return [];
    return focalPointsWithoutMembers(rules, (id) => (members.get(id) ?? []).length).flatMap(
      ({ focalPointId, ruleIds }): Warning[] => [
        {
          code: 'ADMIN.FOCAL_POINT_WITHOUT_MEMBERS',
          focalPointId,
          message: `Rules route cases to ${focalPointId}, but no staff member holds it: those cases are in nobody's queue.`,
        },
        ...ruleIds.map(
          (ruleId): Warning => ({
            code: 'ADMIN.RULE_TO_FOCAL_POINT_WITHOUT_MEMBERS',
            focalPointId,
            ruleId,
            message: `Rule ${ruleId} routes cases to ${focalPointId}, which no staff member holds.`,
          }),
        ),
      ],
    );
  }

  const view = async (fp: FocalPoint, context?: { rules: readonly RoutingRule[]; flags: Warning[] }) => {
    const rules = context?.rules ?? (await store.list('routing-rule'));
    const flags = context?.flags ?? (await warnings(rules));
    const [s, members] = await Promise.all([subscriptions.get(fp.focalPointId), membership()]);
    return {
      focalPoint: fp,
      subscription: s
        ? {
            subscriptionArn: s.subscriptionArn,
            protocol: s.protocol,
            endpoint: s.endpoint,
            filterPolicy: s.filterPolicy,
          }
        : null,
      members: members ? (members.get(fp.focalPointId) ?? []) : null,
      routedBy: routingTargets(rules).get(fp.focalPointId) ?? [],
      warnings: flags.filter((w) => w.focalPointId === fp.focalPointId && w.ruleId === undefined),
    };
  };
  const ruleView = async (rule: RoutingRule, flags?: Warning[]) => ({
    ...rule,
    warnings: (flags ?? (await warnings(await store.list('routing-rule')))).filter(
      (w) => w.ruleId === rule.ruleId,
    ),
  });
  const mustGet = async <K extends ConfigKind>(kind: K, id: string): Promise<ConfigRecord<K>> => {
    const found = await store.get(kind, id);
    if (!found) throw notFound(kind);
    return found;
  };

  /** Plain CRUD for kinds without cross-record rules (SLA policies, partners). */
  const plain = <K extends ConfigKind>(
    kind: K,
    schema: typeof SlaPolicySchema | typeof PartnerSchema | typeof AgencySchema,
    idField: string,
  ) => ({
    list: async () => ({ items: await store.list(kind) }),
    get: (id: string) => mustGet(kind, id),
    create: async (body: Body) => {
      const record = validate(schema, body);
      if (!(await store.putIfAbsent(kind, record))) {
        throw new ConflictError('ADMIN.ALREADY_EXISTS', `A ${kind} with this id exists already.`);
      }
      return record;
    },
    update: async (id: string, body: Body) => {
      const record = validate(schema, withId(body, idField, id));
      await mustGet(kind, id);
      return store.put(kind, record);
    },
    delete: (id: string) => store.delete(kind, id),
  });

  return {
    focalPoints: {
      async list() {
        const rules = await store.list('routing-rule');
        const flags = await warnings(rules);
        return {
          items: await Promise.all((await store.list('focal-point')).map((fp) => view(fp, { rules, flags }))),
        };
      },
      async get(id: string) {
        return view(await mustGet('focal-point', id));
      },
      /** Stores the focal point, then subscribes it; a failed subscription takes the record back out. */
      async create(body: Body) {
        const fp = validate(FocalPointSchema, body);
        const before = await current();
        if (before.focalPoints.some((f) => f.focalPointId === fp.focalPointId)) {
          throw new ConflictError('ADMIN.ALREADY_EXISTS', 'A focal point with this id exists already.');
        }
        guardIntegrity(before, { ...before, focalPoints: [...before.focalPoints, fp] });
        if (!(await store.putIfAbsent('focal-point', fp))) {
          throw new ConflictError('ADMIN.ALREADY_EXISTS', 'A focal point with this id exists already.');
        }
        try {
          await subscribeFocalPoint(platform, fp);
        } catch (err) {
          await store.delete('focal-point', fp.focalPointId);
          throw err;
        }
        return view(fp);
      },
      /** Replaces the record and brings its subscription in line (a new channel re-subscribes). */
      async update(id: string, body: Body) {
        const fp = validate(FocalPointSchema, withId(body, 'focalPointId', id));
        const before = await current();
        const old = before.focalPoints.find((f) => f.focalPointId === id);
        if (!old) throw notFound('focal-point');
        guardIntegrity(before, {
          ...before,
          focalPoints: replace(before.focalPoints, id, (f) => f.focalPointId, fp),
        });
        await store.put('focal-point', fp);
        try {
          await subscribeFocalPoint(platform, fp);
        } catch (err) {
          await store.put('focal-point', old);
          throw err;
        }
        return view(fp);
      },
      /** Refused (409) while a rule routes to it or someone escalates to it; removes its subscription. */
      async delete(id: string) {
        const before = await current();
        if (!before.focalPoints.some((f) => f.focalPointId === id)) throw notFound('focal-point');
        guardIntegrity(before, {
          ...before,
          focalPoints: replace(before.focalPoints, id, (f) => f.focalPointId),
        });
        await unsubscribeFocalPoint(platform, id);
        await store.delete('focal-point', id);
      },
    },

    routingRules: {
      async list() {
        const rules = await store.list('routing-rule');
        const flags = await warnings(rules);
        return { items: await Promise.all(rules.map((r) => ruleView(r, flags))) };
      },
      get: async (id: string) => ruleView(await mustGet('routing-rule', id)),
      async create(body: Body) {
        const rule = validate(RoutingRuleSchema, body);
        const before = await current();
        if (before.rules.some((r) => r.ruleId === rule.ruleId)) {
          throw new ConflictError('ADMIN.ALREADY_EXISTS', 'A routing rule with this id exists already.');
        }
        guardIntegrity(before, { ...before, rules: [...before.rules, rule] });
        if (!(await store.putIfAbsent('routing-rule', rule))) {
          throw new ConflictError('ADMIN.ALREADY_EXISTS', 'A routing rule with this id exists already.');
        }
        return ruleView(rule);
      },
      async update(id: string, body: Body) {
        const rule = validate(RoutingRuleSchema, withId(body, 'ruleId', id));
        const before = await current();
        if (!before.rules.some((r) => r.ruleId === id)) throw notFound('routing-rule');
        guardIntegrity(before, { ...before, rules: replace(before.rules, id, (r) => r.ruleId, rule) });
        return ruleView(await store.put('routing-rule', rule));
      },
      async delete(id: string) {
        const before = await current();
        if (!before.rules.some((r) => r.ruleId === id)) throw notFound('routing-rule');
        guardIntegrity(before, { ...before, rules: replace(before.rules, id, (r) => r.ruleId) });
        await store.delete('routing-rule', id);
      },
    },

    slaPolicies: plain('sla-policy', SlaPolicySchema, 'id'),

    partners: plain('partner', PartnerSchema, 'partnerId'),
    agencies: plain('agency', AgencySchema, 'agencyId'),

    /** The audit trail, for admins (who saw or changed what; break-glass with its reason). */
    audit: { list: (query: AuditQuery) => audit.list(query) },

    /**
     * The hotline's prompts, as an override of the built-in ones. The hotline reads them at most a minute late. A
     * placeholder it cannot fill is refused here with its own code, never found out on a call.
     */
    ivrPrompts: {
      get: () => getIvrPromptsOverride(platform.db, platform.tableName),
      put: (body: Body) => putIvrPromptsOverride(platform.db, platform.tableName, body),
    },

    /**
     * The hotline roster (who the IVR puts callers through to). The IVR reads it on every call that asks for a
     * person, so a change is in force for the next caller.
     */
    roster: {
      list: async () => ({ items: await roster.list() }),
      async get(id: string) {
        const found = await roster.get(id);
        if (!found) throw rosterNotFound();
        return found;
      },
      async create(who: Principal, body: Body) {
        const operator = parseRosterOperator(body);
        if (!(await roster.create(operator))) {
          throw new ConflictError(
            'ADMIN.ALREADY_EXISTS',
            'An operator with this id is on the roster already.',
          );
        }
        await auditRoster(who, 'created', operator, 'POST /api/admin/roster');
        return operator;
      },
      async update(who: Principal, id: string, body: Body) {
        const operator = parseRosterOperator(withId(body, 'operatorId', id));
        await roster.replace(operator);
        await auditRoster(who, 'updated', operator, 'PUT /api/admin/roster/{id}');
        return operator;
      },
      async delete(who: Principal, id: string) {
        await roster.delete(id);
        await auditRoster(who, 'deleted', { operatorId: id }, 'DELETE /api/admin/roster/{id}');
      },
    },

    calendar: {
      /** The calendar in effect: the stored record, or the built-in Iraq calendar the router falls back to. */
      get: async () => (await store.get('calendar', CALENDAR_ID)) ?? IRAQ_CALENDAR,
      put: async (body: Body) =>
        store.put('calendar', validate(CalendarSchema, withId(body, 'id', CALENDAR_ID))),
    },
  };
}

export type ConfigAdmin = ReturnType<typeof makeConfigAdmin>;
