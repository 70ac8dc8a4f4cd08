import type { AgencyDecision, AgencyInput } from '../agencies/choose-agency.ts';
import { ConditionFailedError, TransactionCanceledError } from '../errors/aws-errors.ts';
import {
  CaseNotFoundError,
  ConflictError,
  parseOrThrow,
  VersionConflictError,
} from '../errors/domain-error.ts';
import {
  awaitsSatisfaction,
  holdsFollowUps,
  senderKey,
  waitingMember,
  waitsOnComplainant,
} from '../intake/sender.ts';
import type { PersonalDataProtector } from '../privacy/personal-data.ts';
import { decodeCursor, encodeCursor } from '../store/cursor.ts';
import type { DynamoDb, Item, TransactItem } from '../store/dynamodb.ts';
import { newId, normaliseReference, referenceFor } from '../store/ids.ts';
import { tableDefinition } from '../store/table-definition.ts';
import { caseIndexAttributes, caseKeys } from './case-keys.ts';
import {
  type Case,
  type CaseEvent,
  CaseEventSchema,
  CaseSchema,
  type CaseStatus,
  type NewCaseInput,
  NewCaseInputSchema,
} from './case-schema.ts';

export interface CaseStoreDeps {
  db: DynamoDb;
  tableName: string;
  protector: PersonalDataProtector;
  now?: () => Date;
  /**
   * Decides a new case's agency from the agency records (shared/agencies/choose-agency.ts), before the case is
   * written, so it never sits in another agency's lists. Without it every case is the default agency's.
   */
  assignAgency?: (input: AgencyInput) => Promise<AgencyDecision | undefined>;
}

/** A timeline entry before the store gives it an id and a time. */
export type EventDraft = Omit<CaseEvent, 'caseId' | 'eventId' | 'at'> & { at?: string };

export interface Page<T> {
  items: T[];
  cursor?: string;
}

const MAX_WRITE_ATTEMPTS = 8;
/** Reference draws per idempotency key: with 6.6 × 10^11 references, needing a third is already unheard of. */
const MAX_REFERENCE_DRAWS = 12;

