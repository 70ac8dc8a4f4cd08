import { randomBytes } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { transitionChange } from '#functions/cases/lifecycle.ts';
import { caseKeys } from '#shared/cases/case-keys.ts';
import type { NewCaseInput } from '#shared/cases/case-schema.ts';
import { makeCaseStore } from '#shared/cases/case-store.ts';
import { ConditionFailedError } from '#shared/errors/aws-errors.ts';
import { DomainError } from '#shared/errors/domain-error.ts';
import { makePersonalDataProtector } from '#shared/privacy/personal-data.ts';
import type { DynamoDb } from '#shared/store/dynamodb.ts';
import { REFERENCE_PATTERN, referenceFor } from '#shared/store/ids.ts';
import { testDb } from '../support/services.ts';

const staff = { kind: 'staff', id: 'u-officer', role: 'officer' } as const;
const input = (key: string, extra: Partial<NewCaseInput> = {}): NewCaseInput => ({
  channel: 'sms',
  idempotencyKey: key,
  narrative: 'The water tank in the camp has been empty for three days.',
  language: 'en',
  createdBy: { kind: 'complainant' },
  ...extra,
});

/** Every item in the table (a test-only Scan: the request paths never scan). */
async function allItems(db: DynamoDb, TableName: string): Promise<Record<string, unknown>[]> {
  const out = await db.client.send(new ScanCommand({ TableName }));
  return out.Items ?? [];
}

