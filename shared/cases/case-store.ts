import { z } from 'zod';
import { ConditionFailedError, type DynamoDb, type Item, TransactionCanceledError } from '../aws/dynamodb.ts';
import {
  CaseNotFoundError,
  ConflictError,
  InvalidTransitionError,
  ValidationError,
  VersionConflictError,
} from '../errors/domain-error.ts';
import type { PersonalDataProtector } from '../privacy/personal-data.ts';
import { decodeCursor, encodeCursor } from '../store/cursor.ts';
import { newId, newReference } from '../store/ids.ts';
import { tableDefinition } from '../store/table-definition.ts';
import { caseIndexAttributes, caseKeys } from './case-keys.ts';
import {
  type Actor,
  type Case,
  type CaseEvent,
  CaseEventSchema,
  CaseSchema,
  type CaseStatus,
  type NewCaseInput,
  NewCaseInputSchema,
} from './case-schema.ts';
import { TRANSITIONS, type TransitionAction } from './transitions.ts';

export interface CaseStoreDeps {
  db: DynamoDb;
  tableName: string;
  protector: PersonalDataProtector;
  now?: () => Date;
}

/** A timeline entry before the store gives it an id and a time. */
export type EventDraft = Omit<CaseEvent, 'caseId' | 'eventId' | 'at'> & { at?: string };

export interface Page<T> {
  items: T[];
  cursor?: string;
}

/** Turns a zod failure into a 400 that names each failing field and never echoes the values. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new ValidationError(
      'The request is not valid.',
      result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  }
  return result.data;
}

const IdempotencyItem = z.object({ caseId: z.string() });
const MAX_WRITE_ATTEMPTS = 8;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Strips the table's own attributes from a stored case and checks it against the schema. */
export function caseFromItem(item: Item): Case {
  return CaseSchema.parse(item);
}

/**
 * The case aggregate's persistence: creation (idempotent on the channel's id), reads, the append-only timeline
 * and state changes through optimistic concurrency on `version`.
 */
