/**
 * How alike two complaints are, cheaply and deterministically, in any of the four languages.
 *
 * Character 3-grams of the classifier's normalised text compare two messages well when they are written in the same
 * language, and not at all across languages ("no water" and «ماكو ماي» share no letter). So each text is first read
 * for a small set of concepts, each spelt in Arabic, Sorani, Kurmanji and English: the topics people complain about
 * (water, food, electricity …) and the aspects that go with them (something is missing, late, in the camp). Two
 * texts that both name a topic are compared by the Jaccard index of their concepts; otherwise by the Jaccard index of
 * their character 3-grams. Either way a pair is similar at {@link SIMILARITY_THRESHOLD} or more (the README's
 * "Clusters" says how the figure was chosen; test/unit/clusters/similarity.test.ts is the experiment).
 */
import { normalise } from '../classification/normalise.ts';

/** A pair of texts at or above this Jaccard index is similar enough to share a cluster. */
export const SIMILARITY_THRESHOLD = 0.6;

interface Concept {
  /** Whether the concept is what a complaint is about (a topic) rather than how (an aspect). */
  topic: boolean;
  /** Words that must match a whole normalised word (after Arabic prefixes are taken off). */
  exact: readonly string[];
  /** Stems that a normalised word may begin with (long enough not to be confused). */
  stems?: readonly string[];
}

/** Words are written as people write them; they are normalised once, as the texts are. */
const CONCEPTS: Readonly<Record<string, Concept>> = {
  water: {
    topic: true,
    exact: [
      'water',
      'waters',
      'ماء',
      'مياه',
      'ماي',
      'مي',
      'ئاو',
      'ئاوی',
      'ئاوەکە',
      'ئاومان',
      'av',
      'ava',
      'avê',
      'avê',
    ],
  },
  electricity: {
    topic: true,
    exact: ['electricity', 'power', 'كهرباء', 'كهربا', 'کارەبا', 'کارەبای', 'ceyran', 'karebe'],
    stems: ['elektr'],
  },
  food: {
    topic: true,
    exact: [
      'food',
      'basket',
      'baskets',
      'flour',
      'rice',
      'bread',
      'ration',
      'rations',
      'اكل',
      'أكل',
      'طعام',
      'غذاء',
      'غذائية',
      'سلة',
      'السلة',
      'سلات',
      'طحين',
      'خبز',
      'خواردن',
      'ئارد',
      'نان',
      'سەبەتە',
      'سەبەتەی',
      'xwarin',
      'ard',
      'nan',
      'sebet',
      'selik',
    ],
  },
  shelter: {
    topic: true,
    exact: [
      'tent',
      'tents',
      'shelter',
      'caravan',
      'caravans',
      'خيمة',
      'خيم',
      'كرفان',
      'خێوەت',
      'چادر',
      'kon',
      'xêvet',
      'çadir',
    ],
  },
  sanitation: {
    topic: true,
    exact: [
      'toilet',
      'toilets',
      'latrine',
      'latrines',
      'sewage',
      'garbage',
      'rubbish',
      'trash',
      'waste',
      'حمام',
      'حمامات',
      'مرافق',
      'مرحاض',
      'مجاري',
      'نفايات',
      'زبالة',
      'ئاودەست',
      'تەوالێت',
      'زبڵ',
      'خاشاک',
      'tuwalet',
      'destav',
      'zibil',
      'çop',
    ],
  },
  health: {
    topic: true,
    exact: [
      'medicine',
      'medicines',
      'clinic',
      'doctor',
      'doctors',
      'hospital',
      'دواء',
      'أدوية',
      'علاج',
      'مستوصف',
      'طبيب',
      'دكتور',
      'مستشفى',
      'دەرمان',
      'نەخۆشخانە',
      'دکتۆر',
      'پزیشک',
      'derman',
      'doktor',
      'nexweşxane',
      'bijîşk',
    ],
  },
  cash: {
    topic: true,
    exact: ['cash', 'money', 'payment', 'payments', 'فلوس', 'نقود', 'مبلغ', 'كاش', 'پارە', 'پارەی', 'pere'],
  },
  school: {
    topic: true,
    exact: [
      'school',
      'schools',
      'teacher',
      'teachers',
      'مدرسة',
      'مدارس',
      'معلم',
      'قوتابخانە',
      'dibistan',
      'mamoste',
    ],
  },
  fuel: {
    topic: true,
    exact: [
      'fuel',
      'kerosene',
      'heater',
      'heating',
      'نفط',
      'كاز',
      'وقود',
      'مدفأة',
      'نەوت',
      'سووتەمەنی',
      'neft',
      'sotemenî',
    ],
  },
  lack: {
    topic: false,
    exact: [
      'no',
      'not',
      'none',
      'without',
      'cut',
      'nothing',
      'lack',
      'shortage',
      'ماكو',
      'لا',
      'ليس',
      'بدون',
      'انقطع',
      'مقطوع',
      'انقطاع',
      'مافي',
      'نقص',
      'نییە',
      'نیە',
      'نەماوە',
      'بڕاوە',
      'نەبوو',
      'tune',
      'tuneye',
      'nîne',
      'nayê',
      'nehatiye',
      'qut',
    ],
  },
  late: {
    topic: false,
    exact: ['late', 'delay', 'delayed', 'تأخر', 'متأخر', 'متأخرة', 'تأخير', 'dereng'],
    stems: ['دواکەوت'],
  },
  camp: {
    topic: false,
    exact: ['camp', 'camps', 'مخيم', 'مخيمات'],
    stems: ['کەمپ', 'kamp', 'kemp'],
  },
};

