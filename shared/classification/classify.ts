import { detectLanguage } from './language.ts';
import type { Feature } from './lexicon.ts';
import { featureIndex, match } from './matcher.ts';
import type { Classification, ClassificationHints } from './schema.ts';
import {
  CATEGORIES,
  CATEGORY_SENSITIVITY,
  type Category,
  type FeedbackType,
  maxSensitivity,
  maxUrgency,
  type Sector,
  type Sensitivity,
  type Urgency,
} from './taxonomy.ts';

/**
 * Rule-based classifier over the multilingual lexicon. The lexicon turns words into weighted features; the
 * rules below combine them (a negated "received" is exclusion, staff + money + asked is fraud, alone + staff is
 * possible sexual exploitation) and decide type, category, sector, sensitivity and urgency.
 * Sensitivity favours recall: anything that may be sexual exploitation or abuse is S3.
 */

const I = Object.fromEntries(
  (
    [
      'C10',
      'problem',
      'notrecv',
      'cannot',
      'notgive',
      'q',
      'why',
      'req',
      'want',
      'sug',
      'praise',
      'obs',
      'greet',
      'urgent',
      'sex',
      'sea',
      'alone',
      'place',
      'night',
      'msg',
      'phone',
      'photo',
      'private',
      'marry',
      'touch',
      'exchange',
      'cond',
      'come',
      'withme',
      'staff',
      'leader',
      'fsp',
      'aid',
      'women',
      'child',
      'home',
      'labour',
      'forced',
      'violence',
      'danger',
      'money',
      'ask',
      'take',
      'pay',
      'sell',
      'list',
      'register',
      'iddoc',
      'share',
      'wait',
      'quantity',
      'give',
      'recv',
      'improved',
      'shelter',
      'livelihoods',
      'basic_services',
      'documentation_hlp',
      'mhpss',
      'cash',
    ] as const satisfies readonly Feature[]
  ).map((f) => [f, featureIndex(f)]),
) as Record<string, number>;

const CATEGORY_INDEX = CATEGORIES.map((c) => featureIndex(c));

// When two categories score the same, the more sensitive one wins (recall for restricted cases).
const TIE_ORDER: readonly Category[] = ['C07', 'C08', 'C06', 'C09', 'C05', 'C04', 'C02', 'C01', 'C03', 'C10'];
const SENSITIVE_CATEGORIES: readonly Category[] = ['C05', 'C06', 'C07', 'C08', 'C09'];

const SECTOR_ORDER: readonly Exclude<Sector, 'protection' | 'other'>[] = [
  'mhpss',
  'livelihoods',
  'documentation_hlp',
  'shelter',
  'cash',
  'basic_services',
];

const BASE_URGENCY: Readonly<Record<FeedbackType, Urgency>> = {
  complaint: 'action',
  request: 'action',
  question: 'none',
  suggestion: 'monitor',
  praise: 'none',
  observation: 'monitor',
  incomplete: 'none',
};

const scores = new Float64Array(CATEGORIES.length);

function has(f: Float64Array, name: string): boolean {
  return f[I[name]!]! > 0;
}

function hasQuestionMark(text: string): boolean {
  return text.includes('?') || text.includes('؟');
}

/**
 * Classifies one message. `hints` are the choices the person made on the channel: each one overrides the
 * classifier's value for its field (and the evidence says so), except that sensitivity never drops below what
 * the text itself shows.
 */
