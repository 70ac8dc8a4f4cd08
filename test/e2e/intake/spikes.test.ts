/**
 * Spike alerts on the local stack, from SMS posted exactly as Twilio posts them (signed by the Twilio SDK through the
 * phone simulator): a camp in Zakho texts "no water in the camp" twenty times in a day in four languages, against a
 * quiet baseline, and its focal point and the programme manager each get one alert (not twenty), with the count,
 * the baseline and words of the complaint but no number, no name and no reference; ordinary traffic spread over
 * places raises nothing.
 */
import { describe, expect, it } from 'vitest';
import { api, eventually, settle, tokenFor } from '../../support/http.ts';
import { type InboxEntry, inbox, newPhone, postSms } from '../routing/support.ts';

const ZAKHO = 'IQG09Q04';
const DUHOK = 'IQG09';

/**
 * Twenty ways people in one camp near Zakho say the water is out: Arabic, Sorani, Kurmanji, English. Two mention
 * thirsty children; a case the classifier restricts (a possible child-safeguarding case, when in doubt) counts
 * toward nothing, so the day's count is the number of the twenty that are not restricted, read from the cases.
 */
const NO_WATER = [
  'ماكو ماي بالمخيم في زاخو',
  'المخيم في زاخو بدون ماء منذ ثلاثة أيام',
  'ماكو ماي شرب بمخيم زاخو من يومين',
  'انقطع الماء عن المخيم في زاخو',
  'الماء مقطوع بالمخيم قرب زاخو والأطفال عطشانين',
  'ئاو نییە لە کەمپەکە لە زاخۆ',
  'سێ ڕۆژە ئاو نییە لە کەمپی زاخۆ',
  'ئاوی خواردنەوە نییە لە کەمپەکەمان لە زاخۆ',
  'ئاو بڕاوە لە کەمپەکە لە زاخۆ',
  'لە کەمپی زاخۆ ئاو نییە',
  'av tune li kampê li Zaxo',
  'Li kampa Zaxoyê av nîne',
  'sê roj e av tune li kampa Zaxo',
  'ava vexwarinê li kampê li Zaxo tune',
  'li kampa me li Zaxo av nayê',
  'No water in the camp in Zakho for three days',
  'There is no drinking water in our camp near Zakho',
  'The water has been cut off in the camp in Zakho',
  'Zakho camp has had no water since Sunday',
  'We have no water in the camp at Zakho, the children are thirsty',
];

/** Ordinary days: a few complaints about late food baskets, in six governorates, none above its baseline. */
const ORDINARY = [
  'The food basket was late in Samawa',
  'The food basket was late in Samawa again this month',
  'Food basket came late in Samawa',
  'Our food basket in Samawa was two weeks late',
  'The food basket was late in Kut',
  'The food basket was late in Amarah',
  'The food basket was late in Diwaniyah',
  'The food basket was late in Karbala',
  'The food basket was late in Halabja',
];

interface Spike {
  eventType: string;
  category: string;
  governorate: string;
  district?: string;
  level: string;
  count: number;
  baseline: number;
  threshold: number;
  example: string[];
  [key: string]: unknown;
}
const spikeAlerts = async (): Promise<(InboxEntry & { message: Spike })[]> =>
  (await inbox()).filter((e) => e.message.eventType === 'spike') as (InboxEntry & { message: Spike })[];
const inPlace = (e: { message: Spike }, governorate: string) => e.message.governorate === governorate;

/** Posts texts a few at a time from different phones, as a camp's people would; their references and numbers. */
async function text(messages: readonly string[]): Promise<{ refs: string[]; phones: string[] }> {
  const refs: string[] = [];
  const phones: string[] = [];
  for (let i = 0; i < messages.length; i += 5) {
    const sent = await Promise.all(messages.slice(i, i + 5).map((m) => postSms(m, newPhone())));
    for (const s of sent) {
      expect(s.status).toBe(200);
      expect(s.reference).toBeDefined();
      refs.push(s.reference as string);
      phones.push(s.from);
    }
  }
  return { refs, phones };
}

