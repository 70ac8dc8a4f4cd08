/**
 * Builds `data/gazetteer/iraq-admin.json` from the OCHA/CSO common operational dataset for Iraq's administrative
 * areas (a CSV of adm1/adm2/adm3 P-codes with English and Arabic names):
 *
 *   npx tsx scripts/build-gazetteer.ts [path/to/iraq-admin-areas.csv]
 *
 * The CSV lives outside the project (default `../shared/data/iraq-admin-areas.csv`) and is read only here; the
 * platform reads the generated JSON, which is committed, in the packed form `npm run build:gazetteer-pack` writes
 * (`npm run build:gazetteer` runs both). Kurdish names (Sorani in Arabic script, Kurmanji in
 * Latin script), everyday spellings and the words that need context before a matcher may trust them are added
 * from the tables below: the dataset has none of them.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type GazetteerData, GazetteerSchema } from '../shared/gazetteer/gazetteer-schema.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const csvPath = resolve(process.argv[2] ?? resolve(root, '../shared/data/iraq-admin-areas.csv'));
const outPath = resolve(root, 'data/gazetteer/iraq-admin.json');

/** Kurdish names, everyday spellings, and which of those are ordinary words that need context to count. */
interface Extra {
  ckb?: string;
  kmr?: string;
  /** Replaces the dataset's Arabic display name (hamza spelt out, or a dataset slip). */
  ar?: string;
  aliases?: string[];
  /** Names or aliases that are also common words or personal names ("عنه" is "about him", "Hamza" a name). */
  ambiguous?: string[];
}

/** The Kurdistan Region's governorates (Halabja is still a district of Sulaymaniyah in this dataset). */
const KRI_GOVERNORATES = new Set(['IQG06', 'IQG09', 'IQG11']);

const GOVERNORATES: Record<string, Extra> = {
  IQG01: { ar: 'الأنبار', ckb: 'ئەنبار', kmr: 'Enbar', aliases: ['Anbar'] },
  IQG02: { ckb: 'بەسرە', kmr: 'Besra', aliases: ['Basra', 'Basrah'] },
  IQG03: { ckb: 'موسەننا', kmr: 'Musenna', aliases: ['Muthanna', 'Muthana'] },
  IQG04: { ckb: 'نەجەف', kmr: 'Necef', aliases: ['Najaf'] },
  IQG05: { ckb: 'قادسیە', kmr: 'Qadisiye', aliases: ['Qadisiyah', 'Qadisiya'] },
  IQG06: {
    ckb: 'سلێمانی',
    kmr: 'Silêmanî',
    aliases: ['Sulaymaniyah', 'Sulaimaniya', 'Sulaimaniyah', 'Slemani', 'Slemany', 'Silemani', 'سليمانية'],
  },
  IQG07: { ckb: 'بابل', kmr: 'Babil', aliases: ['Babylon', 'Babel'] },
  IQG08: { ckb: 'بەغدا', kmr: 'Bexda', aliases: ['Bagdad'] },
  IQG09: { ckb: 'دهۆک', kmr: 'Dihok', aliases: ['Dohuk', 'Dahuk', 'Dahok', 'Duhoc'] },
  IQG10: { ckb: 'دیالە', kmr: 'Diyala', aliases: ['Diala', 'Diyalah'] },
  IQG11: {
    ar: 'أربيل',
    ckb: 'هەولێر',
    kmr: 'Hewlêr',
    aliases: ['Arbil', 'Irbil', 'Hawler', 'Hewler', 'Erbîl'],
  },
  IQG12: { ckb: 'کەربەلا', kmr: 'Kerbela', aliases: ['Karbala', 'Kerbala', 'كربلا'] },
  IQG13: { ckb: 'کەرکووک', kmr: 'Kerkûk', aliases: ['Kerkuk', 'کەرکوک'] },
  IQG14: { ckb: 'مەیسان', kmr: 'Meysan', aliases: ['Missan', 'Misan'] },
  IQG15: { ckb: 'نەینەوا', kmr: 'Neynewa', aliases: ['Nineveh', 'Ninawa', 'Nineva', 'Niniveh', 'نينوا'] },
  IQG16: {
    ckb: 'سەلاحەدین',
    kmr: 'Selahedîn',
    aliases: ['Salahuddin', 'Salahaddin', 'Salah ad-Din', 'Saladin', 'Salaheddine', 'صلاح دين'],
  },
  IQG17: { ckb: 'زیقار', kmr: 'Ziqar', aliases: ['Dhi Qar', 'Thiqar', 'Dhiqar', 'ذيقار', 'ذیقار'] },
  IQG18: { ckb: 'واست', kmr: 'Wasit', aliases: ['Wasit'] },
};

