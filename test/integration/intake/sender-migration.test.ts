import { randomBytes } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { ensureTable } from '#local/dynamodb-local.ts';
import { caseKeys } from '#shared/cases/case-keys.ts';
import type { NewCaseInput } from '#shared/cases/case-schema.ts';
import { makeCaseStore } from '#shared/cases/case-store.ts';
import { makePersonalDataProtector } from '#shared/privacy/personal-data.ts';
import type { DynamoDb, Item } from '#shared/store/dynamodb.ts';
import { testDb } from '../../support/services.ts';

/**
 * A local table kept from before numbers had their own item: opt-outs as items of their own (`OPTOUT#<hash>`) and
 * waiting cases with nothing on any number item. The next start-up (`ensureTable` on the existing table) moves
 * both onto the number items, once.
 */

const MARKER = { pk: 'MIGRATION#sender-items', sk: 'MIGRATION' };
const sender = (hash: string) => ({ pk: `SENDER#${hash}`, sk: 'SENDER' });
const optOutItem = (hash: string, optedOut: boolean, changedAt: string) => ({
  pk: `OPTOUT#${hash}`,
  sk: 'OPTOUT',
  entity: 'opt_out',
  optedOut,
  changedAt,
});

const complaint = (extra: Partial<NewCaseInput>): NewCaseInput => ({
  channel: 'hotline',
  idempotencyKey: `CA${randomBytes(16).toString('hex')}`,
  narrative: 'The distribution list skipped our family.',
  language: 'ar',
  consentToFollowUp: true,
  createdBy: { kind: 'complainant' },
  ...extra,
});

/** Every pk in the table (a test-only Scan). */
async function allKeys(db: DynamoDb, TableName: string): Promise<string[]> {
  const out = await db.client.send(new ScanCommand({ TableName, ConsistentRead: true }));
  return (out.Items ?? []).map((i) => String(i.pk?.S)).sort();
}

