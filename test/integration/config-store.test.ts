import { beforeAll, describe, expect, it } from 'vitest';
import { IRAQ_CALENDAR } from '#shared/calendar/iraq-calendar.ts';
import { type ConfigStore, configKey, makeConfigStore } from '#shared/config/config-store.ts';
import { defaultConfig, seedDefaults } from '#shared/config/defaults.ts';
import { NotFoundError, ValidationError } from '#shared/errors/domain-error.ts';
import { DEFAULT_SLA_POLICIES } from '#shared/sla/default-policies.ts';
import type { DynamoDb } from '#shared/store/dynamodb.ts';
import { testDb } from '../support/services.ts';

const NOW = new Date('2026-03-15T07:00:00.000Z');

let store: ConfigStore;
let db: DynamoDb;
let tableName: string;

beforeAll(async () => {
  ({ db, tableName } = await testDb());
  store = makeConfigStore({ db, tableName, now: () => NOW });
});

const officer = {
  focalPointId: 'cash-officer-ninewa',
  name: 'Cash officer, Ninewa',
  kind: 'general',
  channel: { type: 'email', address: 'cash.ninewa@example.org' },
};

describe('config store', () => {
  it('puts, gets and lists a focal point, filling schema defaults', async () => {
    const stored = await store.put('focal-point', officer);
    expect(stored).toEqual({ ...officer, restricted: false, active: true });
    expect(await store.get('focal-point', 'cash-officer-ninewa')).toEqual(stored);
    expect(await store.list('focal-point')).toEqual([stored]);
  });

  it('keeps the record under CONFIG#<kind> / <id>, apart from the key attributes', async () => {
    const item = await db.get(tableName, configKey('focal-point', 'cash-officer-ninewa'), true);
    expect(item).toMatchObject({
      pk: 'CONFIG#focal-point',
      sk: 'cash-officer-ninewa',
      kind: 'focal-point',
      updatedAt: NOW.toISOString(),
      record: { focalPointId: 'cash-officer-ninewa' },
    });
  });

  it('replaces a record on a second put', async () => {
    await store.put('focal-point', { ...officer, name: 'Cash officer, Mosul' });
    expect((await store.get('focal-point', 'cash-officer-ninewa'))?.name).toBe('Cash officer, Mosul');
    expect(await store.list('focal-point')).toHaveLength(1);
  });

  it('answers a kept list within its age, and reads again after a write in this process', async () => {
    const partner = { partnerId: 'kept-ngo', name: 'Kept NGO', contact: {}, receives: [], active: true };
    await store.put('partner', partner);
    const first = await store.list('partner', { maxAgeMs: 60_000 });
    expect(first.map((p) => p.name)).toEqual(['Kept NGO']);

    // Another process's change (written past this process's stores) is seen only when the kept read runs out.
    await db.put({
      TableName: tableName,
      Item: {
        ...configKey('partner', 'kept-ngo'),
        kind: 'partner',
        record: { ...partner, name: 'Renamed elsewhere' },
        updatedAt: NOW.toISOString(),
      },
    });
    expect((await store.list('partner', { maxAgeMs: 60_000 })).map((p) => p.name)).toEqual(['Kept NGO']);
    expect((await store.list('partner')).map((p) => p.name)).toEqual(['Renamed elsewhere']);
    expect((await store.list('partner', { maxAgeMs: 0 })).map((p) => p.name)).toEqual(['Renamed elsewhere']);

    // A write here, by any store of this process, is seen at once.
    await store.list('partner', { maxAgeMs: 60_000 });
    await makeConfigStore({ db, tableName }).put('partner', { ...partner, name: 'Renamed here' });
    expect((await store.list('partner', { maxAgeMs: 60_000 })).map((p) => p.name)).toEqual(['Renamed here']);
    await store.delete('partner', 'kept-ngo');
  });

  it('rejects an invalid record with a 400 that names the field, and stores nothing', async () => {
    const bad = { ...officer, focalPointId: 'psea', kind: 'psea', restricted: false };
    const error = await store.put('focal-point', bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).status).toBe(400);
    expect((error as ValidationError).details).toEqual([expect.objectContaining({ path: 'restricted' })]);
    expect(await store.get('focal-point', 'psea')).toBeUndefined();
  });

  it('keeps kinds apart', async () => {
    await store.put('routing-rule', { ruleId: 'cash-officer-ninewa', focalPoints: ['cash-officer-ninewa'] });
    expect((await store.list('routing-rule')).map((r) => r.ruleId)).toEqual(['cash-officer-ninewa']);
    expect((await store.list('focal-point')).map((f) => f.focalPointId)).toEqual(['cash-officer-ninewa']);
  });

  it('stores SLA policies and calendars as they went in', async () => {
    const s3 = DEFAULT_SLA_POLICIES.find((p) => p.id === 's3')!;
    await store.put('sla-policy', s3);
    await store.put('calendar', IRAQ_CALENDAR);
    expect(await store.get('sla-policy', 's3')).toEqual(s3);
    expect(await store.get('calendar', 'iraq')).toEqual(IRAQ_CALENDAR);
  });

  it('deletes a record, and answers a 404 for one that is not there', async () => {
    await store.delete('routing-rule', 'cash-officer-ninewa');
    expect(await store.get('routing-rule', 'cash-officer-ninewa')).toBeUndefined();
    const error = await store.delete('routing-rule', 'cash-officer-ninewa').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).code).toBe('CONFIG.NOT_FOUND');
  });

  it('lists more records than one page holds', async () => {
    // Thirty calendars of 2,000 holidays (over 100 kB each) exceed DynamoDB's 1 MB query page several times.
    const ids = Array.from({ length: 30 }, (_, i) => `cal-${String(i).padStart(2, '0')}`);
    const big = {
      ...IRAQ_CALENDAR,
      name: 'x'.repeat(100),
      holidays: Array(2000).fill(IRAQ_CALENDAR.holidays[0]),
    };
    for (const id of ids) await store.put('calendar', { ...big, id });
    let pages = 0;
    const counting = Object.assign(Object.create(db) as DynamoDb, {
      query: (input: Parameters<DynamoDb['query']>[0]) => {
        pages++;
        return db.query(input);
      },
    });
    const listed = await makeConfigStore({ db: counting, tableName }).list('calendar');
    expect(listed.map((c) => c.id)).toEqual([...ids, 'iraq']);
    expect(pages).toBeGreaterThan(1);
  });

  it('fails loudly on a stored record that no longer passes its schema', async () => {
    await db.put({
      TableName: tableName,
      Item: { ...configKey('sla-policy', 'broken'), kind: 'sla-policy', record: { id: 'broken' } },
    });
    await expect(store.get('sla-policy', 'broken')).rejects.toThrow(/CONFIG.CORRUPT/);
    await db.delete({ TableName: tableName, Key: configKey('sla-policy', 'broken') });
  });
});