export function makeCaseStore(deps: CaseStoreDeps) {
  const { db, tableName: TableName, protector } = deps;
  const now = deps.now ?? (() => new Date());

  const caseItem = (c: Case): Item => ({
    ...caseKeys.case(c.caseId),
    entity: 'case',
    ...c,
    ...caseIndexAttributes(c),
  });
  const eventItem = (e: CaseEvent): Item => ({
    ...caseKeys.event(e.caseId, e.at, e.eventId),
    entity: 'event',
    ...e,
  });
  const makeEvent = (caseId: string, draft: EventDraft, at: string): CaseEvent =>
    CaseEventSchema.parse({ ...draft, caseId, eventId: newId(Date.parse(at)), at: draft.at ?? at });

  async function get(caseId: string, consistent = false): Promise<Case | undefined> {
    const item = await db.get(TableName, caseKeys.case(caseId), consistent);
    return item ? caseFromItem(item) : undefined;
  }

  async function mustGet(caseId: string, consistent = true): Promise<Case> {
    const c = await get(caseId, consistent);
    if (!c) throw new CaseNotFoundError();
    return c;
  }

  async function findIdempotent(key: string): Promise<Case | undefined> {
    const marker = await db.get(TableName, caseKeys.idempotency(key), true);
    if (!marker) return undefined;
    return mustGet(IdempotencyItem.parse(marker).caseId);
  }

  /**
   * Opens a case, or returns the case already opened for the same idempotency key (`created: false`).
   * One transaction claims the idempotency key and a fresh reference and writes the case with its first event, so
   * a case is either whole or absent, and concurrent repeats of one delivery yield exactly one case.
   */
  async function create(rawInput: NewCaseInput): Promise<{ case: Case; created: boolean }> {
    const input = parseOrThrow(NewCaseInputSchema, rawInput);
    for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
      const existing = await findIdempotent(input.idempotencyKey);
      if (existing) return { case: existing, created: false };

      const at = now().toISOString();
      const receivedAt = input.receivedAt ?? at;
      const caseId = newId(Date.parse(receivedAt));
      const reference = newReference();
      const resolved = input.resolvedOnContact;
      const c: Case = CaseSchema.parse({
        caseId,
        reference,
        version: 1,
        status: resolved ? 'resolved' : 'new',
        channel: input.channel,
        language: input.language,
        type: input.type,
        category: input.category,
        sector: input.sector,
        sensitivity: input.sensitivity,
        urgency: input.urgency,
        classification: input.classification,
        narrative: input.narrative,
        location: input.location,
        programme: input.programme,
        populationGroup: input.populationGroup,
        sex: input.sex,
        ageBand: input.ageBand,
        consentToFollowUp: input.consentToFollowUp,
        contact: {
          phoneCipher: input.phone ? protector.encrypt(input.phone) : undefined,
          phoneHash: input.phone ? protector.hashPhone(input.phone) : undefined,
          nameCipher: input.name ? protector.encrypt(input.name) : undefined,
        },
        mediaUrls: input.mediaUrls,
        lookupSecretHash: input.lookupSecretHash,
        idempotencyKey: input.idempotencyKey,
        receivedAt,
        ...(resolved
          ? { acknowledgedAt: at, firstActionAt: at, resolvedAt: at, outcome: resolved.outcome }
          : {}),
        linkedCaseIds: input.linkedCaseIds,
        createdBy: input.createdBy,
        updatedAt: at,
      });
      const events = [
        makeEvent(
          caseId,
          { type: 'received', actor: input.createdBy, toStatus: 'new', data: { channel: c.channel } },
          receivedAt,
        ),
      ];
      if (resolved) {
        events.push(
          makeEvent(
            caseId,
            {
              type: 'transition',
              actor: input.createdBy,
              fromStatus: 'new',
              toStatus: 'resolved',
              reason: resolved.note,
              data: { action: 'resolve', outcome: resolved.outcome, onContact: true },
            },
            at,
          ),
        );
      }
      try {
        await db.transactWrite([
          {
            Put: {
              TableName,
              Item: { ...caseKeys.idempotency(input.idempotencyKey), entity: 'idempotency', caseId },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Put: {
              TableName,
              Item: { ...caseKeys.reference(reference), entity: 'reference', caseId },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          { Put: { TableName, Item: caseItem(c), ConditionExpression: 'attribute_not_exists(pk)' } },
          ...events.map((e) => ({
            Put: { TableName, Item: eventItem(e), ConditionExpression: 'attribute_not_exists(pk)' },
          })),
        ]);
        return { case: c, created: true };
      } catch (err) {
        if (!(err instanceof TransactionCanceledError)) throw err;
        // The idempotency key was taken (a repeat: the loop returns the first case), the reference collided (the loop
        // draws another), or a concurrent transaction touched the same key (the loop tries again after a pause).
        await pause(Math.random() * 20 * attempt);
      }
    }
    throw new ConflictError('CASE.CREATE_CONTENDED', 'The case could not be stored; try again.');
  }

  async function getByReference(reference: string): Promise<Case | undefined> {
    const claim = await db.get(TableName, caseKeys.reference(reference));
    if (!claim) return undefined;
    return get(IdempotencyItem.parse(claim).caseId);
  }

  async function timeline(caseId: string): Promise<CaseEvent[]> {
    const events: CaseEvent[] = [];
    let lastKey: Item | undefined;
    do {
      const page = await db.query({
        TableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': caseKeys.case(caseId).pk, ':prefix': caseKeys.eventPrefix },
        ExclusiveStartKey: lastKey,
      });
      for (const it of page.items) events.push(CaseEventSchema.parse(it));
      lastKey = page.lastKey;
    } while (lastKey);
    return events;
  }

  /** Adds an event to the timeline without changing the case (notes, delivery statuses, access records). */
  async function appendEvent(caseId: string, draft: EventDraft): Promise<CaseEvent> {
    const event = makeEvent(caseId, draft, now().toISOString());
    try {
      await db.transactWrite([
        {
          ConditionCheck: {
            TableName,
            Key: caseKeys.case(caseId),
            ConditionExpression: 'attribute_exists(pk)',
          },
        },
        { Put: { TableName, Item: eventItem(event), ConditionExpression: 'attribute_not_exists(pk)' } },
      ]);
    } catch (err) {
      if (err instanceof TransactionCanceledError && err.reasons[0] === 'ConditionalCheckFailed') {
        throw new CaseNotFoundError();
      }
      throw err;
    }
    return event;
  }

  /**
   * Changes a case through optimistic concurrency. `change` gets the current case and returns the next one and the
   * events that record the change; the store bumps the version and writes case and events in one transaction.
   * With `expectedVersion`, a case changed meanwhile is a {@link VersionConflictError}; without it (the router,
   * the sweeper), the change is re-applied to the fresh case.
   */
  async function mutate(
    caseId: string,
    expectedVersion: number | undefined,
    change: (current: Case, at: string) => { next: Case; events: EventDraft[] } | undefined,
  ): Promise<{ case: Case; events: CaseEvent[]; changed: boolean }> {
    for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
      const current = await mustGet(caseId);
      if (expectedVersion !== undefined && current.version !== expectedVersion) {
        throw new VersionConflictError(expectedVersion, current.version);
      }
      const at = now().toISOString();
      const result = change(current, at);
      if (!result) return { case: current, events: [], changed: false };
      const next = CaseSchema.parse({ ...result.next, caseId, version: current.version + 1, updatedAt: at });
      const events = result.events.map((d) => makeEvent(caseId, d, at));
      try {
        await db.transactWrite([
          {
            Put: {
              TableName,
              Item: caseItem(next),
              ConditionExpression: 'version = :v',
              ExpressionAttributeValues: { ':v': current.version },
            },
          },
          ...events.map((e) => ({
            Put: { TableName, Item: eventItem(e), ConditionExpression: 'attribute_not_exists(pk)' },
          })),
        ]);
        return { case: next, events, changed: true };
      } catch (err) {
        if (!(err instanceof TransactionCanceledError || err instanceof ConditionFailedError)) throw err;
        await pause(Math.random() * 15 * attempt);
      }
    }
    throw new ConflictError('CASE.WRITE_CONTENDED', 'The case is being changed by others; try again.');
  }

  /**
   * Moves a case through its lifecycle. The rule for `action` names the statuses it may start from; anything else
   * is an {@link InvalidTransitionError}. The first time a clock step happens, its time is stamped.
   */
  async function transition(
    caseId: string,
    action: TransitionAction,
    options: {
      expectedVersion?: number;
      actor: Actor;
      reason?: string;
      data?: Record<string, unknown>;
      patch?: Partial<Case>;
    },
  ) {
    const rule = TRANSITIONS[action];
    return mutate(caseId, options.expectedVersion, (current, at) => {
      if (!rule.from.includes(current.status)) throw new InvalidTransitionError(action, current.status);
      const next: Case = { ...current, ...options.patch, status: rule.to };
      for (const field of rule.clears ?? []) delete next[field];
      for (const field of rule.stamps) {
        if (field === 'reopenedAt' || !next[field]) next[field] = at;
      }
      if (rule.to === 'reopened') {
        delete next.satisfaction;
        delete next.waitingOn;
      }
      return {
        next,
        events: [
          {
            type: 'transition',
            actor: options.actor,
            fromStatus: current.status as CaseStatus,
            toStatus: rule.to,
            reason: options.reason,
            data: { action, ...options.data },
          },
        ],
      };
    });
  }

  async function queryPage(
    query: { index?: string; pkAttr: string; pkValue: string; skAttr: string; from?: string; to?: string },
    options: { limit?: number; cursor?: string; newestFirst?: boolean },
  ): Promise<Page<Item>> {
    const names: Record<string, string> = { '#pk': query.pkAttr };
    const values: Item = { ':pk': query.pkValue };
    let condition = '#pk = :pk';
    if (query.from !== undefined || query.to !== undefined) {
      names['#sk'] = query.skAttr;
      values[':from'] = query.from ?? '';
      values[':to'] = query.to ?? '\uffff';
      condition += ' AND #sk BETWEEN :from AND :to';
    }
    const page = await db.query({
      TableName,
      IndexName: query.index,
      KeyConditionExpression: condition,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      Limit: Math.min(Math.max(options.limit ?? 50, 1), 200),
      ScanIndexForward: !options.newestFirst,
      ExclusiveStartKey: decodeCursor(options.cursor, { attribute: query.pkAttr, value: query.pkValue }),
    });
    return { items: page.items, cursor: encodeCursor(page.lastKey) };
  }

  const casesFrom = (page: Page<Item>): Page<Case> => ({
    items: page.items.map(caseFromItem),
    cursor: page.cursor,
  });
  const ix = tableDefinition.indexes;

  return {
    create,
    get,
    mustGet,
    getByReference,
    findIdempotent,
    timeline,
    appendEvent,
    mutate,
    transition,
    /** Open cases in one status, soonest due first; `dueBefore` bounds the due time (ISO). */
    listByStatusDue: async (
      status: CaseStatus,
      options: { dueBefore?: string; limit?: number; cursor?: string } = {},
    ) =>
      casesFrom(
        await queryPage(
          {
            index: 'byStatusDue',
            pkAttr: ix.byStatusDue.partitionKey,
            pkValue: caseKeys.statusPartition(status),
            skAttr: ix.byStatusDue.sortKey,
            to: options.dueBefore ? `${options.dueBefore}\uffff` : undefined,
          },
          options,
        ),
      ),
    /** A number's cases, newest first, found through the keyed hash. */
    listByPhoneHash: async (phoneHash: string, options: { limit?: number; cursor?: string } = {}) =>
      casesFrom(
        await queryPage(
          {
            index: 'byPhone',
            pkAttr: ix.byPhone.partitionKey,
            pkValue: caseKeys.phonePartition(phoneHash),
            skAttr: ix.byPhone.sortKey,
          },
          { ...options, newestFirst: true },
        ),
      ),
    /** Cases received in one month (`yyyy-mm`), optionally bounded by received time. */
    listByMonth: async (
      month: string,
      options: { from?: string; to?: string; limit?: number; cursor?: string; newestFirst?: boolean } = {},
    ) =>
      casesFrom(
        await queryPage(
          {
            index: 'byMonth',
            pkAttr: ix.byMonth.partitionKey,
            pkValue: caseKeys.monthPartition(month),
            skAttr: ix.byMonth.sortKey,
            from: options.from,
            to: options.to ? `${options.to}\uffff` : undefined,
          },
          options,
        ),
      ),
    /** Records that a case was routed to a focal point, so the focal point's queue is one Query. */
    linkFocalPoints: async (c: Case, focalPointIds: string[]) => {
      for (const fp of focalPointIds) {
        await db.put({
          TableName,
          Item: {
            ...caseKeys.focalPointLink(fp, c.receivedAt, c.caseId),
            entity: 'focal_point_link',
            caseId: c.caseId,
            focalPointId: fp,
          },
        });
      }
    },
    /** Case ids routed to a focal point, newest first. */
    listCaseIdsByFocalPoint: async (
      focalPointId: string,
      options: { limit?: number; cursor?: string } = {},
    ) => {
      const page = await queryPage(
        { pkAttr: 'pk', pkValue: caseKeys.focalPointPartition(focalPointId), skAttr: 'sk' },
        { ...options, newestFirst: true },
      );
      return { items: page.items.map((it) => String(it.caseId)), cursor: page.cursor };
    },
    /** Loads many cases by id in one round trip per 100. */
    getMany: async (caseIds: string[]): Promise<Case[]> => {
      const out: Case[] = [];
      for (let i = 0; i < caseIds.length; i += 100) {
        const items = await db.batchGet(
          TableName,
          caseIds.slice(i, i + 100).map((id) => caseKeys.case(id)),
        );
        for (const it of items) out.push(caseFromItem(it));
      }
      const order = new Map(caseIds.map((id, i) => [id, i]));
      return out.sort((a, b) => (order.get(a.caseId) ?? 0) - (order.get(b.caseId) ?? 0));
    },
  };
}

export type CaseStore = ReturnType<typeof makeCaseStore>;