/** Arabic letters that join the next word (and, by, for, like, the); taken off before a word is looked up. */
const ARABIC_PREFIXES = ['وبال', 'وال', 'بال', 'فال', 'كال', 'لل', 'ال', 'و', 'ب', 'ل', 'ف', 'ك'];
const isArabicScript = (word: string) => /[\u0600-\u06ff]/.test(word);

const exactIndex = new Map<string, string>();
const stemIndex: { stem: string; concept: string }[] = [];
for (const [name, concept] of Object.entries(CONCEPTS)) {
  for (const w of concept.exact) exactIndex.set(normalise(w), name);
  for (const s of concept.stems ?? []) stemIndex.push({ stem: normalise(s), concept: name });
}
const TOPICS = new Set(
  Object.entries(CONCEPTS)
    .filter(([, c]) => c.topic)
    .map(([n]) => n),
);

function conceptOf(word: string): string | undefined {
  const forms = [word];
  if (isArabicScript(word))
    for (const p of ARABIC_PREFIXES)
      if (word.startsWith(p) && word.length - p.length >= 2) forms.push(word.slice(p.length));
  for (const form of forms) {
    const hit = exactIndex.get(form);
    if (hit) return hit;
    for (const { stem, concept } of stemIndex) if (form.startsWith(stem)) return concept;
  }
  return undefined;
}

/** What a text is compared by: its concepts and, for texts without a topic, its character 3-grams. */
export interface TextSignature {
  concepts: string[];
  /** Whether any of the concepts is a topic. */
  topical: boolean;
  trigrams: string[];
}

/** Reads `text` once into what {@link similarity} compares. */
export function signature(text: string): TextSignature {
  const norm = normalise(text);
  const concepts = new Set<string>();
  for (const word of norm.split(' ')) {
    const c = word ? conceptOf(word) : undefined;
    if (c) concepts.add(c);
  }
  const trigrams = new Set<string>();
  const padded = ` ${norm} `;
  for (let i = 0; i + 3 <= padded.length; i++) trigrams.add(padded.slice(i, i + 3));
  return {
    concepts: [...concepts].sort(),
    topical: [...concepts].some((c) => TOPICS.has(c)),
    trigrams: [...trigrams],
  };
}

function jaccard(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 && b.length === 0) return 0;
  const set = new Set(a);
  let both = 0;
  for (const x of new Set(b)) if (set.has(x)) both++;
  return both / (set.size + new Set(b).size - both);
}

/** The Jaccard index (0 to 1) of two signatures: of their concepts when both name a topic, else of their 3-grams. */
export function similarity(a: TextSignature, b: TextSignature): number {
  return a.topical && b.topical ? jaccard(a.concepts, b.concepts) : jaccard(a.trigrams, b.trigrams);
}