/** The "received" entry of a timeline, as the case item records it. */
export function receivedEvent(c: Case): CaseEvent {
  return {
    caseId: c.caseId,
    eventId: `${c.caseId}-received`,
    at: c.receivedAt,
    type: 'received',
    actor: c.createdBy,
    toStatus: 'new',
    data: { channel: c.channel },
  };
}
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
  /**
   * The number items' side of a change, written in the same transaction as the case. A case that starts waiting on
   * its complainant joins its number's `waiting` set (so the SMS webhook threads the next reply onto it), and one
   * that stops (answered, reopened, redacted) leaves it. A restricted (S2/S3) case that is not closed is in its
   * number's `restricted` set (so a later message from the number joins it), from its creation or its
   * reclassification until it closes, is reclassified below S2 or is redacted. One Update per number item, as a
   * transaction may touch an item only once.
   */
  const senderUpdates = (current: Case | undefined, next: Case): TransactItem[] => {
    const sets = [
      { attribute: 'waiting', holds: waitsOnComplainant },
      { attribute: 'surveyed', holds: awaitsSatisfaction },
      { attribute: 'restricted', holds: holdsFollowUps },
    ] as const;
    const byHash = new Map<string, { add: string[]; remove: string[] }>();
    const of = (hash: string) => {
      const ops = byHash.get(hash) ?? { add: [], remove: [] };
      byHash.set(hash, ops);
      return ops;
    };
    for (const { attribute, holds } of sets) {
      const was = current && holds(current) ? current.contact.phoneHash : undefined;
      const is = holds(next) ? next.contact.phoneHash : undefined;
      if (was === is) continue;
      if (was) of(was).remove.push(attribute);
      if (is) of(is).add.push(attribute);
    }
    const member = new Set([waitingMember(next)]);
    return [...byHash].map(([hash, ops]) => {
      const values: Item = {};
      const clauses: string[] = [];
      if (ops.add.length) {
        clauses.push(`ADD ${ops.add.map((a) => `${a} :m`).join(', ')}`);
        values[':m'] = member;
        values[':entity'] = 'sender';
        // The satisfaction question goes out in the case's language: a bare "1" is answered in it.
        const lang = ops.add.includes('waiting') ? ', lang = :lang' : '';
        if (lang) values[':lang'] = next.language;
        clauses.push(`SET entity = :entity${lang}`);
      }
      if (ops.remove.length) {
        clauses.push(`DELETE ${ops.remove.map((a) => `${a} :m`).join(', ')}`);
        values[':m'] = member;
      }
      return {
        Update: {
          TableName,
          Key: senderKey(hash),
          UpdateExpression: clauses.join(' '),
          ExpressionAttributeValues: values,
        },
      };
    });
  };
  /**
   * The focal-point links' side of a change (the items behind each focal point's queue), in the same transaction
   * as the case: a case re-routed (reclassified, raised by what it says) leaves the old queues and enters the new
   * ones at once, not a moment later.
   */
  const focalPointLinkUpdates = (current: Case, next: Case): TransactItem[] => {
    const was = new Set(current.routing?.focalPoints ?? []);
    const is = new Set(next.routing?.focalPoints ?? []);
    const out: TransactItem[] = [];
    for (const fp of is) {
      if (was.has(fp) && current.receivedAt === next.receivedAt) continue;
      out.push({
        Put: {
          TableName,
          Item: {
            ...caseKeys.focalPointLink(fp, next.receivedAt, next.caseId),
            entity: 'focal_point_link',
            caseId: next.caseId,
            focalPointId: fp,
          },
        },
      });
    }
    for (const fp of was) {
      if (is.has(fp)) continue;
      out.push({
        Delete: { TableName, Key: caseKeys.focalPointLink(fp, current.receivedAt, current.caseId) },
      });
    }
    return out;
  };
  const makeEvent = (caseId: string, draft: EventDraft, at: string, eventId = newId(Date.parse(at))) =>
    CaseEventSchema.parse({ ...draft, caseId, eventId, at: draft.at ?? at });
  /**
   * The entries of one write, in the order the change gave them: they share its time, and the timeline sorts on time
   * then id, so their ids are drawn first and handed out sorted (else "Routed" could come before "Classified").
   */
  const makeEvents = (caseId: string, drafts: readonly EventDraft[], at: string): CaseEvent[] => {
    const ids = drafts.map(() => newId(Date.parse(at))).sort();
    return drafts.map((d, i) => makeEvent(caseId, d, at, ids[i]));
  };

  async function get(caseId: string, consistent = false): Promise<Case | undefined> {
    const item = await db.get(TableName, caseKeys.case(caseId), consistent);
    return item ? caseFromItem(item) : undefined;
  }

  async function mustGet(caseId: string, consistent = true): Promise<Case> {
    const c = await get(caseId, consistent);
    if (!c) throw new CaseNotFoundError();
    return c;
  }

  /**
   * The case opened for a channel's idempotency key, if any: its references are tried in the order `create` draws
   * them, so this is one or two consistent reads.
   */
  async function findIdempotent(key: string): Promise<Case | undefined> {
    for (let n = 0; n < MAX_REFERENCE_DRAWS; n++) {
      const item = await db.get(TableName, caseKeys.case(referenceFor(key, n)), true);
      if (!item) return undefined;
      if (item.idempotencyKey === key) return caseFromItem(item);
    }
    return undefined;
  }

  /**
   * Opens a case, or returns the case already opened for the same idempotency key (`created: false`).
   *
   * One conditional PutItem does it all. The reference is drawn deterministically from the idempotency key
   * (`referenceFor(key, n)`), and the case is keyed by its reference, so the write's condition
   * `attribute_not_exists(pk)` at once keeps references unique and makes repeats idempotent: a repeat of a delivery
   * finds its own case under the same reference (handed back by `ReturnValuesOnConditionCheckFailure`), while a
   * different key that happens to draw a taken reference moves on to its next draw. The timeline's first entry
   * ("received") is the case item itself. Only an information request resolved on the call also writes an event,
   * in one transaction with the case.
   */
  async function create(rawInput: NewCaseInput): Promise<{ case: Case; created: boolean }> {
    const input = parseOrThrow(NewCaseInputSchema, rawInput);
    const contact = {
      phoneCipher: input.phone ? protector.encrypt(input.phone) : undefined,
      phoneHash: input.phone ? protector.hashPhone(input.phone) : undefined,
      nameCipher: input.name ? protector.encrypt(input.name) : undefined,
    };
    const decided: AgencyDecision | undefined = input.agency
      ? { agency: input.agency, basis: 'operator' }
      : await deps.assignAgency?.({
          receivedOn: input.receivedOn,
          programme: input.programme,
          location: input.location,
        });
    // A deployment without agencies stores its cases exactly as before: no agency attributes at all.
    const agency = decided ? { agency: decided.agency, agencyBasis: decided.basis } : {};
    let contended = 0;
    for (let n = 0; n < MAX_REFERENCE_DRAWS; n++) {
      const at = now().toISOString();
      const receivedAt = input.receivedAt ?? at;
      const reference = referenceFor(input.idempotencyKey, n);
      const resolved = input.resolvedOnContact;
      const c: Case = CaseSchema.parse({
        caseId: reference,
        reference,
        version: 1,
        ...agency,
        staffVersion: 1,
        status: resolved ? 'resolved' : 'new',
        channel: input.channel,
        ...(input.transport ? { transport: input.transport } : {}),
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
        consentToShare: input.consentToShare,
        contact,
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
      let existing: Item | undefined;
      // A case restricted from the start (an abuse report on the IVR, a sensitive category chosen) is entered on its
      // number's item in the same transaction; every other case is one PutItem.
      const alongside: TransactItem[] = senderUpdates(undefined, c);
      if (resolved) {
        const event = makeEvent(
          reference,
          {
            type: 'transition',
            actor: input.createdBy,
            fromStatus: 'new',
            toStatus: 'resolved',
            reason: resolved.note,
            data: { action: 'resolve', outcome: resolved.outcome, onContact: true },
          },
          at,
        );
        alongside.push({
          Put: { TableName, Item: eventItem(event), ConditionExpression: 'attribute_not_exists(pk)' },
        });
      }
      try {
        if (!alongside.length) {
          await db.put({
            TableName,
            Item: caseItem(c),
            ConditionExpression: 'attribute_not_exists(pk)',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          });
        } else {
          await db.transactWrite([
            { Put: { TableName, Item: caseItem(c), ConditionExpression: 'attribute_not_exists(pk)' } },
            ...alongside,
          ]);
        }
        return { case: c, created: true };
      } catch (err) {
        if (err instanceof ConditionFailedError) {
          existing = err.item ?? (await db.get(TableName, caseKeys.case(reference), true));
        } else if (err instanceof TransactionCanceledError && err.reasons[0] === 'ConditionalCheckFailed') {
          existing = await db.get(TableName, caseKeys.case(reference), true);
        } else if (err instanceof TransactionCanceledError && contended++ < MAX_WRITE_ATTEMPTS) {
          // Another transaction held the item for a moment: the same draw again after a pause.
          await pause(Math.random() * 20 * contended);
          n--;
          continue;
        } else {
          throw err;
        }
      }
      if (existing?.idempotencyKey === input.idempotencyKey)
        return { case: caseFromItem(existing), created: false };
      // The reference belongs to another case: the next draw.
    }
    throw new ConflictError('CASE.CREATE_CONTENDED', 'The case could not be stored; try again.');
  }

  /** A case by its reference (the reference is the case id; the argument is normalised first). */
  async function getByReference(reference: string): Promise<Case | undefined> {
    const ref = normaliseReference(reference);
    return ref ? get(ref) : undefined;
  }

  /**
   * The case's timeline, oldest first. Its first entry, "received", is read from the case item itself (the case is
   * written in a single PutItem); every later entry is an event item of the same partition, so one Query serves all.
   */
  async function timeline(caseId: string): Promise<CaseEvent[]> {
    const events: CaseEvent[] = [];
    const items = await db.queryAll({
      TableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': caseKeys.case(caseId).pk },
      ConsistentRead: true,
    });
    for (const it of items) {
      if (it.sk === caseKeys.case(caseId).sk) events.push(receivedEvent(caseFromItem(it)));
      else if (String(it.sk).startsWith(caseKeys.eventPrefix)) events.push(CaseEventSchema.parse(it));
    }
    return events;
  }

  /**
   * Writes an event in one transaction with a check that the case exists and, given `idempotencyKey`, the marker
   * (`IDEMP#<key>` → case id). Returns undefined when the marker was already there. An unknown case is a
   * {@link CaseNotFoundError}.
   */
  async function writeEvent(
    caseId: string,
    draft: EventDraft,
    idempotencyKey?: string,
  ): Promise<CaseEvent | undefined> {
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
        ...(idempotencyKey
          ? [
              {
                Put: {
                  TableName,
                  Item: { ...caseKeys.idempotency(idempotencyKey), entity: 'idempotency', caseId },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
            ]
          : []),
      ]);
    } catch (err) {
      if (!(err instanceof TransactionCanceledError)) throw err;
      if (err.reasons[0] === 'ConditionalCheckFailed') throw new CaseNotFoundError();
      if (idempotencyKey && err.reasons[2] === 'ConditionalCheckFailed') return undefined;
      throw err;
    }
    return event;
  }

  /** Adds an event to the timeline without changing the case (notes, delivery statuses, access records). */
  async function appendEvent(caseId: string, draft: EventDraft): Promise<CaseEvent> {
    return (await writeEvent(caseId, draft))!;
  }

  /**
   * Adds an event at most once for a channel's own id (a Twilio RecordingSid, a status callback): a repeat writes
   * nothing and answers `duplicate: true`.
   */
  async function appendEventOnce(
    caseId: string,
    draft: EventDraft,
    idempotencyKey: string,
  ): Promise<{ event?: CaseEvent; duplicate: boolean }> {
    const event = await writeEvent(caseId, draft, idempotencyKey);
    return event ? { event, duplicate: false } : { duplicate: true };
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
    options: { idempotencyKey?: string } = {},
  ): Promise<{ case: Case; events: CaseEvent[]; changed: boolean; duplicate?: boolean }> {
    const marker = options.idempotencyKey
      ? [
          {
            Put: {
              TableName,
              Item: { ...caseKeys.idempotency(options.idempotencyKey), entity: 'idempotency', caseId },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ]
      : [];
    for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
      const current = await mustGet(caseId);
      if (expectedVersion !== undefined && current.version !== expectedVersion) {
        throw new VersionConflictError(expectedVersion, current.version);
      }
      const at = now().toISOString();
      const result = change(current, at);
      if (!result) return { case: current, events: [], changed: false };
      const version = current.version + 1;
      const events = makeEvents(
        caseId,
        result.events.map((d) => ({ ...d, version })),
        at,
      );
      // A follow-up from the person is what the desks' "new message" flag compares with the last staff action.
      const followUps = events
        .filter((e) => e.type === 'message_in' && e.actor.kind === 'complainant')
        .map((e) => e.at);
      const lastMessageInAt = [result.next.lastMessageInAt, ...followUps]
        .filter((t): t is string => t !== undefined)
        .sort()
        .at(-1);
      const next = CaseSchema.parse({
        ...result.next,
        ...(lastMessageInAt ? { lastMessageInAt } : {}),
        caseId,
        version,
        updatedAt: at,
      });
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
          ...marker,
          ...events.map((e) => ({
            Put: { TableName, Item: eventItem(e), ConditionExpression: 'attribute_not_exists(pk)' },
          })),
          ...senderUpdates(current, next),
          ...focalPointLinkUpdates(current, next),
        ]);
        return { case: next, events, changed: true };
      } catch (err) {
        if (!(err instanceof TransactionCanceledError || err instanceof ConditionFailedError)) throw err;
        // With an idempotency key, a claimed marker means this change was made before: nothing is written again.
        if (
          marker.length &&
          err instanceof TransactionCanceledError &&
          err.reasons[1] === 'ConditionalCheckFailed'
        ) {
          return { case: current, events: [], changed: false, duplicate: true };
        }
        await pause(Math.random() * 15 * attempt);
      }
    }
    throw new ConflictError('CASE.WRITE_CONTENDED', 'The case is being changed by others; try again.');
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
    appendEventOnce,
    mutate,
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