const DISTRICTS: Record<string, Extra> = {
  IQG01Q01: { aliases: ['Fallujah', 'Falluja', 'Faluja'] },
  IQG01Q02: { aliases: ['Qaim', 'Al-Qaim'], ambiguous: ['القائم'] },
  IQG01Q03: { aliases: ['Ramadi'] },
  IQG01Q04: { aliases: ['Rutba', 'Rutbah'], ambiguous: ['الرطبة'] },
  IQG01Q05: { aliases: ['Anah', 'عنة'], ambiguous: ['Ana', 'عنه', 'Anah', 'عنة'] },
  IQG01Q06: { aliases: ['Hadithah'], ambiguous: ['حديثة'] },
  IQG01Q07: { aliases: ['Hīt'] },
  IQG02Q01: { ar: 'أبي الخصيب', aliases: ['Abu al-Khasib', 'أبو الخصيب'] },
  IQG02Q03: { aliases: ['Fao', 'Faw'] },
  IQG02Q04: {
    aliases: ['Al-Madina', 'Madinah'],
    ambiguous: ['Al-Midaina', 'Al-Madina', 'Madinah', 'المدينة'],
  },
  IQG02Q05: { aliases: ['Qurna', 'Qurnah'] },
  IQG02Q06: { aliases: ['Zubair', 'Zubayr'], ambiguous: ['Zubair', 'Zubayr'] },
  IQG02Q07: { aliases: ['Shatt al-Arab'] },
  IQG03Q01: { aliases: ['Khidr', 'Khidhir'], ambiguous: ['الخضر', 'Khidr', 'Khidhir'] },
  IQG03Q02: { aliases: ['Rumaitha', 'Rumaytha'] },
  IQG03Q03: { aliases: ['Salman'], ambiguous: ['Al-Salman', 'Salman', 'السلمان'] },
  IQG03Q04: { aliases: ['Samawa', 'Samawah'] },
  IQG04Q01: { aliases: ['Kufa', 'Kufah'] },
  IQG04Q02: { aliases: ['Manathera', 'Manadhira'] },
  IQG05Q01: { aliases: ['Afak', 'Afaq'] },
  IQG05Q02: { aliases: ['Diwaniya', 'Diwaniyah'] },
  IQG05Q03: { aliases: ['Hamza'], ambiguous: ['Al-Hamza', 'Hamza', 'الحمزة'] },
  IQG05Q04: { aliases: ['Shamiya'], ambiguous: ['الشامية'] },
  IQG06Q01: { ckb: 'سلێمانی', kmr: 'Silêmanî' },
  IQG06Q02: { ckb: 'چەمچەماڵ', kmr: 'Çemçemal', aliases: ['Chamchamal', 'Chemchemal'] },
  IQG06Q03: { ckb: 'دەربەندیخان', kmr: 'Derbendîxan', aliases: ['Darbandikhan', 'Derbendikhan'] },
  IQG06Q04: { ckb: 'دوکان', kmr: 'Dukan', aliases: ['Dukan', 'Dokan'] },
  IQG06Q05: { ckb: 'هەڵەبجە', kmr: 'Helebce', aliases: ['Halabja', 'Halabjah', 'Helebce'] },
  IQG06Q06: { ckb: 'کەلار', kmr: 'Kelar', aliases: ['Kalar'] },
  IQG06Q07: { ckb: 'پێنجوێن', kmr: 'Pêncwên', aliases: ['Penjwen', 'Panjwin', 'Penjwin'] },
  IQG06Q08: { ckb: 'پشدەر', kmr: 'Pişder', aliases: ['Pshdar', 'Qaladze', 'قەڵادزێ'] },
  IQG06Q09: { ckb: 'ڕانیە', kmr: 'Ranye', aliases: ['Ranya', 'Rania'] },
  IQG06Q10: { ckb: 'شارباژێڕ', kmr: 'Şarbajêr', aliases: ['Sharbazher', 'Sharbazhr'] },
  IQG07Q01: { aliases: ['Hashimiya'], ambiguous: ['الهاشمية'] },
  IQG07Q02: { aliases: ['Hilla', 'Hillah'] },
  IQG07Q03: { aliases: ['Mahawil'] },
  IQG07Q04: { aliases: ['Musayyib', 'Mussayab'] },
  IQG08Q01: { ar: 'الأعظمية', aliases: ['Adhamiya', 'Adhamiyah'] },
  IQG08Q02: { aliases: ['Kadhimiya', 'Kadhimiyah', 'Kazimiyah'] },
  IQG08Q03: { aliases: ['Karkh'] },
  IQG08Q04: { aliases: ['Madain', 'Salman Pak', 'سلمان باك'] },
  IQG08Q05: { aliases: ['Mahmudiya', 'Mahmudiyah'] },
  IQG08Q06: { aliases: ['Rusafa', 'Risafa'] },
  IQG08Q07: { aliases: ['Sadr City', 'مدينة الصدر'], ambiguous: ['Al-Thawra', 'الثورة'] },
  IQG09Q01: { ckb: 'ئامێدی', kmr: 'Amêdî', aliases: ['Amadiya', 'Amadiyah', 'Amedi'] },
  IQG09Q02: { ckb: 'دهۆک', kmr: 'Dihok', aliases: ['Dohuk', 'Dahuk'] },
  IQG09Q03: { ckb: 'سێمێل', kmr: 'Sêmêl', aliases: ['Sumel', 'Semel', 'Simele'] },
  IQG09Q04: { ckb: 'زاخۆ', kmr: 'Zaxo', aliases: ['Zakho'] },
  IQG10Q01: { aliases: ['Khalis'], ambiguous: ['الخالص', 'Khalis'] },
  IQG10Q02: { aliases: ['Muqdadiya', 'Muqdadiyah'] },
  // The dataset gives مندلي (its sub-district Mandali) as this district's Arabic name.
  IQG10Q03: { ar: 'بلدروز', aliases: ['Balad Ruz'] },
  IQG10Q04: { aliases: ['Baqubah', 'Baqouba'] },
  IQG10Q05: { ckb: 'خانەقین', kmr: 'Xaneqîn', aliases: ['Khanaqin'] },
  IQG10Q06: { ckb: 'کفری', kmr: 'Kifrî', aliases: ['Kifri'] },
  IQG11Q01: { ckb: 'زێبار', kmr: 'Zêbar', aliases: ['Zibar', 'Zebar'] },
  IQG11Q02: { ar: 'أربيل', ckb: 'هەولێر', kmr: 'Hewlêr', aliases: ['Arbil', 'Irbil', 'Hawler', 'Hewler'] },
  IQG11Q03: { ckb: 'کۆیە', kmr: 'Koye', aliases: ['Koya', 'Koysinjaq', 'Koisanjaq', 'كويه'] },
  IQG11Q04: { ckb: 'مەخموور', kmr: 'Mexmûr', aliases: ['Makhmur'], ambiguous: ['مخمور'] },
  IQG11Q05: {
    ckb: 'ڕەواندز',
    kmr: 'Rewandiz',
    aliases: ['Rawandiz', 'Rewanduz', 'Soran', 'سۆران', 'سوران'],
    ambiguous: ['Soran', 'سۆران', 'سوران'],
  },
  IQG11Q06: { ckb: 'شەقڵاوە', kmr: 'Şeqlawe', aliases: ['Shaqlawa'] },
  IQG12Q01: { aliases: ['Ain al-Tamr', 'Ayn al-Tamr'] },
  IQG12Q02: { aliases: ['Hindiya'], ambiguous: ['الهندية'] },
  IQG12Q03: { ckb: 'کەربەلا', kmr: 'Kerbela', aliases: ['Karbala', 'كربلا'] },
  IQG13Q01: { ckb: 'حەویجە', kmr: 'Hewîce', aliases: ['Hawija', 'Hawijah'] },
  IQG13Q02: { ckb: 'داقووق', kmr: 'Daqûq', aliases: ['Daquq', 'Tawuq', 'Dakuk'] },
  IQG13Q03: { ckb: 'دبس', kmr: 'Dibis', aliases: ['Dibs', 'الدبس'] },
  IQG13Q04: { ckb: 'کەرکووک', kmr: 'Kerkûk', aliases: ['Kerkuk'] },
  IQG14Q01: { aliases: ['Amara', 'Amarah'], ambiguous: ['Al-Amara', 'Amara', 'Amarah', 'العمارة'] },
  IQG14Q02: { aliases: ['Ali al-Gharbi'] },
  IQG14Q03: { aliases: ['Kahla'] },
  IQG14Q04: { aliases: ['Maimouna', 'Maimuna'], ambiguous: ['الميمونة'] },
  IQG14Q05: { aliases: ['Majar al-Kabir'] },
  IQG14Q06: { aliases: ['Qalat Salih'] },
  IQG15Q01: { ckb: 'ئاکرێ', kmr: 'Akrê', aliases: ['Akre', 'Aqrah'] },
  IQG15Q02: { ckb: 'بەعاج', aliases: ['Baaj', "Ba'aj"] },
  IQG15Q03: {
    ckb: 'حەمدانیە',
    kmr: 'Hemdaniye',
    aliases: ['Hamdaniya', 'Hamdaniyah', 'Qaraqosh', 'Bakhdida', 'قره قوش', 'قرقوش', 'بغديدا'],
  },
  IQG15Q04: { aliases: ['Hatra'], ambiguous: ['الحضر'] },
  IQG15Q05: { ckb: 'موسڵ', kmr: 'Mûsil', aliases: ['Mosul', 'Mousl', 'مووسڵ'] },
  IQG15Q06: { ckb: 'شێخان', kmr: 'Şêxan', aliases: ['Shekhan', 'Sheikhan', 'Shaikhan'] },
  IQG15Q07: { ckb: 'شنگال', kmr: 'Şingal', aliases: ['Shingal', 'Shengal', 'شنكال'] },
  IQG15Q08: { ckb: 'تەلەعفەر', kmr: 'Telafer', aliases: ['Tal Afar', 'Tel Afar', 'Tallafar', 'تل عفر'] },
  IQG15Q09: { ckb: 'تلکێف', kmr: 'Tilkêf', aliases: ['Tel Kaif', 'Tel Keppe', 'Telkaif', 'تل كيف'] },
  IQG16Q01: { aliases: ['Dour', 'Daur'], ambiguous: ['Al-Daur', 'Daur', 'Dour', 'الدور'] },
  IQG16Q02: { aliases: ['Shirqat', 'Sharqat'] },
  IQG16Q03: { aliases: ['Baiji', 'Beiji', 'Bayji'] },
  IQG16Q04: { ambiguous: ['Balad', 'بلد'] },
  IQG16Q06: { aliases: ['Tikrit'] },
  IQG16Q07: {
    ckb: 'خورماتوو',
    kmr: 'Xurmatû',
    aliases: ['Tuz Khurmatu', 'Tuz Khormato', 'Khurmatu', 'Tuz', 'طوزخورماتو', 'طوز', 'دووزخورماتوو'],
  },
  IQG17Q01: { aliases: ['Chibayish'] },
  IQG17Q02: { aliases: ['Rifai'], ambiguous: ['الرفاعي', 'Rifai'] },
  IQG17Q03: { aliases: ['Shatra', 'Shatrah'] },
  IQG17Q04: { aliases: ['Nasiriyah', 'Nasiriya', 'Nassiriya'] },
  IQG17Q05: { aliases: ['Suq al-Shuyukh'] },
  IQG18Q01: { aliases: ['Al-Hay'], ambiguous: ['Al-Hai', 'Al-Hay', 'Hai', 'الحي'] },
  IQG18Q02: { aliases: ['Kut'] },
  IQG18Q03: { aliases: ['Numaniyah', "Nu'maniyah"] },
  IQG18Q04: { aliases: ['Suwaira', 'Suwayrah'] },
};

