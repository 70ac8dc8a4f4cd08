/**
 * Clusters from SMS traffic on the local stack, posted exactly as Twilio posts them (signed by the Twilio SDK through
 * the phone simulator): twenty "no water in the camp" texts from a camp in Khanaqin, in Arabic, Sorani, Kurmanji and
 * English, make one cluster (not twenty), holding every one of them that is not restricted; food and electricity
 * complaints from the same camp and the same water complaint from Baiji stay out of it; two similar texts from Baiji
 * posted at the same moment make one cluster of two; a restricted case is never in a cluster.
 */
import { describe, expect, it } from 'vitest';
import { api, eventually, settle, tokenFor } from '../../support/http.ts';
import { newPhone, postSms } from '../routing/support.ts';

const KHANAQIN = 'IQG10Q05';
const BAIJI = 'IQG16Q03';

const NO_WATER = [
  'ماكو ماي بالمخيم في خانقين',
  'المخيم في خانقين بدون ماء منذ ثلاثة أيام',
  'ماكو ماي شرب بمخيم خانقين من يومين',
  'انقطع الماء عن المخيم في خانقين',
  'الماء مقطوع بالمخيم قرب خانقين',
  'ئاو نییە لە کەمپەکە لە خانەقین',
  'سێ ڕۆژە ئاو نییە لە کەمپی خانەقین',
  'ئاوی خواردنەوە نییە لە کەمپەکەمان لە خانەقین',
  'ئاو بڕاوە لە کەمپەکە لە خانەقین',
  'لە کەمپی خانەقین ئاو نییە',
  'av tune li kampê li Xaneqîn',
  'Li kampa Xaneqînê av nîne',
  'sê roj e av tune li kampa Xaneqîn',
  'ava vexwarinê li kampê li Xaneqîn tune',
  'li kampa me li Xaneqîn av nayê',
  'No water in the camp in Khanaqin for three days',
  'There is no drinking water in our camp near Khanaqin',
  'The water has been cut off in the camp in Khanaqin',
  'Khanaqin camp has had no water since Sunday',
  'We have no water in the camp at Khanaqin since Friday',
];
const SAME_CAMP_OTHER = [
  'The food basket was late in the camp in Khanaqin',
  'No electricity in the camp in Khanaqin',
  'ماكو كهرباء بالمخيم في خانقين',
];
const RESTRICTED =
  'The guard at the water tank in the camp in Khanaqin asked my daughter to come to him alone at night';

interface CaseRead {
  caseId: string;
  reference: string;
  sensitivity: string;
  category: string | null;
  location: { district?: string };
  classification: { source: string };
}
interface Detail {
  case: CaseRead;
  cluster: { clusterId: string; size: number; members: { reference: string }[] } | null;
}

/** Posts texts a few at a time from different phones, as a camp's people would; their references. */
async function text(messages: readonly string[]): Promise<string[]> {
  const refs: string[] = [];
  for (let i = 0; i < messages.length; i += 5) {
    const sent = await Promise.all(messages.slice(i, i + 5).map((m) => postSms(m, newPhone())));
    for (const s of sent) {
      expect(s.status).toBe(200);
      expect(s.reference).toBeDefined();
      refs.push(s.reference as string);
    }
  }
  return refs;
}

/** A case as the PSEA focal point reads it (she sees every case), once the router has classified and placed it. */
async function read(reference: string): Promise<Detail> {
  const psea = await tokenFor('psea');
  return eventually(async () => {
    const found = await api('POST', '/api/cases/lookup', { token: psea, json: { reference } });
    const [item] = (found.json() as { items: { caseId: string }[] }).items;
    if (!item) return undefined;
    const res = await api('GET', `/api/cases/${item.caseId}`, { token: psea });
    const detail = res.json() as Detail;
    return detail.case.classification.source === 'pending' ? undefined : detail;
  });
}

const restricted = (c: CaseRead) => c.sensitivity === 'S2' || c.sensitivity === 'S3';