describe('spike alerts from SMS traffic', () => {
  it('ordinary traffic spread over places raises no alert', async () => {
    await text(ORDINARY);
    await settle();
    // Samawa (Muthanna) has four, one short of the minimum; Kut, Diwaniyah, Karbala and Halabja one each.
    const places = ['IQG03', 'IQG18', 'IQG05', 'IQG12', 'IQG06'];
    const about = (await spikeAlerts()).filter((e) => places.includes(e.message.governorate));
    expect(about).toEqual([]);
    const report = await api('GET', '/api/reports/spikes', { token: await tokenFor('manager') });
    expect(report.status).toBe(200);
    const listed = (report.json() as { spikes: { governorate: string }[] }).spikes;
    expect(listed.filter((s) => places.includes(s.governorate))).toEqual([]);
  });

  it('twenty "no water in the camp" texts from Zakho in four languages alert its focal point and the manager once each', async () => {
    expect((await spikeAlerts()).filter((e) => inPlace(e, DUHOK))).toEqual([]);
    const { refs, phones } = await text(NO_WATER);
    expect(new Set(refs).size).toBe(20);
    // Until both recipients' inbox queues have delivered, then once more after everything has settled.
    await eventually(async () => {
      await settle();
      const found = (await spikeAlerts()).filter((e) => inPlace(e, DUHOK));
      return found.length >= 2 ? found : undefined;
    });
    await settle();
    const alerts = (await spikeAlerts()).filter((e) => inPlace(e, DUHOK));
    expect(alerts.map((e) => e.focalPointId).sort()).toEqual(['accountability-officer', 'programme-manager']);
    for (const a of alerts) {
      expect(a.message).toMatchObject({
        category: 'C03',
        governorate: DUHOK,
        district: ZAKHO,
        level: 'district',
        baseline: 0,
        threshold: 5,
      });
      // Raised when the fifth case was counted (or a little after, as the projector reads batches).
      expect(a.message.count).toBeGreaterThanOrEqual(5);
      expect(a.message.count).toBeLessThanOrEqual(19);
      expect(a.message.example.length).toBeGreaterThan(0);
      expect(a.attributes).toMatchObject({ eventType: 'spike', category: 'C03', governorate: DUHOK });
      const said = JSON.stringify(a);
      for (const ref of refs) expect(said).not.toContain(ref);
      for (const phone of phones) expect(said).not.toContain(phone.slice(4));
      expect(said).not.toMatch(/\+964|07\d{9}/);
      expect(said).not.toContain('thirsty');
      expect(said).not.toContain('عطشان');
    }

    // The PSEA focal point sees every case, restricted or not: how many of the twenty are not restricted.
    const psea = await tokenFor('psea');
    let open = 0;
    for (const reference of refs) {
      const found = await api('POST', '/api/cases/lookup', { token: psea, json: { reference } });
      const [item] = (found.json() as { items: { caseId: string }[] }).items;
      expect(item, `case ${reference}`).toBeDefined();
      const read = await api('GET', `/api/cases/${item?.caseId}`, { token: psea });
      expect(read.status).toBe(200);
      const { sensitivity } = (read.json() as { case: { sensitivity: string } }).case;
      if (sensitivity !== 'S2' && sensitivity !== 'S3') open++;
    }
    expect(open).toBeGreaterThanOrEqual(5);

    const report = await api('GET', '/api/reports/spikes', { token: await tokenFor('manager') });
    expect(report.status).toBe(200);
    const zakho = (report.json() as { spikes: Record<string, unknown>[] }).spikes.filter(
      (s) => s.governorate === DUHOK,
    );
    expect(zakho).toEqual([
      expect.objectContaining({ category: 'C03', place: ZAKHO, level: 'district', count: open, baseline: 0 }),
    ]);
  });
});