describe('seedDefaults', () => {
  it('writes the seed records once and leaves admin edits alone', async () => {
    const { db: freshDb, tableName: freshTable } = await testDb();
    const fresh = makeConfigStore({ db: freshDb, tableName: freshTable, now: () => NOW });
    const config = defaultConfig();

    expect(await seedDefaults(fresh, config)).toEqual({
      'focal-point': config.focalPoints.length,
      'routing-rule': config.routingRules.length,
      'sla-policy': config.slaPolicies.length,
      calendar: 1,
      partner: 0,
    });
    expect((await fresh.list('routing-rule')).map((r) => r.ruleId).sort()).toEqual(
      config.routingRules.map((r) => r.ruleId).sort(),
    );

    await fresh.put('focal-point', { ...config.focalPoints[0], name: 'Renamed by an admin' });
    expect(await seedDefaults(fresh, config)).toEqual({
      'focal-point': 0,
      'routing-rule': 0,
      'sla-policy': 0,
      calendar: 0,
      partner: 0,
    });
    expect((await fresh.get('focal-point', 'accountability-officer'))?.name).toBe('Renamed by an admin');
  });
});

describe('the configuration generation', () => {
  it('is raised by each write through the store, and by none that changes nothing', async () => {
    const at = async () => store.generation();
    const start = await at();
    const partner = { partnerId: 'gen-ngo', name: 'Generation NGO', contact: {}, receives: [], active: true };

    await store.put('partner', partner);
    expect(await at()).toBe(start + 1);
    expect(await store.putIfAbsent('partner', partner)).toBe(false);
    expect(await at()).toBe(start + 1);
    expect(await store.putIfAbsent('partner', { ...partner, partnerId: 'gen-ngo-2' })).toBe(true);
    expect(await at()).toBe(start + 2);
    await store.delete('partner', 'gen-ngo-2');
    expect(await at()).toBe(start + 3);
    await expect(store.delete('partner', 'gen-ngo-2')).rejects.toBeInstanceOf(NotFoundError);
    await expect(store.put('partner', { partnerId: 'gen-ngo' })).rejects.toBeInstanceOf(ValidationError);
    expect(await at()).toBe(start + 3);
  });
});