describe('clusters from SMS traffic', () => {
  it('twenty "no water" texts from a camp in Khanaqin in four languages make one cluster; others stay out', async () => {
    const water = await text(NO_WATER);
    const others = await text([...SAME_CAMP_OTHER, RESTRICTED]);
    await settle();

    const waterCases = await Promise.all(water.map(read));
    const clusterable = waterCases.filter(
      (d) => !restricted(d.case) && d.case.category === 'C03' && d.case.location.district === KHANAQIN,
    );
    // Most of the twenty are plain water complaints; the classifier may restrict one out of caution.
    expect(clusterable.length).toBeGreaterThanOrEqual(15);
    const clusterIds = new Set(clusterable.map((d) => d.cluster?.clusterId));
    expect(clusterIds.size).toBe(1);
    const [clusterId] = [...clusterIds];
    expect(clusterId).toMatch(/^CL[0-9A-Z]{12}$/);
    for (const d of clusterable) expect(d.cluster?.size).toBe(clusterable.length);

    // Restricted cases (here any of the twenty the classifier restricted, and the report about the guard) are in none.
    const restrictedCases = [...waterCases, ...(await Promise.all(others.map(read)))].filter((d) =>
      restricted(d.case),
    );
    expect(restrictedCases.length).toBeGreaterThanOrEqual(1);
    for (const d of restrictedCases) expect(d.cluster).toBeNull();

    // Food and electricity from the same camp are not in the water cluster.
    for (const ref of others.slice(0, SAME_CAMP_OTHER.length)) {
      const d = await read(ref);
      expect(d.cluster?.clusterId).not.toBe(clusterId);
    }

    // As the officer sees it: one cluster, of the water cases only, with every member named on it.
    const officer = await tokenFor('officer');
    const one = await api('GET', `/api/clusters/${clusterId}`, { token: officer });
    expect(one.status).toBe(200);
    const body = one.json() as {
      cluster: { size: number; district: string };
      members: { reference: string }[];
    };
    expect(body.cluster).toMatchObject({ size: clusterable.length, district: KHANAQIN, category: 'C03' });
    expect(body.members.map((m) => m.reference).sort()).toEqual(
      clusterable.map((d) => d.case.reference).sort(),
    );
    const listed = await api('GET', '/api/clusters', { token: await tokenFor('manager') });
    expect(listed.status).toBe(200);
    const open = (listed.json() as { clusters: { clusterId: string; size: number }[] }).clusters;
    expect(open.filter((c) => c.clusterId === clusterId)).toEqual([
      expect.objectContaining({ size: clusterable.length }),
    ]);
    // The list says nothing about a person or a case.
    expect(JSON.stringify(open)).not.toMatch(/[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}/);
  });

  it('two similar texts from Baiji posted at the same moment make one cluster of the two', async () => {
    const refs = await text(['No water in the camp in Baiji', 'ماكو ماي بالمخيم في بيجي']);
    await settle();
    const [a, b] = await Promise.all(refs.map(read));
    expect(a?.case.location.district).toBe(BAIJI);
    expect(a?.cluster?.clusterId).toBeDefined();
    expect(b?.cluster?.clusterId).toBe(a?.cluster?.clusterId);
    expect(a?.cluster?.size).toBe(2);
    expect(a?.cluster?.members.map((m) => m.reference)).toEqual([b?.case.reference]);
  });

  it('answers bad cluster requests with stable codes', async () => {
    const officer = await tokenFor('officer');
    const unknown = await api('GET', '/api/clusters/CL000000000000', { token: officer });
    expect(unknown.status).toBe(404);
    expect((unknown.json() as { error: { code: string } }).error.code).toBe('CLUSTER.NOT_FOUND');
    const malformed = await api('GET', '/api/clusters/nope', { token: officer });
    expect(malformed.status).toBe(400);
    const badPlace = await api('GET', '/api/clusters?district=Khanaqin', { token: officer });
    expect(badPlace.status).toBe(400);
    expect((badPlace.json() as { error: { code: string } }).error.code).toBe('REQUEST.INVALID');
    const resolveUnknown = await api('POST', '/api/clusters/CL000000000000/resolve', {
      token: officer,
      json: { outcome: 'assistance_provided', message: 'The water is back.' },
    });
    expect(resolveUnknown.status).toBe(404);
    const badBody = await api('POST', '/api/clusters/CL000000000000/resolve', {
      token: officer,
      json: { outcome: 'fixed', message: '' },
    });
    expect(badBody.status).toBe(400);
    expect((badBody.json() as { error: { code: string } }).error.code).toBe('REQUEST.INVALID');
    const operator = await api('POST', '/api/clusters/CL000000000000/resolve', {
      token: await tokenFor('operator'),
      json: { outcome: 'assistance_provided', message: 'The water is back.' },
    });
    expect(operator.status).toBe(403);
    expect((operator.json() as { error: { code: string } }).error.code).toBe('AUTH.FORBIDDEN');
  });
});