export function classify(text: string, hints?: ClassificationHints): Classification {
  const lang = detectLanguage(text);
  const { features: f, tokens, evidence, youngAge } = match(text, lang.language, lang.script);
  const v = (name: string): number => f[I[name]!]!;

  for (let c = 0; c < CATEGORIES.length; c++) scores[c] = f[CATEGORY_INDEX[c]!]!;
  const add = (category: Category, weight: number, rule: string): void => {
    scores[CATEGORIES.indexOf(category)]! += weight;
    evidence.push(`rule:${rule}`);
  };
  let problem = v('problem');
  let req = v('req');
  // «داوای ... دەکەم», "asking for": asking for something that is not money is a request.
  if (has(f, 'ask') && req > 0 && !has(f, 'money')) req += 1.5;
  // A card next to an identity document is the ID card, not a payment card.
  if (has(f, 'iddoc') && !has(f, 'money') && scores[CATEGORIES.indexOf('C04')]! > 0) {
    scores[CATEGORIES.indexOf('C04')] = 0;
    evidence.push('rule:id-card-not-payment');
  }
  const child = has(f, 'child') || youngAge;
  const money = has(f, 'money') || has(f, 'cash');

  // Not received / cannot reach / not given: exclusion, unless the thing missing is money or a promised service.
  const otherActor = v('C10') >= 1.5;
  if (has(f, 'notrecv')) {
    problem += 2;
    if (otherActor) add('C10', 1.5, 'not-received+other-actor→C10');
    else if (money) add('C04', 2.5, 'not-received+money→C04');
    else if (has(f, 'list') || has(f, 'register')) add('C02', 1.5, 'not-received+list→C02');
    else if (has(f, 'wait')) add('C03', 2, 'not-received+waiting→C03');
    else add('C01', 2.5, 'not-received→C01');
  }
  if (has(f, 'cannot')) {
    problem += 1;
    add('C01', 1.5, 'cannot-reach→C01');
  }
  if (has(f, 'notgive')) {
    problem += 1;
    if (otherActor) add('C10', 1.5, 'not-given+other-actor→C10');
    else if (money) add('C04', 1.5, 'not-given+money→C04');
    else add('C01', 1.5, 'not-given→C01');
  }
  // Less money than promised, fees: the payment itself.
  if (money && has(f, 'quantity')) add('C04', 2, 'money+quantity→C04');
  // Money asked or taken for a place on the list, by staff or a leader: fraud. A payment agent's fee is C04.
  const gatekeeper = has(f, 'staff') || has(f, 'leader') || has(f, 'list') || has(f, 'register');
  if (has(f, 'money') && (has(f, 'ask') || has(f, 'take') || has(f, 'pay')) && gatekeeper) {
    if (has(f, 'fsp') && !has(f, 'list') && !has(f, 'register')) add('C04', 1.5, 'agent+money→C04');
    else {
      problem += 2;
      add('C06', 3, 'money-asked-for-aid→C06');
    }
  }
  if (has(f, 'sell') && (has(f, 'aid') || has(f, 'staff') || has(f, 'leader'))) add('C06', 1, 'aid-sold→C06');
  // Personal data: a photo of an ID, a phone number given away.
  if (has(f, 'photo') && has(f, 'iddoc')) add('C09', 2.5, 'photo-of-id→C09');
  if (has(f, 'phone') && (has(f, 'share') || v('C09') >= 2) && !has(f, 'msg'))
    add('C09', 1.5, 'number-shared→C09');

  // Sexual exploitation and abuse: strong words, or a pattern (alone, his place, marriage, touching, private
  // photos, messages at night) together with an aid worker, the aid, an exchange or women.
  let sea = v('sea');
  if (has(f, 'alone')) sea += 1.5;
  if (has(f, 'place') && (has(f, 'alone') || has(f, 'night') || has(f, 'staff'))) sea += 1.5;
  // Aid offered on condition of going with him, visiting him, coming to his place.
  const invited = has(f, 'come') || has(f, 'withme') || has(f, 'place');
  if (has(f, 'cond') && invited && (has(f, 'staff') || has(f, 'aid') || has(f, 'register') || has(f, 'list')))
    sea += 3;
  else if (has(f, 'withme') && has(f, 'place') && has(f, 'staff')) sea += 2;
  // An invitation to come at night, alone or to his place.
  if (has(f, 'come') && (has(f, 'night') || has(f, 'alone') || has(f, 'place'))) sea += 2;
  else if (has(f, 'come') && has(f, 'staff') && (has(f, 'women') || child)) sea += 1.5;
  // An aid worker after a woman's or a child's phone number, or calling and messaging them.
  const personal = has(f, 'phone') || has(f, 'msg');
  if (has(f, 'staff') && personal && (has(f, 'women') || child || has(f, 'night'))) sea += 2;
  else if (has(f, 'staff') && has(f, 'phone') && has(f, 'ask') && !has(f, 'register') && !has(f, 'list'))
    sea += 1;
  // Aid "in exchange for" something that is not money.
  if (
    has(f, 'exchange') &&
    !has(f, 'money') &&
    (has(f, 'aid') || has(f, 'register') || has(f, 'list') || has(f, 'staff'))
  ) {
    sea += 1.5;
  }
  if (personal && (has(f, 'night') || has(f, 'private')) && !has(f, 'staff')) sea += 2;
  if (has(f, 'photo') && !has(f, 'iddoc') && (has(f, 'ask') || has(f, 'private') || has(f, 'night')))
    sea += 2;
  const marriageOfChild = has(f, 'marry') && child && (has(f, 'forced') || !has(f, 'staff'));
  if (
    has(f, 'marry') &&
    !marriageOfChild &&
    (has(f, 'staff') ||
      has(f, 'aid') ||
      has(f, 'list') ||
      has(f, 'register') ||
      has(f, 'exchange') ||
      has(f, 'cond'))
  ) {
    sea += 2;
  }
  const context =
    has(f, 'staff') ||
    has(f, 'aid') ||
    has(f, 'exchange') ||
    has(f, 'women') ||
    has(f, 'register') ||
    has(f, 'list') ||
    has(f, 'cond') ||
    money;
  const seaLikely = has(f, 'sex') || sea >= 3 || (sea >= 1.5 && context);
  if (seaLikely && scores[CATEGORIES.indexOf('C07')]! < 4) add('C07', 4, 'possible-SEA→C07');
  const seaUnclear = !seaLikely && sea > 0;

  // Child safeguarding: a child working, married, hurt or in danger.
  const childAtRisk =
    child &&
    (has(f, 'labour') || has(f, 'forced') || has(f, 'marry') || has(f, 'violence') || has(f, 'danger'));
  if (childAtRisk) add('C08', 4, 'child-at-risk→C08');
  if (has(f, 'violence') && has(f, 'home')) add('C08', 1.5, 'violence-at-home→C08');

  const topIndex = argmax(scores, null);
  const top = topIndex >= 0 ? scores[topIndex]! : 0;
  const second = topIndex >= 0 ? secondBest(scores, topIndex) : 0;
  const questionMark = hasQuestionMark(text);

  // ── Type ──
  let type: FeedbackType;
  const onlyFiller = top < 1 && problem < 1 && req < 1.5 && v('q') < 2 && v('praise') < 2 && v('sug') < 1.5;
  const filler = (has(f, 'greet') && tokens <= 4) || (has(f, 'want') && tokens <= 3) || tokens <= 1;
  const sensitiveTop = argmax(scores, SENSITIVE_CATEGORIES);
  const sensitiveScore = sensitiveTop >= 0 ? scores[sensitiveTop]! : 0;
  if (tokens === 0 || (onlyFiller && filler && !questionMark)) {
    type = 'incomplete';
  } else if (v('obs') >= 2) type = 'observation';
  else if (v('praise') >= 2 && problem < 2) type = 'praise';
  else if (v('sug') >= 1.5 && problem < 2.5) type = 'suggestion';
  else if (seaLikely || childAtRisk || sensitiveScore >= 2) type = 'complaint';
  else if (problem >= 2) type = 'complaint';
  else if (has(f, 'mhpss') && (req > 0 || v('q') > 0)) type = 'request';
  else if (v('q') >= 2 && questionMark && req < 2 && problem < 1) type = 'question';
  else if (req >= 1.5) type = 'request';
  else if ((v('q') >= 2 || questionMark) && problem < 1) type = 'question';
  else if (problem >= 1) type = 'complaint';
  else if (has(f, 'want') && tokens > 2) type = 'request';
  else if (top >= 1.5) type = 'complaint';
  else if (has(f, 'q') || has(f, 'why')) type = 'question';
  else if (tokens <= 2) type = 'incomplete';
  else type = 'complaint';
  if (hints?.type !== undefined) {
    if (hints.type !== type) evidence.push(`hint:type=${hints.type}`);
    type = hints.type;
  }

  // ── Category ──
  let category: Category | null = null;
  if (type === 'complaint') {
    category = topIndex >= 0 && top > 0 ? CATEGORIES[topIndex]! : has(f, 'notrecv') ? 'C01' : 'C03';
  } else if (seaLikely) category = 'C07';
  else if (childAtRisk) category = 'C08';
  else if (sensitiveScore >= 2.5) category = CATEGORIES[sensitiveTop]!;
  if (hints !== undefined && hints.category !== undefined) {
    if (hints.category !== category) evidence.push(`hint:category=${hints.category ?? 'none'}`);
    category = hints.category;
  }

  // ── Sensitivity: what the text shows, never lowered by a hint ──
  let shown: Sensitivity = 'S0';
  if (category !== null) shown = CATEGORY_SENSITIVITY[category];
  if (category === 'C08' && (child || has(f, 'staff'))) shown = 'S3';
  if (seaLikely || childAtRisk) shown = 'S3';
  else if (seaUnclear) shown = maxSensitivity(shown, 'S2');
  // Misconduct that scored close to the chosen category: unclear, so S2 until a focal point reviews it.
  for (const c of ['C05', 'C06', 'C09'] as const) {
    const score = scores[CATEGORIES.indexOf(c)]!;
    if (type === 'complaint' && score >= 2 && score >= top - 0.5) shown = maxSensitivity(shown, 'S2');
  }
  if (category === null && has(f, 'mhpss') && (type === 'request' || type === 'question')) {
    shown = maxSensitivity(shown, 'S1');
  }
  let sensitivity = shown;
  if (hints?.sensitivity !== undefined) {
    sensitivity = maxSensitivity(hints.sensitivity, shown);
    evidence.push(
      sensitivity === hints.sensitivity
        ? `hint:sensitivity=${hints.sensitivity}`
        : `text-overrides-hint:sensitivity=${sensitivity}`,
    );
  }

  // ── Urgency ──
  let urgency: Urgency = BASE_URGENCY[type];
  if (sensitivity === 'S2' || sensitivity === 'S1') urgency = maxUrgency(urgency, 'action');
  if (sensitivity === 'S3') urgency = 'urgent';
  if (has(f, 'urgent') || (category === 'C08' && has(f, 'violence'))) urgency = 'urgent';
  if (hints?.urgency !== undefined) {
    if (hints.urgency !== urgency) evidence.push(`hint:urgency=${hints.urgency}`);
    urgency = hints.urgency;
  }

  // ── Sector ──
  let sector: Sector = 'other';
  if (category === 'C07' || category === 'C08') sector = 'protection';
  else if (category === 'C04') sector = 'cash';
  else if (category === null || category === 'C03' || category === 'C10') {
    let best = 0;
    for (const s of SECTOR_ORDER) {
      const value = v(s);
      if (value > best) {
        best = value;
        sector = s;
      }
    }
  }

  // ── Confidence ──
  const strength = Math.min(1, (problem + top + v('q') + req + v('praise') + v('sug') + v('obs')) / 6);
  const margin = type === 'complaint' && top > 0 ? (top - second) / top : 1;
  const confidence =
    tokens === 0 ? 0 : round2(0.15 + 0.55 * strength * (0.5 + 0.5 * margin) + 0.3 * lang.confidence);

  return { language: lang.language, type, category, sector, sensitivity, urgency, confidence, evidence };
}

function argmax(values: Float64Array, among: readonly Category[] | null): number {
  let best = -1;
  for (const c of TIE_ORDER) {
    if (among !== null && !among.includes(c)) continue;
    const index = CATEGORIES.indexOf(c);
    if (best < 0 || values[index]! > values[best]!) best = index;
  }
  return best >= 0 && values[best]! > 0 ? best : -1;
}

function secondBest(values: Float64Array, top: number): number {
  let best = 0;
  for (let i = 0; i < values.length; i++) if (i !== top && values[i]! > best) best = values[i]!;
  return best;
}

function round2(x: number): number {
  return Math.round(Math.min(1, Math.max(0, x)) * 100) / 100;
}
