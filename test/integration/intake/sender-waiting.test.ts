import { randomBytes } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Platform } from '#functions/lib/platform.ts';
import { redact } from '#functions/retention/retain.ts';
import { caseKeys } from '#shared/cases/case-keys.ts';
import type { Case, NewCaseInput } from '#shared/cases/case-schema.ts';
import type { EventDraft } from '#shared/cases/case-store.ts';
import { VersionConflictError } from '#shared/errors/domain-error.ts';
import { setOptedOut } from '#shared/intake/opt-out.ts';
import { testPlatform } from '../../support/services.ts';

/**
 * The number's item (`SENDER#<hash>`) as the case store keeps it: a case that starts waiting on its complainant
 * joins the number's `waiting` set in the same transaction, and leaves it when it stops waiting or is redacted.
 */

const newKey = (p: string) => `${p}-${randomBytes(8).toString('hex')}`;

/** A distinct Iraqi mobile number per call, so the tests sharing one table never share a number's item. */
let phoneSeq = 0;
const newPhone = () => `+964770${String(1_000_000 + phoneSeq++ * 7919).slice(-7)}`;

const complaint = (extra: Partial<NewCaseInput> = {}): NewCaseInput => ({
  channel: 'web',
  idempotencyKey: newKey('web'),
  narrative: 'The water tank in the camp has been empty for three days.',
  language: 'ckb',
  consentToFollowUp: true,
  createdBy: { kind: 'complainant' },
  ...extra,
});

const noEvents: EventDraft[] = [];
const startWaiting = (c: Case, at: string) => ({
  next: { ...c, waitingOn: 'complainant' as const, waitingSince: at },
  events: noEvents,
});
const stopWaiting = (c: Case) => {
  const next: Case = { ...c };
  delete next.waitingOn;
  delete next.waitingSince;
  return { next, events: noEvents };
};