/**
 * Sub-districts a matcher may look for: towns people name in messages (often where they were displaced from or
 * returned to) whose names are not everyday words. The rest are kept for lookups only.
 */
const MATCHABLE_SUB_DISTRICTS: Record<string, Extra> = {
  IQG15Q05N01: { aliases: ['Qayyarah', 'Qayara'] },
  IQG15Q05N02: { aliases: ['Hammam al-Alil'] },
  IQG15Q05N03: { aliases: ['Bashiqa', 'Bashika'] },
  IQG15Q03N02: { aliases: ['Bartella', 'Bartalla'] },
  IQG15Q08N03: { aliases: ['Zummar', 'Zumar'] },
  IQG15Q09N02: { aliases: ['Alqosh', 'Alqush'] },
  IQG15Q07N01: { aliases: ['Qairawan', 'Qayrawan'] },
  IQG15Q01N01: { aliases: ['Bardarash'] },
  IQG10Q05N04: { aliases: ['Jalawla', 'Jalula'] },
  IQG10Q03N01: { aliases: ['Mandali'] },
  IQG16Q07N01: { aliases: ['Amerli', 'Amirli'] },
  IQG16Q07N03: { aliases: ['Sulaiman Bek', 'Suleiman Beg'] },
  IQG16Q04N04: { aliases: ['Dujail', 'Dujayl'] },
  IQG16Q04N03: { aliases: ['Dhuluiya', 'Duluiya'] },
  IQG08Q02N02: { aliases: ['Abu Ghraib', 'أبو غريب', 'ابو غريب'] },
  IQG08Q02N04: { aliases: ['Tarmiyah', 'Tarmiya'] },
  IQG07Q04N01: { aliases: ['Jurf al-Sakhar', 'Jurf al-Nasr', 'جرف النصر'] },
  IQG01Q03N01: { aliases: ['Habbaniyah', 'Habbaniya'] },
  IQG01Q07N03: { aliases: ['Kubaisa', 'Kubaysah'] },
  IQG02Q06N02: { aliases: ['Safwan'] },
  IQG02Q06N03: { aliases: ['Umm Qasr', 'أم قصر'] },
  IQG11Q06N03: { aliases: ['Harir', 'حەریر'] },
  IQG11Q05N05: { aliases: ['Mergasur', 'مێرگەسۆر'] },
  IQG11Q02N01: { aliases: ['Qushtapa', 'قوشتەپە'] },
  IQG11Q04N04: { aliases: ['Gwer', 'گوێر'] },
  IQG13Q03N03: { aliases: ['Altun Kupri', 'Prde', 'پردێ'] },
  IQG06Q05N02: { aliases: ['Khurmal', 'خورماڵ'] },
  IQG09Q01N04: { aliases: ['Sarsing', 'Sarsang', 'سەرسنگ'] },
  IQG09Q02N03: { aliases: ['Zawita', 'زاویتە'] },
  IQG06Q01N01: { aliases: ['Bazian', 'Bazyan', 'بازیان'] },
};