describe('a local table from before number items', () => {
  it('has its opt-outs and waiting cases moved onto number items at the next start-up, once', async () => {
    const { db, tableName } = await testDb();
    const get = (key: Item) => db.get(tableName, key, true);
    // A table just created is not marked: the migration is left to its next start-up.
    expect(await get(MARKER)).toBeUndefined();

    const protector = makePersonalDataProtector({ encryptionKey: randomBytes(32), hashKey: randomBytes(32) });
    const store = makeCaseStore({ db, tableName, protector });
    const phoneA = '+9647701234567';
    const phoneB = '+9647509876543';
    const hashA = protector.hashPhone(phoneA);
    const hashB = protector.hashPhone(phoneB);

    /** Stores a case as the old version left it: the raw item with `extra`, and no number item. */
    const oldCase = async (input: Partial<NewCaseInput>, extra: Item) => {
      const { case: c } = await store.create(complaint(input));
      const raw = await get(caseKeys.case(c.caseId));
      await db.put({ TableName: tableName, Item: { ...raw, ...extra } });
      return c.caseId;
    };
    const waiting = { waitingOn: 'complainant', waitingSince: '2026-02-01T10:00:00.000Z' };

    // Number A: opted out, with two waiting cases, one answered case and one waiting case that was redacted.
    await db.put({ TableName: tableName, Item: optOutItem(hashA, true, '2026-01-02T03:04:05.000Z') });
    const a1 = await oldCase({ phone: phoneA, receivedAt: '2026-01-10T08:00:00.000Z' }, waiting);
    const a2 = await oldCase({ phone: phoneA, receivedAt: '2026-01-20T09:15:00.000Z' }, waiting);
    await oldCase({ phone: phoneA, receivedAt: '2026-01-25T09:15:00.000Z' }, {});
    await oldCase(
      { phone: phoneA, receivedAt: '2026-01-26T09:15:00.000Z' },
      { ...waiting, redactedAt: '2026-02-10T00:00:00.000Z' },
    );
    // Number B: opted out once, then START again; one waiting case.
    await db.put({ TableName: tableName, Item: optOutItem(hashB, false, '2026-01-05T06:07:08.000Z') });
    const b1 = await oldCase({ phone: phoneB, receivedAt: '2026-01-15T12:30:00.000Z' }, waiting);
    // Number C: opted out, no case.
    await db.put({ TableName: tableName, Item: optOutItem('h1', true, '2026-01-03T00:00:00.000Z') });
    // A waiting case with no phone belongs to no number.
    const nophone = await oldCase({ receivedAt: '2026-01-16T12:30:00.000Z' }, waiting);
    // A case item that does not parse is left alone rather than failing the start-up.
    await db.put({
      TableName: tableName,
      Item: { ...caseKeys.case('BROKEN-1'), entity: 'case', waitingOn: 'complainant' },
    });

    // The old data holds no number item at all.
    expect((await allKeys(db, tableName)).filter((pk) => pk.startsWith('SENDER#'))).toEqual([]);

    await ensureTable(db, tableName);

    const keys = await allKeys(db, tableName);
    expect(keys.filter((pk) => pk.startsWith('OPTOUT#'))).toEqual([]);
    expect(keys.filter((pk) => pk.startsWith('SENDER#')).sort()).toEqual(
      [`SENDER#${hashA}`, `SENDER#${hashB}`, 'SENDER#h1'].sort(),
    );

    const a = await get(sender(hashA));
    expect(a).toEqual({
      ...sender(hashA),
      entity: 'sender',
      optedOut: true,
      optOutChangedAt: '2026-01-02T03:04:05.000Z',
      lang: 'ar',
      waiting: new Set([`2026-01-10T08:00:00.000Z#${a1}`, `2026-01-20T09:15:00.000Z#${a2}`]),
    });
    const b = await get(sender(hashB));
    expect(b).toEqual({
      ...sender(hashB),
      entity: 'sender',
      optedOut: false,
      optOutChangedAt: '2026-01-05T06:07:08.000Z',
      lang: 'ar',
      waiting: new Set([`2026-01-15T12:30:00.000Z#${b1}`]),
    });
    expect(await get(sender('h1'))).toEqual({
      ...sender('h1'),
      entity: 'sender',
      optedOut: true,
      optOutChangedAt: '2026-01-03T00:00:00.000Z',
    });
    // The cases themselves are untouched.
    expect((await get(caseKeys.case(nophone)))?.waitingOn).toBe('complainant');
    expect((await get(caseKeys.case('BROKEN-1')))?.entity).toBe('case');
    expect(await get(MARKER)).toEqual({ ...MARKER, entity: 'migration' });

    // A later start-up finds the marker and scans nothing: an opt-out item written now stays where it is.
    await db.put({ TableName: tableName, Item: optOutItem('h3', true, '2026-03-01T00:00:00.000Z') });
    await ensureTable(db, tableName);
    expect(await get({ pk: 'OPTOUT#h3', sk: 'OPTOUT' })).toEqual(
      optOutItem('h3', true, '2026-03-01T00:00:00.000Z'),
    );
    expect(await get(sender('h3'))).toBeUndefined();
    expect(await get(sender(hashA))).toEqual(a);
  });

  it('a migrated waiting case leaves its number’s set through the store like any other', async () => {
    const { db, tableName } = await testDb();
    const protector = makePersonalDataProtector({ encryptionKey: randomBytes(32), hashKey: randomBytes(32) });
    const store = makeCaseStore({ db, tableName, protector });
    const phone = '+9647801112233';
    const { case: c } = await store.create(complaint({ phone, receivedAt: '2026-01-11T11:00:00.000Z' }));
    const raw = await db.get(tableName, caseKeys.case(c.caseId), true);
    await db.put({ TableName: tableName, Item: { ...raw, waitingOn: 'complainant' } });

    await ensureTable(db, tableName);
    const key = sender(protector.hashPhone(phone));
    expect((await db.get(tableName, key, true))?.waiting).toEqual(
      new Set([`2026-01-11T11:00:00.000Z#${c.caseId}`]),
    );

    await store.mutate(c.caseId, 1, (cur) => {
      const next = { ...cur };
      delete next.waitingOn;
      return { next, events: [] };
    });
    expect((await db.get(tableName, key, true))?.waiting).toBeUndefined();
  });

  it('has its open restricted cases entered on their number items at the next start-up, once', async () => {
    const { db, tableName } = await testDb();
    const protector = makePersonalDataProtector({ encryptionKey: randomBytes(32), hashKey: randomBytes(32) });
    const store = makeCaseStore({ db, tableName, protector });
    const phone = '+9647712223344';
    const hash = protector.hashPhone(phone);
    /** A case as a version before the list kept it: the case item as given, and nothing on the number's item. */
    const oldCase = async (receivedAt: string, extra: Item) => {
      const { case: c } = await store.create(complaint({ phone, receivedAt }));
      const raw = await db.get(tableName, caseKeys.case(c.caseId), true);
      await db.put({ TableName: tableName, Item: { ...raw, ...extra } });
      return c.caseId;
    };
    const open = await oldCase('2026-02-01T08:00:00.000Z', { sensitivity: 'S3', category: 'C07' });
    await oldCase('2026-02-02T08:00:00.000Z', { sensitivity: 'S2', status: 'closed' });
    await oldCase('2026-02-03T08:00:00.000Z', {});
    expect(await db.get(tableName, sender(hash), true)).toBeUndefined();

    await ensureTable(db, tableName);
    expect((await db.get(tableName, sender(hash), true))?.restricted).toEqual(
      new Set([`2026-02-01T08:00:00.000Z#${open}`]),
    );
    expect(await db.get(tableName, { pk: 'MIGRATION#sender-restricted', sk: 'MIGRATION' }, true)).toEqual({
      pk: 'MIGRATION#sender-restricted',
      sk: 'MIGRATION',
      entity: 'migration',
    });

    // Once marked, a later start-up scans nothing: a case restricted behind the store's back stays unlisted.
    await oldCase('2026-02-04T08:00:00.000Z', { sensitivity: 'S2' });
    await ensureTable(db, tableName);
    expect((await db.get(tableName, sender(hash), true))?.restricted).toEqual(
      new Set([`2026-02-01T08:00:00.000Z#${open}`]),
    );
  });
});
