/**
 * Finds the governorate and district a free-text message names ("من الموصل", "li Dihokê", "لە هەولێر",
 * "camp near Zakho"), for SMS that arrive without a location.
 *
 * Every name and alias is folded with the classifier's normaliser (alef, hamza, taa marbuta, Sorani letters,
 * Kurmanji diacritics), with and without the article (ال / al-). A message word may carry Arabic clitics in
 * front (و ف ب ل ك, لل) and Kurdish endings behind (-دا -ەوە -ی, -ê -a -yê), which are tried off. Names that
 * are also everyday words ("عنه" is "about him", "الحي" "the neighbourhood", "Hamza" a first name) count only
 * after a word such as "قضاء"/"district"/"navçeya", or when the message also names their governorate.
 */
import { normalise, tokenise } from '../classification/normalise.ts';
import { type Gazetteer, gazetteer } from './gazetteer.ts';

export interface PlaceMatch {
  governorate: string;
  district?: string;
  subDistrict?: string;
  /** The normalised words that matched, in message order (place names only). */
  matched: string[];
}

interface Entry {
  level: 0 | 1 | 2; // governorate, district, sub-district
  governorate: string;
  district?: string;
  subDistrict?: string;
  ambiguous: boolean;
}

interface Index {
  entries: Map<string, Entry[]>;
  longest: number;
}

/** Words after which a place name is meant as a place: district, sub-district, city, area, governorate. */
const CUES = new Set(
  [
    'قضاء',
    'قضا',
    'ناحية',
    'مدينة',
    'منطقة',
    'محافظة',
    'قەزای',
    'ناحیەی',
    'شاری',
    'شارۆچکەی',
    'پارێزگای',
    'district',
    'city',
    'town',
    'governorate',
    'qadha',
    'qada',
    'nahiya',
    'navçeya',
    'bajarê',
    'qezaya',
    'parêzgeha',
  ].map(normalise),
);

const ARABIC_START = /^[\u0600-\u06ff]/;

function withoutArticle(key: string): string | undefined {
  if (key.startsWith('al ') && key.length >= 6) return key.slice(3);
  if (key.startsWith('ال') && key.split(' ')[0]!.length >= 5) return key.slice(2);
  return undefined;
}

const placeOf = (e: Entry): string => e.subDistrict ?? e.district ?? e.governorate;

function buildIndex(g: Gazetteer): Index {
  const entries = new Map<string, Entry[]>();
  let longest = 1;
  const add = (name: string, entry: Entry, ambiguousKeys: ReadonlySet<string>) => {
    const key = normalise(name);
    for (const k of [key, withoutArticle(key)]) {
      if (!k || k.length < 3) continue;
      const list = entries.get(k) ?? [];
      if (!list.some((e) => placeOf(e) === placeOf(entry)))
        list.push({ ...entry, ambiguous: ambiguousKeys.has(k) });
      entries.set(k, list);
      longest = Math.max(longest, k.split(' ').length);
    }
  };
  // A name listed as ambiguous makes its key ambiguous (with and without the article), whichever name added it.
  const ambiguousSet = (names: readonly string[]) =>
    new Set(
      names.flatMap((n) => [normalise(n), withoutArticle(normalise(n))]).filter((k) => k !== undefined),
    );
  for (const gov of g.governorates) {
    const amb = ambiguousSet(gov.ambiguous);
    for (const n of [...Object.values(gov.names), ...gov.aliases]) {
      add(n, { level: 0, governorate: gov.pcode, ambiguous: false }, amb);
    }
  }
  for (const d of g.districts) {
    const amb = ambiguousSet(d.ambiguous);
    for (const n of [...Object.values(d.names), ...d.aliases]) {
      add(n, { level: 1, governorate: d.governorate, district: d.pcode, ambiguous: false }, amb);
    }
  }
  for (const s of g.subDistricts) {
    if (!s.matchable) continue;
    const d = g.findDistrict(s.district);
    if (!d) continue;
    const base = { level: 2 as const, governorate: d.governorate, district: d.pcode, subDistrict: s.pcode };
    for (const n of [...Object.values(s.names), ...s.aliases])
      add(n, { ...base, ambiguous: false }, new Set());
  }
  for (const list of entries.values()) list.sort((a, b) => a.level - b.level);
  return { entries, longest };
}