/** Dataset slips in sub-district names. */
const SUB_DISTRICT_AR_FIXES: Record<string, string> = {
  IQG17Q04N02: 'مركز الناصرية',
};

interface Row {
  adm1: { pcode: string; en: string; ar: string };
  adm2: { pcode: string; en: string; ar: string };
  adm3: { pcode: string; en: string; ar: string };
}

function parseCsv(text: string): Row[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = lines.shift()?.split(',') ?? [];
  const expected = 'adm1_pcode,adm1_en,adm1_ar,adm2_pcode,adm2_en,adm2_ar,adm3_pcode,adm3_en,adm3_ar';
  if (header.join(',') !== expected) throw new Error(`unexpected CSV header: ${header.join(',')}`);
  return lines.map((line, i) => {
    const f = line.split(',').map((s) => s.trim());
    if (f.length !== 9 || f.some((s) => s === ''))
      throw new Error(`line ${i + 2}: expected 9 non-empty fields`);
    const [p1, e1, a1, p2, e2, a2, p3, e3, a3] = f as [string, ...string[]] as string[];
    return {
      adm1: { pcode: p1!, en: e1!, ar: a1! },
      adm2: { pcode: p2!, en: e2!, ar: a2! },
      adm3: { pcode: p3!, en: e3!, ar: a3! },
    };
  });
}