describe('case store against DynamoDB Local', () => {
  let db: DynamoDb;
  let tableName: string;
  let store: ReturnType<typeof makeCaseStore>;
  const protector = makePersonalDataProtector({ encryptionKey: randomBytes(32), hashKey: randomBytes(32) });

  beforeAll(async () => {
    ({ db, tableName } = await testDb());
    store = makeCaseStore({ db, tableName, protector });
  });

  it('a failed conditional write hands back the item it found, when asked to', async () => {
    const key = { pk: `PROBE#${randomBytes(4).toString('hex')}`, sk: 'PROBE' };
    await db.put({ TableName: tableName, Item: { ...key, note: 'first' } });
    const again = (returnItem: boolean) =>
      db
        .put({
          TableName: tableName,
          Item: { ...key, note: 'second' },
          ConditionExpression: 'attribute_not_exists(pk)',
          ...(returnItem ? { ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const } : {}),
        })
        .then(
          () => undefined,
          (err: unknown) => err,
        );
    const asked = await again(true);
    expect(asked).toBeInstanceOf(ConditionFailedError);
    expect((asked as ConditionFailedError).item).toEqual({ ...key, note: 'first' });
    const notAsked = await again(false);
    expect(notAsked).toBeInstanceOf(ConditionFailedError);
    expect((notAsked as ConditionFailedError).item).toBeUndefined();
  });

  it('50 concurrent creates with one idempotency key give exactly one case', async () => {
    const key = `SM${randomBytes(16).toString('hex')}`;
    const results = await Promise.all(Array.from({ length: 50 }, () => store.create(input(key))));
    const ids = new Set(results.map((r) => r.case.caseId));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const [caseId] = [...ids];
    const timeline = await store.timeline(caseId as string);
    expect(timeline.filter((e) => e.type === 'received')).toHaveLength(1);
  });

  // A generous deadline: 1,000 writes to DynamoDB Local took over a minute on the two-core machine while the e2e
  // lane ran beside this tier. The test waits on the writes themselves, so a quiet machine finishes in seconds.
  it('1,000 concurrent creates with distinct keys give 1,000 distinct, phone-friendly references', {
    timeout: 600_000,
  }, async () => {
    const results = await Promise.all(
      Array.from({ length: 1000 }, (_, i) =>
        store.create(input(`bulk-${i}-${randomBytes(4).toString('hex')}`)),
      ),
    );
    const refs = results.map((r) => r.case.reference);
    expect(new Set(refs).size).toBe(1000);
    for (const ref of refs) {
      expect(ref).toMatch(REFERENCE_PATTERN);
      expect(ref).not.toMatch(/[01OIL]/);
    }
    // Each reference resolves back to its own case.
    const sample = results.slice(0, 20);
    for (const r of sample)
      expect((await store.getByReference(r.case.reference))?.caseId).toBe(r.case.caseId);
  });

  it('a key whose first reference is taken by another case moves to its next draw, and repeats find it there', async () => {
    const key = `collide-${randomBytes(4).toString('hex')}`;
    const taken = referenceFor(key, 0);
    const squatter = await store.create(input(`squatter-${randomBytes(4).toString('hex')}`));
    // Put another case's item where this key's first draw would go.
    await db.put({
      TableName: tableName,
      Item: {
        ...(await db.get(tableName, caseKeys.case(squatter.case.caseId))),
        pk: caseKeys.case(taken).pk,
        caseId: taken,
        reference: taken,
      },
    });
    const first = await store.create(input(key));
    expect(first.created).toBe(true);
    expect(first.case.reference).toBe(referenceFor(key, 1));
    const again = await store.create(input(key));
    expect(again.created).toBe(false);
    expect(again.case.reference).toBe(first.case.reference);
    expect((await store.findIdempotent(key))?.caseId).toBe(first.case.caseId);
  });

  it('reads a case by id and by reference, and keeps the phone number encrypted', async () => {
    const { case: c } = await store.create(
      input(`read-${randomBytes(4).toString('hex')}`, { phone: '+9647701234567' }),
    );
    expect((await store.get(c.caseId))?.reference).toBe(c.reference);
    expect((await store.getByReference(c.reference))?.caseId).toBe(c.caseId);
    const raw = JSON.stringify(await db.get(tableName, caseKeys.case(c.caseId)));
    expect(raw).not.toContain('7701234567');
    expect(protector.decrypt(c.contact.phoneCipher as string)).toBe('+9647701234567');
    const byPhone = await store.listByPhoneHash(protector.hashPhone('+9647701234567'));
    expect(byPhone.items.map((x) => x.caseId)).toContain(c.caseId);
  });

  it('the timeline is append-only: events accumulate in order and keep their content', async () => {
    const { case: c } = await store.create(input(`tl-${randomBytes(4).toString('hex')}`));
    await store.appendEvent(c.caseId, { type: 'note', actor: staff, reason: 'Called back, no answer.' });
    await store.mutate(c.caseId, undefined, (current, at) =>
      transitionChange(current, 'acknowledge', at, { actor: staff }),
    );
    await store.appendEvent(c.caseId, {
      type: 'note',
      actor: staff,
      reason: 'Second call, spoke to the person.',
    });
    const events = await store.timeline(c.caseId);
    expect(events.map((e) => e.type)).toEqual(['received', 'note', 'transition', 'note']);
    expect(events[1]?.reason).toBe('Called back, no answer.');
  });

  it('entries written together keep the order the change gave them, though they share one time', async () => {
    const { case: c } = await store.create(input(`order-${randomBytes(4).toString('hex')}`));
    const system = { kind: 'system', id: 'router' } as const;
    const drafts = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth'].map((reason) => ({
      type: 'note' as const,
      actor: system,
      reason,
    }));
    // Ten writes of six entries each: were their ids drawn at random within the millisecond, the chance that all
    // sixty kept their order would be (1/720)^10.
    for (let i = 0; i < 10; i++) {
      await store.mutate(c.caseId, undefined, (current) => ({ next: current, events: drafts }));
    }
    const notes = (await store.timeline(c.caseId)).filter((e) => e.type === 'note');
    expect(notes).toHaveLength(60);
    for (let i = 0; i < 10; i++) {
      const write = notes.slice(i * 6, i * 6 + 6);
      expect(new Set(write.map((e) => e.at)).size).toBe(1);
      expect(write.map((e) => e.reason)).toEqual(drafts.map((d) => d.reason));
    }
  });

  it('invalid input names the field and writes nothing', async () => {
    const before = (await allItems(db, tableName)).length;
    const bad = {
      ...input(`invalid-${randomBytes(4).toString('hex')}`),
      channel: 'carrier-pigeon',
      phone: '0770 123',
    };
    const err = await store.create(bad as never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    const details = (err as DomainError).details as { path: string }[];
    expect(details.map((d) => d.path)).toEqual(expect.arrayContaining(['channel', 'phone']));
    expect((err as DomainError).code).toBe('REQUEST.INVALID');
    expect(JSON.stringify(err)).not.toContain('0770 123');
    expect((await allItems(db, tableName)).length).toBe(before);
  });

  it('an event with an unknown type is refused and nothing is appended', async () => {
    const { case: c } = await store.create(input(`ev-${randomBytes(4).toString('hex')}`));
    await expect(store.appendEvent(c.caseId, { type: 'gossip', actor: staff } as never)).rejects.toThrow();
    expect(await store.timeline(c.caseId)).toHaveLength(1);
  });
});