/** Forms of a word with Arabic clitics taken off its front: وبالموصل → بالموصل, الموصل; للموصل → الموصل. */
function frontForms(word: string): string[] {
  if (!ARABIC_START.test(word)) return [word];
  const out = new Set([word]);
  const bases = [word];
  if ((word[0] === 'و' || word[0] === 'ف') && word.length >= 4) bases.push(word.slice(1));
  for (const w of bases) {
    out.add(w);
    if ('بلك'.includes(w[0]!) && w.length >= 4) out.add(w.slice(1));
    if (w.startsWith('لل') && w.length >= 5) out.add(`ال${w.slice(2)}`);
  }
  return [...out];
}

const ARABIC_SCRIPT_ENDINGS = ['هوه', 'دا', 'يش', 'ي'];
const LATIN_ENDINGS = ['ye', 'e', 'a'];

/** Forms of a word with a Kurdish case ending or an Arabic nisba taken off its end: دهۆکدا → دهوك, Dihokê → dihok. */
function backForms(word: string): string[] {
  const out = [word];
  const endings = ARABIC_START.test(word) ? ARABIC_SCRIPT_ENDINGS : LATIN_ENDINGS;
  for (const e of endings) {
    if (word.endsWith(e) && word.length - e.length >= 3) out.push(word.slice(0, -e.length));
  }
  return out;
}

let index: Index | undefined;
let indexedFrom: Gazetteer | undefined;

function indexFor(g: Gazetteer): Index {
  if (!index || indexedFrom !== g) {
    index = buildIndex(g);
    indexedFrom = g;
  }
  return index;
}

interface Hit {
  entry: Entry;
  key: string;
  cued: boolean;
}

function lookup(idx: Index, words: readonly string[]): { entry: Entry; key: string } | undefined {
  const first = frontForms(words[0]!);
  const lastForms = words.length === 1 ? undefined : backForms(words[words.length - 1]!);
  const middle = words.slice(1, -1).join(' ');
  for (const f of first) {
    const heads = words.length === 1 ? backForms(f) : [f];
    for (const head of heads) {
      for (const last of lastForms ?? ['']) {
        const key = [head, middle, last].filter((p) => p !== '').join(' ');
        const entry = idx.entries.get(key)?.[0];
        if (entry) return { entry, key };
      }
    }
  }
  return undefined;
}

/**
 * The place a message names, or undefined when it names none. When it names several, the first one mentioned
 * decides the governorate, and the first district (or town) named in that governorate, if any, is added.
 * A name shared by a governorate and its capital district ("أربيل", "Duhok") counts as the governorate.
 */
export function matchPlace(text: string, g: Gazetteer = gazetteer()): PlaceMatch | undefined {
  const idx = indexFor(g);
  const words = tokenise(text);
  const hits: Hit[] = [];
  let i = 0;
  while (i < words.length) {
    // Longest phrase first, so "سوق الشيوخ" wins over a shorter name inside it.
    let length = Math.min(idx.longest, words.length - i);
    let found: { entry: Entry; key: string } | undefined;
    while (length >= 1 && !found) {
      found = lookup(idx, words.slice(i, i + length));
      if (!found) length--;
    }
    if (!found) {
      i++;
      continue;
    }
    const prev = i > 0 ? frontForms(words[i - 1]!) : [];
    hits.push({ ...found, cued: prev.some((w) => CUES.has(w)) });
    i += length;
  }
  const trusted = new Set(hits.filter((h) => !h.entry.ambiguous).map((h) => h.entry.governorate));
  const accepted = hits.filter((h) => !h.entry.ambiguous || h.cued || trusted.has(h.entry.governorate));
  const first = accepted[0];
  if (!first) return undefined;
  const governorate = first.entry.governorate;
  const local = accepted.find((h) => h.entry.governorate === governorate && h.entry.level > 0);
  return {
    governorate,
    ...(local?.entry.district ? { district: local.entry.district } : {}),
    ...(local?.entry.subDistrict ? { subDistrict: local.entry.subDistrict } : {}),
    matched: accepted.map((h) => h.key),
  };
}
