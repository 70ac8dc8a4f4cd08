/**
 * Cluster membership on DynamoDB Local, through the store's real conditional writes: similar open complaints of one
 * category at one place join one cluster, whatever their language and the order they are read in; two similar cases
 * handled at the same moment
 * (and the same record delivered three times at once) make one cluster with each case once; restricted cases never
 * join, a member that becomes restricted leaves, and a cluster whose members are all resolved leaves the open list.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Platform } from '#functions/lib/platform.ts';
import type { Case, NewCaseInput } from '#shared/cases/case-schema.ts';
import { makeClusterStore } from '#shared/clusters/cluster-store.ts';
import { type Clustering, makeClustering } from '#shared/clusters/clustering.ts';
import { testPlatform } from '../../support/services.ts';

let n = 0;
const complaint = (
  narrative: string,
  language: NewCaseInput['language'],
  district: string,
  extra: Partial<NewCaseInput> = {},
): NewCaseInput => ({
  channel: 'sms',
  idempotencyKey: `cluster-it-${Date.now()}-${n++}`,
  narrative,
  language,
  type: 'complaint',
  category: 'C03',
  classification: { source: 'classifier', evidence: [], changedByOfficer: false },
  location: { governorate: district.slice(0, 5), district },
  consentToFollowUp: true,
  createdBy: { kind: 'complainant' },
  ...extra,
});

describe('cluster membership', () => {
  let platform: Platform;
  let clustering: Clustering;
  const store = () => makeClusterStore({ db: platform.db, tableName: platform.tableName });
  const openAmong = async (ids: string[]) =>
    (await platform.cases.getMany(ids)).filter((c) => c.status !== 'resolved' && c.status !== 'closed')
      .length;
  const open = async (input: NewCaseInput): Promise<Case> => (await platform.cases.create(input)).case;
  const handle = (c: Case) => clustering.handle(c, openAmong);

  beforeAll(async () => {
    platform = await testPlatform();
    clustering = makeClustering({ store: store(), now: () => new Date() });
  });

  it('joins similar complaints from one place in four languages into one cluster, and leaves others out', async () => {
    const place = 'IQG09Q04';
    const water = [
      complaint('No water in the camp in Zakho', 'en', place),
      complaint('ماكو ماي بالمخيم في زاخو', 'ar', place),
      complaint('ئاو نییە لە کەمپەکە لە زاخۆ', 'ckb', place),
      complaint('av tune li kampê li Zaxo', 'kmr', place),
      complaint('The water has been cut off in the camp in Zakho', 'en', place),
    ];
    const first = await open(water[0]!);
    expect((await handle(first)).code).toBe('CLUSTER.NO_MATCH');
    const outcomes = [];
    for (const input of water.slice(1)) outcomes.push(await handle(await open(input)));
    expect(outcomes.map((o) => o.code)).toEqual([
      'CLUSTER.CREATED',
      'CLUSTER.JOINED',
      'CLUSTER.JOINED',
      'CLUSTER.JOINED',
    ]);
    const ids = new Set(outcomes.map((o) => ('clusterId' in o ? o.clusterId : '')));
    expect(ids.size).toBe(1);

    // Food at the same camp, and the same water complaint from another district, stay out.
    const food = await open(complaint('The food basket was late in the camp in Zakho', 'en', place));
    expect((await handle(food)).code).toBe('CLUSTER.NO_MATCH');
    const elsewhere = await open(complaint('No water in the camp in Amedi', 'en', 'IQG09Q01'));
    expect((await handle(elsewhere)).code).toBe('CLUSTER.NO_MATCH');

    const cluster = await store().get([...ids][0]!);
    expect(cluster?.members).toHaveLength(5);
    expect(cluster?.status).toBe('open');
    expect(cluster?.district).toBe(place);
  });

  it('makes one cluster of a burst whatever order it is read in: a case joins a similar cluster before pairing off', async () => {
    // All four are stored (and classified) before the projector reads any, as in a burst. A and E are alike
    // (1.0), B and C are alike (1.0), and each of B and C is 0.75 like A and E. Read A first, it pairs with E; read
    // B next, its most similar case C has no cluster yet, but A's cluster is similar enough: B joins it, and C
    // after it, instead of B and C making a second cluster of the same water cut.
    const place = 'IQG15Q04';
    const a = await open(complaint('No water in the camp in Sinjar', 'en', place));
    const e = await open(complaint('ماكو ماي بالمخيم في سنجار', 'ar', place));
    const b = await open(
      complaint('No water in the camp in Sinjar, the water truck is late again', 'en', place),
    );
    const c = await open(complaint('The water truck is late and there is no water in the camp', 'en', place));
    const first = await handle(a);
    expect(first.code).toBe('CLUSTER.CREATED');
    const clusterId = (first as { clusterId: string }).clusterId;
    expect(await handle(b)).toEqual({ code: 'CLUSTER.JOINED', clusterId });
    expect(await handle(c)).toEqual({ code: 'CLUSTER.JOINED', clusterId });
    expect(await handle(e)).toMatchObject({ clusterId });
    const cluster = await store().get(clusterId);
    expect(cluster?.members.map((m) => m.caseId).sort()).toEqual([a, b, c, e].map((x) => x.caseId).sort());
    expect((await store().listOpen({ district: place })).map((x) => x.clusterId)).toEqual([clusterId]);
  });

  it('finds a similar case of its place behind many newer open cases of the category elsewhere', async () => {
    // The candidate read filters a nationwide category partition by place; newer cases elsewhere (due later, so
    // read first) must not hide this place's older one behind the first page.
    const place = 'IQG10Q02';
    const first = await open(complaint('No water in the camp in Muqdadiya', 'en', place));
    expect((await handle(first)).code).toBe('CLUSTER.NO_MATCH');
    for (let i = 0; i < 120; i++) {
      await open(complaint(`The distribution was late, number ${i}`, 'en', 'IQG15Q01'));
    }
    const second = await open(complaint('ماكو ماي بالمخيم في المقدادية', 'ar', place));
    const outcome = await handle(second);
    expect(outcome.code).toBe('CLUSTER.CREATED');
    const cluster = await store().get((outcome as { clusterId: string }).clusterId);
    expect(cluster?.members.map((m) => m.caseId).sort()).toEqual([first.caseId, second.caseId].sort());
  });

  it('makes one cluster of two similar cases handled at the same moment, and of a record delivered three times', async () => {
    const place = 'IQG01Q01';
    const a = await open(complaint('No electricity in the camp in Fallujah', 'en', place));
    const b = await open(complaint('ماكو كهرباء بالمخيم بالفلوجة', 'ar', place));
    const [ra, rb] = await Promise.all([handle(a), handle(b)]);
    const codes = [ra.code, rb.code].sort();
    // One of the two makes the cluster; the other finds it made (with itself in it) or joins it.
    expect(codes[0]).toMatch(/^CLUSTER\.(ALREADY_MEMBER|CREATED)$/);
    expect(codes).toContain('CLUSTER.CREATED');
    const c = await open(complaint('کارەبا نییە لە کەمپی فەللوجە', 'ckb', place));
    const again = await Promise.all([handle(c), handle(c), handle(c)]);
    expect(again.filter((o) => o.code === 'CLUSTER.JOINED')).toHaveLength(1);
    const clusterId = 'clusterId' in ra ? ra.clusterId : '';
    const cluster = await store().get(clusterId);
    expect(cluster?.members.map((m) => m.caseId).sort()).toEqual([a.caseId, b.caseId, c.caseId].sort());
    expect((await store().listOpen()).filter((x) => x.clusterId === clusterId)).toHaveLength(1);
    // Narrowed to the place, the list holds this cluster alone; narrowed to another place, not at all.
    expect((await store().listOpen({ district: place })).map((x) => x.clusterId)).toEqual([clusterId]);
    expect((await store().listOpen({ district: 'IQG01Q02' })).map((x) => x.clusterId)).not.toContain(
      clusterId,
    );
  });

  it('never clusters a restricted case; a member that becomes restricted leaves, and a pair left alone dissolves', async () => {
    const place = 'IQG12Q01';
    const restricted = await open(
      complaint('No water in the camp in Najaf', 'en', place, { sensitivity: 'S2', category: 'C03' }),
    );
    const a = await open(complaint('No water in the camp in Najaf', 'en', place));
    expect((await handle(restricted)).code).toBe('CLUSTER.NOT_ELIGIBLE');
    expect((await handle(a)).code).toBe('CLUSTER.NO_MATCH');
    const b = await open(complaint('ماكو ماي بالمخيم في النجف', 'ar', place));
    const made = await handle(b);
    expect(made.code).toBe('CLUSTER.CREATED');
    const clusterId = 'clusterId' in made ? made.clusterId : '';

    const raised = await platform.cases.mutate(b.caseId, undefined, (cur) => ({
      next: { ...cur, sensitivity: 'S2' },
      events: [],
    }));
    expect((await handle(raised.case)).code).toBe('CLUSTER.LEFT');
    const after = await store().get(clusterId);
    expect(after?.status).toBe('dissolved');
    expect(after?.members).toEqual([]);
    expect(await store().membership(b.caseId)).toBeUndefined();
    expect(await store().membership(a.caseId)).toBeUndefined();
    expect((await store().listOpen()).map((x) => x.clusterId)).not.toContain(clusterId);
  });

  it('leaves the open list when every member is resolved, and comes back when one reopens', async () => {
    const place = 'IQG06Q02';
    const a = await open(complaint('No water in the camp in Kalar', 'en', place));
    await handle(a);
    const b = await open(complaint('av tune li kampê li Kalar', 'kmr', place));
    const made = await handle(b);
    const clusterId = 'clusterId' in made ? made.clusterId : '';
    expect(clusterId).not.toBe('');
    const resolve = async (c: Case) =>
      (
        await platform.cases.mutate(c.caseId, undefined, (cur, at) => ({
          next: { ...cur, status: 'resolved', resolvedAt: at, outcome: 'assistance_provided' },
          events: [],
        }))
      ).case;
    const ra = await resolve(a);
    await handle(ra);
    expect((await store().get(clusterId))?.status).toBe('open');
    const rb = await resolve(b);
    await handle(rb);
    expect((await store().get(clusterId))?.status).toBe('resolved');
    expect((await store().listOpen()).map((x) => x.clusterId)).not.toContain(clusterId);
    const reopened = await platform.cases.mutate(b.caseId, undefined, (cur, at) => ({
      next: { ...cur, status: 'reopened', reopenedAt: at },
      events: [],
    }));
    await handle(reopened.case);
    expect((await store().get(clusterId))?.status).toBe('open');
  });
});