describe("the number's item keeps the cases waiting on it", () => {
  let platform: Platform;

  beforeAll(async () => {
    platform = await testPlatform();
  });

  /** The raw sender item of a number (consistent read), as DynamoDB holds it. */
  const senderItem = (phone: string) =>
    platform.db.get(
      platform.tableName,
      { pk: `SENDER#${platform.protector.hashPhone(phone)}`, sk: 'SENDER' },
      true,
    );

  it('a case that starts waiting joins its number’s set with its language; when it stops, it leaves', async () => {
    const phone = newPhone();
    const { case: c } = await platform.cases.create(
      complaint({ phone, receivedAt: '2026-04-01T08:00:00.000Z' }),
    );
    expect(await senderItem(phone)).toBeUndefined();

    const waiting = await platform.cases.mutate(c.caseId, 1, startWaiting);
    expect(waiting.changed).toBe(true);
    const afterStart = await senderItem(phone);
    expect(afterStart?.waiting).toEqual(new Set([`2026-04-01T08:00:00.000Z#${c.caseId}`]));
    expect(afterStart?.lang).toBe('ckb');
    expect(afterStart?.entity).toBe('sender');

    await platform.cases.mutate(c.caseId, 2, stopWaiting);
    const afterStop = await senderItem(phone);
    // DynamoDB drops a set once its last member is deleted; the item itself (and its language) stays.
    expect(afterStop).toBeDefined();
    expect(afterStop?.waiting).toBeUndefined();
    expect(afterStop?.lang).toBe('ckb');
    expect((await platform.cases.mustGet(c.caseId)).version).toBe(3);
  });

  it('a change to a case that keeps waiting leaves its membership as it was', async () => {
    const phone = newPhone();
    const { case: c } = await platform.cases.create(
      complaint({ phone, receivedAt: '2026-04-02T08:00:00.000Z' }),
    );
    await platform.cases.mutate(c.caseId, 1, startWaiting);
    await platform.cases.mutate(c.caseId, 2, (cur) => ({
      next: { ...cur, assignee: 'u-officer' },
      events: noEvents,
    }));
    expect((await senderItem(phone))?.waiting).toEqual(new Set([`2026-04-02T08:00:00.000Z#${c.caseId}`]));
  });

  it('two waiting cases of one number are both listed, and one that stops leaves only itself', async () => {
    const phone = newPhone();
    const { case: first } = await platform.cases.create(
      complaint({ phone, language: 'ar', receivedAt: '2026-04-03T08:00:00.000Z' }),
    );
    const { case: second } = await platform.cases.create(
      complaint({ phone, language: 'kmr', receivedAt: '2026-04-04T09:30:00.000Z' }),
    );
    await platform.cases.mutate(first.caseId, 1, startWaiting);
    expect((await senderItem(phone))?.lang).toBe('ar');
    await platform.cases.mutate(second.caseId, 1, startWaiting);

    const both = await senderItem(phone);
    expect(both?.waiting).toEqual(
      new Set([`2026-04-03T08:00:00.000Z#${first.caseId}`, `2026-04-04T09:30:00.000Z#${second.caseId}`]),
    );
    // The language of the case that began waiting last.
    expect(both?.lang).toBe('kmr');

    await platform.cases.mutate(first.caseId, 2, stopWaiting);
    expect((await senderItem(phone))?.waiting).toEqual(
      new Set([`2026-04-04T09:30:00.000Z#${second.caseId}`]),
    );
  });

  it('a waiting case that retention redacts leaves its number’s set', async () => {
    const phone = newPhone();
    const { case: other } = await platform.cases.create(
      complaint({ phone, receivedAt: '2026-04-05T08:00:00.000Z' }),
    );
    const { case: c } = await platform.cases.create(
      complaint({ phone, receivedAt: '2026-04-06T08:00:00.000Z' }),
    );
    await platform.cases.mutate(other.caseId, 1, startWaiting);
    await platform.cases.mutate(c.caseId, 1, startWaiting);
    expect((await senderItem(phone))?.waiting).toEqual(
      new Set([`2026-04-05T08:00:00.000Z#${other.caseId}`, `2026-04-06T08:00:00.000Z#${c.caseId}`]),
    );

    const redacted = await platform.cases.mutate(c.caseId, 2, (cur, at) => ({
      next: redact(cur, at),
      events: noEvents,
    }));
    // Redaction keeps `waitingOn` but drops the contact: the case no longer waits on anyone it could hear from.
    expect(redacted.case.waitingOn).toBe('complainant');
    expect(redacted.case.contact).toEqual({});
    expect((await senderItem(phone))?.waiting).toEqual(new Set([`2026-04-05T08:00:00.000Z#${other.caseId}`]));
  });

  it('the store’s set changes keep the number’s opt-out', async () => {
    const phone = newPhone();
    const hash = platform.protector.hashPhone(phone);
    await setOptedOut(platform.db, platform.tableName, hash, true, '2026-04-07T07:00:00.000Z');
    const { case: c } = await platform.cases.create(
      complaint({ phone, receivedAt: '2026-04-07T08:00:00.000Z' }),
    );
    await platform.cases.mutate(c.caseId, 1, startWaiting);
    const waiting = await senderItem(phone);
    expect(waiting?.optedOut).toBe(true);
    expect(waiting?.optOutChangedAt).toBe('2026-04-07T07:00:00.000Z');
    expect(waiting?.waiting).toEqual(new Set([`2026-04-07T08:00:00.000Z#${c.caseId}`]));

    await platform.cases.mutate(c.caseId, 2, stopWaiting);
    const stopped = await senderItem(phone);
    expect(stopped?.optedOut).toBe(true);
    expect(stopped?.optOutChangedAt).toBe('2026-04-07T07:00:00.000Z');
    expect(stopped?.waiting).toBeUndefined();
  });

  it('a case without a phone that waits writes no number item at all', async () => {
    // A table of its own, so "no number item" can be checked over the whole table.
    const own = await testPlatform();
    const { case: c } = await own.cases.create(complaint({ receivedAt: '2026-04-08T08:00:00.000Z' }));
    expect(c.contact.phoneHash).toBeUndefined();
    const r = await own.cases.mutate(c.caseId, 1, startWaiting);
    expect(r.changed).toBe(true);
    expect(r.case.waitingOn).toBe('complainant');

    const scan = await own.db.client.send(
      new ScanCommand({ TableName: own.tableName, ConsistentRead: true }),
    );
    const items = scan.Items ?? [];
    const numberItems = items.filter(
      (i) => i.pk?.S?.startsWith('SENDER') || i.entity?.S === 'sender' || 'waiting' in i,
    );
    expect(numberItems).toEqual([]);
    expect(items.some((i) => i.pk?.S === `CASE#${c.caseId}`)).toBe(true);
  });

  it('a change refused for a stale version writes nothing to the number’s item', async () => {
    const phone = newPhone();
    const { case: c } = await platform.cases.create(
      complaint({ phone, receivedAt: '2026-04-09T08:00:00.000Z' }),
    );
    await platform.cases.mutate(c.caseId, 1, (cur) => ({
      next: { ...cur, assignee: 'u-officer' },
      events: noEvents,
    }));

    // Version 1 is stale (the case is at 2): starting to wait is refused.
    await expect(platform.cases.mutate(c.caseId, 1, startWaiting)).rejects.toBeInstanceOf(
      VersionConflictError,
    );
    expect(await senderItem(phone)).toBeUndefined();
    expect((await platform.cases.mustGet(c.caseId)).waitingOn).toBeUndefined();

    // And once it waits, a stale stop leaves it in the set.
    await platform.cases.mutate(c.caseId, 2, startWaiting);
    await expect(platform.cases.mutate(c.caseId, 2, stopWaiting)).rejects.toBeInstanceOf(
      VersionConflictError,
    );
    expect((await senderItem(phone))?.waiting).toEqual(new Set([`2026-04-09T08:00:00.000Z#${c.caseId}`]));
    expect((await platform.cases.mustGet(c.caseId)).version).toBe(3);
  });

  it('a change whose transaction loses to a concurrent write leaves the number’s item agreeing with the case', async () => {
    // The competing write is sent from inside `change`, after the store read the case and before its transaction,
    // and the store's transaction is held (an SDK middleware on the same client) until that write has landed, so
    // the transaction's `version = :v` condition fails every time rather than only when the timing happens to say
    // so. The number's set must then say what the stored case says: nothing waits.
    let competing: Promise<unknown> | undefined;
    const HOLD = 'test-hold-transaction-for-competing-write';
    platform.db.client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'TransactWriteItemsCommand' && competing) await competing;
        return next(args);
      },
      { step: 'initialize', name: HOLD },
    );
    try {
      for (let round = 0; round < 3; round++) {
        competing = undefined;
        const phone = newPhone();
        const receivedAt = `2026-04-10T08:${String(round).padStart(2, '0')}:00.000Z`;
        const { case: c } = await platform.cases.create(complaint({ phone, receivedAt }));
        const outcome = await platform.cases
          .mutate(c.caseId, 1, (cur, at) => {
            competing ??= platform.db
              .update({
                TableName: platform.tableName,
                Key: caseKeys.case(c.caseId),
                UpdateExpression: 'SET version = :two, assignee = :a',
                ConditionExpression: 'version = :one',
                ExpressionAttributeValues: { ':one': 1, ':two': 2, ':a': 'u-racer' },
              })
              .catch((err: unknown) => err);
            return startWaiting(cur, at);
          })
          .then(
            () => 'won' as const,
            (err: unknown) => (err instanceof VersionConflictError ? ('lost' as const) : err),
          );
        expect(outcome).toBe('lost');
        expect(await competing).toBeUndefined();
        const stored = await platform.cases.mustGet(c.caseId);
        expect(stored.assignee).toBe('u-racer');
        expect(stored.waitingOn).toBeUndefined();
        expect((await senderItem(phone))?.waiting).toBeUndefined();
      }
    } finally {
      platform.db.client.middlewareStack.remove(HOLD);
    }
  });
});