function names(base: { en: string; ar: string }, extra: Extra | undefined) {
  return {
    en: base.en,
    ar: extra?.ar ?? base.ar,
    ...(extra?.ckb ? { ckb: extra.ckb } : {}),
    ...(extra?.kmr ? { kmr: extra.kmr } : {}),
  };
}

/** Districts whose Arabic name in the dataset is wrong rather than differently spelt. */
const WRONG_DATASET_ARABIC = new Set(['IQG10Q03']);

/** Aliases keep the dataset's own Arabic spelling when a display name replaced it, so both are matched. */
function aliases(pcode: string, base: { ar: string }, extra: Extra | undefined): string[] {
  const out = [...(extra?.aliases ?? [])];
  if (extra?.ar && extra.ar !== base.ar && !WRONG_DATASET_ARABIC.has(pcode)) out.push(base.ar);
  return [...new Set(out)];
}

export function buildGazetteer(rows: Row[]): GazetteerData {
  const govs = new Map<string, Row['adm1']>();
  const dists = new Map<string, { gov: string; d: Row['adm2'] }>();
  const subs = new Map<string, { dist: string; s: Row['adm3'] }>();
  for (const r of rows) {
    govs.set(r.adm1.pcode, r.adm1);
    dists.set(r.adm2.pcode, { gov: r.adm1.pcode, d: r.adm2 });
    subs.set(r.adm3.pcode, { dist: r.adm2.pcode, s: r.adm3 });
  }
  const byCode = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const data: GazetteerData = {
    source:
      'OCHA/CSO common operational dataset, Iraq administrative boundaries (valid from 2019-06-03); Kurdish ' +
      'names and aliases added by the project.',
    governorates: [...govs.values()]
      .sort((a, b) => byCode(a.pcode, b.pcode))
      .map((g) => {
        const extra = GOVERNORATES[g.pcode];
        return {
          pcode: g.pcode,
          region: KRI_GOVERNORATES.has(g.pcode) ? ('kri' as const) : ('federal' as const),
          names: names(g, extra),
          aliases: aliases(g.pcode, g, extra),
          ambiguous: extra?.ambiguous ?? [],
        };
      }),
    districts: [...dists.values()]
      .sort((a, b) => byCode(a.d.pcode, b.d.pcode))
      .map(({ gov, d }) => {
        const extra = DISTRICTS[d.pcode];
        return {
          pcode: d.pcode,
          governorate: gov,
          names: names(d, extra),
          aliases: aliases(d.pcode, d, extra),
          ambiguous: extra?.ambiguous ?? [],
        };
      }),
    subDistricts: [...subs.values()]
      .sort((a, b) => byCode(a.s.pcode, b.s.pcode))
      .map(({ dist, s }) => {
        const extra = MATCHABLE_SUB_DISTRICTS[s.pcode];
        const ar = SUB_DISTRICT_AR_FIXES[s.pcode] ?? s.ar;
        return {
          pcode: s.pcode,
          district: dist,
          names: { en: s.en, ar },
          aliases: extra?.aliases ?? [],
          matchable: extra !== undefined,
        };
      }),
  };
  for (const table of [GOVERNORATES, DISTRICTS, MATCHABLE_SUB_DISTRICTS]) {
    for (const pcode of Object.keys(table)) {
      const known = govs.has(pcode) || dists.has(pcode) || subs.has(pcode);
      if (!known) throw new Error(`extra names for unknown P-code ${pcode}`);
    }
  }
  return GazetteerSchema.parse(data);
}

/** One record a line: small enough to bundle, and a data change shows as a one-line diff. */
function serialise(data: GazetteerData): string {
  const list = (items: unknown[]) => `[\n${items.map((x) => `    ${JSON.stringify(x)}`).join(',\n')}\n  ]`;
  return (
    `{\n  "source": ${JSON.stringify(data.source)},\n` +
    `  "governorates": ${list(data.governorates)},\n` +
    `  "districts": ${list(data.districts)},\n` +
    `  "subDistricts": ${list(data.subDistricts)}\n}\n`
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const data = buildGazetteer(parseCsv(readFileSync(csvPath, 'utf8')));
  writeFileSync(outPath, serialise(data));
  process.stdout.write(
    `wrote ${outPath}: ${data.governorates.length} governorates, ${data.districts.length} districts, ` +
      `${data.subDistricts.length} sub-districts\n`,
  );
}
