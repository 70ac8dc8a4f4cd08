/**
 * The router keeps the routing configuration between stream batches and reads the records again only when the
 * configuration's generation moves (shared/routing/routing-config.ts). What matters to people: a focal point added,
 * changed or removed in the console routes the very next case; nothing old is kept past a change.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { makeConfigStore, raiseConfigGeneration } from '#shared/config/config-store.ts';
import type { RoutingConfig } from '#shared/routing/route-plan.ts';
import { keptRoutingConfig } from '#shared/routing/routing-config.ts';
import type { DynamoDb } from '#shared/store/dynamodb.ts';
import { testDb } from '../../support/services.ts';

let db: DynamoDb;
let tableName: string;

beforeAll(async () => {
  ({ db, tableName } = await testDb());
});

const focalPoint = (id: string, active = true) => ({
  focalPointId: id,
  name: `Focal point ${id}`,
  kind: 'general',
  channel: { type: 'email', address: `${id}@example.org` },
  active,
});

/** A focal point written past the store, as a restore or an edit in the AWS console would: no generation raised. */
const writeBehindTheStore = (id: string) =>
  db.put({
    TableName: tableName,
    Item: { pk: 'CONFIG#focal-point', sk: id, kind: 'focal-point', record: focalPoint(id) },
  });

const ids = async (read: () => Promise<RoutingConfig>) =>
  (await read()).focalPoints.filter((f) => f.active).map((f) => f.focalPointId);

describe('the routing configuration the router keeps', () => {
  it('sees a change made through another store (another Lambda, the admin API) on the next read', async () => {
    const router = keptRoutingConfig(makeConfigStore({ db, tableName }));
    const admin = makeConfigStore({ db, tableName });
    await admin.put('focal-point', focalPoint('fp-a'));
    expect(await ids(router)).toEqual(['fp-a']);

    await admin.put('focal-point', focalPoint('fp-b'));
    expect(await ids(router)).toEqual(['fp-a', 'fp-b']);
    await admin.put('focal-point', focalPoint('fp-a', false));
    expect(await ids(router)).toEqual(['fp-b']);
    await admin.delete('focal-point', 'fp-b');
    expect(await ids(router)).toEqual([]);
  });

  it('keeps the records while the generation stands still, and reads them again once it is raised', async () => {
    const router = keptRoutingConfig(makeConfigStore({ db, tableName }));
    const before = await ids(router);
    await writeBehindTheStore('fp-behind');
    // Kept: the change went past the store, so the generation did not move.
    expect(await ids(router)).toEqual(before);
    await raiseConfigGeneration(db, tableName);
    expect(await ids(router)).toEqual([...before, 'fp-behind'].sort());
  });

  it('reads the records again once they are older than the longest keep, whatever the generation', async () => {
    const router = keptRoutingConfig(makeConfigStore({ db, tableName }), 0);
    const before = await ids(router);
    await writeBehindTheStore('fp-late');
    expect(await ids(router)).toEqual([...before, 'fp-late'].sort());
  });

  it('does not keep a failed read: the next batch reads again', async () => {
    const router = keptRoutingConfig(makeConfigStore({ db, tableName }));
    await db.put({
      TableName: tableName,
      Item: {
        pk: 'CONFIG#routing-rule',
        sk: 'zz-broken',
        kind: 'routing-rule',
        record: { ruleId: 'zz-broken' },
      },
    });
    await raiseConfigGeneration(db, tableName);
    await expect(router()).rejects.toThrow(/CONFIG.CORRUPT/);
    await db.delete({ TableName: tableName, Key: { pk: 'CONFIG#routing-rule', sk: 'zz-broken' } });
    // No raise: a kept failure would fail again here.
    await expect(router()).resolves.toMatchObject({ rules: [] });
  });
});
