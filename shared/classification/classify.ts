import { CATEGORY_MODEL_DATA } from './category-model.data.ts';
import { CATEGORY_BITS, type HashedText, hashText, MODEL_BITS, SENSITIVITY_BITS } from './features.ts';
import { detectLanguageOf } from './language.ts';
import type { Feature } from './lexicon.ts';
import { loadModel, predict } from './linear-model.ts';
import { FEATURE_COUNT, featureIndex, match } from './matcher.ts';
import { withoutReportingFrame } from './reporting-frame.ts';
import type { Classification, ClassificationHints, SensitivityBasis } from './schema.ts';
import { SENSITIVITY_MODEL_DATA, SENSITIVITY_THRESHOLDS } from './sensitivity-model.data.ts';
import {
  CATEGORIES,
  CATEGORY_SENSITIVITY,
  type Category,
  FEEDBACK_TYPES,
  type FeedbackType,
  type Language,
  maxSensitivity,
  maxUrgency,
  type Sector,
  type Sensitivity,
  type Urgency,
} from './taxonomy.ts';

/**
 * Classifier over the multilingual lexicon, with a learned model beside it. The lexicon turns words into weighted
 * features; the rules below combine them (a negated "received" is exclusion, staff + money + asked is fraud,
 * alone + staff is possible sexual exploitation) and decide type, category, sector, sensitivity and urgency.
 * Sensitivity favours recall and is only ever raised: by the rules on explicit terms, by the caution rule, then
 * by the sensitivity model (sensitivity-model.data.ts); the result says which (`basis`) and why (`reasons`).
 * Last, the category model (category-model.data.ts) reads the wording beside the rules' decisions and may move
 * the category where the rules had no pattern for it; it never moves sensitivity (`categoryFits`).
 */

// Feature indexes as a literal, so that each rule reads a fixed slot rather than looking a name up.
const X = {
  C01: featureIndex('C01'),
  C02: featureIndex('C02'),
  C03: featureIndex('C03'),
  C04: featureIndex('C04'),
  C05: featureIndex('C05'),
  C06: featureIndex('C06'),
  C07: featureIndex('C07'),
  C08: featureIndex('C08'),
  C09: featureIndex('C09'),
  C10: featureIndex('C10'),
  problem: featureIndex('problem'),
  neg: featureIndex('neg'),
  negpost: featureIndex('negpost'),
  notrecv: featureIndex('notrecv'),
  cannot: featureIndex('cannot'),
  notgive: featureIndex('notgive'),
  q: featureIndex('q'),
  why: featureIndex('why'),
  req: featureIndex('req'),
  want: featureIndex('want'),
  sug: featureIndex('sug'),
  praise: featureIndex('praise'),
  obs: featureIndex('obs'),
  greet: featureIndex('greet'),
  urgent: featureIndex('urgent'),
  thanks: featureIndex('thanks'),
  sex: featureIndex('sex'),
  sea: featureIndex('sea'),
  alone: featureIndex('alone'),
  place: featureIndex('place'),
  night: featureIndex('night'),
  msg: featureIndex('msg'),
  phone: featureIndex('phone'),
  photo: featureIndex('photo'),
  private: featureIndex('private'),
  marry: featureIndex('marry'),
  touch: featureIndex('touch'),
  exchange: featureIndex('exchange'),
  cond: featureIndex('cond'),
  come: featureIndex('come'),
  withme: featureIndex('withme'),
  visit: featureIndex('visit'),
  relationship: featureIndex('relationship'),
  favour: featureIndex('favour'),
  recv: featureIndex('recv'),
  give: featureIndex('give'),
  staff: featureIndex('staff'),
  leader: featureIndex('leader'),
  fsp: featureIndex('fsp'),
  aid: featureIndex('aid'),
  women: featureIndex('women'),
  child: featureIndex('child'),
  years: featureIndex('years'),
  smallnum: featureIndex('smallnum'),
  home: featureIndex('home'),
  labour: featureIndex('labour'),
  forced: featureIndex('forced'),
  violence: featureIndex('violence'),
  danger: featureIndex('danger'),
  money: featureIndex('money'),
  ask: featureIndex('ask'),
  take: featureIndex('take'),
  pay: featureIndex('pay'),
  bring: featureIndex('bring'),
  must: featureIndex('must'),
  sell: featureIndex('sell'),
  list: featureIndex('list'),
  register: featureIndex('register'),
  rotten: featureIndex('rotten'),
  iddoc: featureIndex('iddoc'),
  share: featureIndex('share'),
  wait: featureIndex('wait'),
  quantity: featureIndex('quantity'),
  improved: featureIndex('improved'),
  camp: featureIndex('camp'),
  self: featureIndex('self'),
  kin: featureIndex('kin'),
  complain: featureIndex('complain'),
  remove: featureIndex('remove'),
  sleep: featureIndex('sleep'),
  fromeach: featureIndex('fromeach'),
  nomoney: featureIndex('nomoney'),
  notdone: featureIndex('notdone'),
  shelter: featureIndex('shelter'),
  livelihoods: featureIndex('livelihoods'),
  basic_services: featureIndex('basic_services'),
  documentation_hlp: featureIndex('documentation_hlp'),
  mhpss: featureIndex('mhpss'),
  cash: featureIndex('cash'),
} as const satisfies Record<Feature, number>;

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

function has(f: Float64Array, feature: number): boolean {
  return f[feature]! > 0;
}

function hasQuestionMark(text: string): boolean {
  return text.includes('?') || text.includes('؟');
}

/**
 * A sum of money written in digits: «25000», «25,000», «٥٠٠٠٠», up to seven digits (a few million dinars). A
 * longer run of digits is a phone number (07… has eleven) or a card number, not a price: read as one, it made
 * "the volunteer" and a phone number a cautious S2.
 */
const AMOUNT = /(?<![0-9٠-٩])(?:[0-9٠-٩]{1,3}(?:[,.،٬][0-9٠-٩]{3})+|[0-9٠-٩]{4,7})(?![0-9٠-٩])/;

/** Inputs of the sensitivity model after the hashed n-grams: the lexicon's features and three flags. */
export const SENSITIVITY_DENSE = FEATURE_COUNT + 3;
/** Classes of the sensitivity model: not restricted, S2 (misconduct), S3 (sexual exploitation and abuse). */
export const SENSITIVITY_LABELS = ['none', 'S2', 'S3'] as const;
/** The shipped sensitivity model, or null before the first build (see `loadModel`). */
export const SENSITIVITY_MODEL = loadModel(
  SENSITIVITY_MODEL_DATA,
  SENSITIVITY_BITS,
  SENSITIVITY_DENSE,
  SENSITIVITY_LABELS,
);

/**
 * The sensitivity model's dense inputs: each lexicon feature (capped, so that one long message does not
 * outweigh the n-grams), whether the message is four words or fewer, whether it is about a child, and whether it
 * names a sum of money in digits.
 */
export function sensitivityDense(
  features: Float64Array,
  tokens: number,
  child: boolean,
  amount: boolean,
  out: Float64Array,
): Float64Array {
  for (let i = 0; i < FEATURE_COUNT; i++) out[i] = Math.min(features[i]!, 3) / 3;
  out[FEATURE_COUNT] = tokens <= 4 ? 1 : 0;
  out[FEATURE_COUNT + 1] = child ? 1 : 0;
  out[FEATURE_COUNT + 2] = amount ? 1 : 0;
  return out;
}

const dense = new Float64Array(SENSITIVITY_DENSE);
const probabilities = new Float64Array(SENSITIVITY_LABELS.length);

/** Classes of the category model: each category, and none (a question, a thanks, a request). */
export const CATEGORY_LABELS = [...CATEGORIES, 'none'] as const;
const LEVELS = ['S0', 'S1', 'S2', 'S3'] as const;
/**
 * Inputs of the category model after the hashed n-grams: the sensitivity model's dense inputs (the lexicon's
 * features and flags), then what the rules decided before any model: their category, type and sensitivity.
 */
export const CATEGORY_DENSE =
  SENSITIVITY_DENSE + CATEGORY_LABELS.length + FEEDBACK_TYPES.length + LEVELS.length;
/** The shipped category model, or null before the first build (see `loadModel`). */
export const CATEGORY_MODEL = loadModel(CATEGORY_MODEL_DATA, CATEGORY_BITS, CATEGORY_DENSE, CATEGORY_LABELS);

/** The category model's dense inputs, from the sensitivity model's and the rules' decisions. */
function categoryDenseOf(
  sensitivityInputs: Float64Array,
  category: Category | null,
  type: FeedbackType,
  level: Sensitivity,
  out: Float64Array,
): Float64Array {
  out.fill(0);
  out.set(sensitivityInputs.subarray(0, SENSITIVITY_DENSE));
  let at = SENSITIVITY_DENSE;
  out[at + (category === null ? CATEGORIES.length : CATEGORIES.indexOf(category))] = 1;
  at += CATEGORY_LABELS.length;
  out[at + FEEDBACK_TYPES.indexOf(type)] = 1;
  at += FEEDBACK_TYPES.length;
  out[at + LEVELS.indexOf(level)] = 1;
  return out;
}

/**
 * Whether the category model's choice `suggested` may replace the rules' `category` of a message at sensitivity
 * `level`: a category a pattern rule chose (its `rule:…→category` evidence, such as aid not received → C01) is
 * the rules' final say; the model never raises sensitivity (a category that asks for more than `level` is left to
 * the rules and the sensitivity model); an S3 message stays sexual exploitation or child protection; and a
 * complaint keeps a category.
 */
export function categoryFits(
  suggested: Category | null,
  category: Category | null,
  evidence: readonly string[],
  level: Sensitivity,
  type: FeedbackType,
): boolean {
  if (category !== null && ruleOf(evidence, category) !== 'words') return false;
  // Out of a sensitive category (misconduct, exploitation, child protection, data) only a focal point moves it.
  if (category !== null && SENSITIVE_CATEGORIES.includes(category)) {
    if (suggested === null || !SENSITIVE_CATEGORIES.includes(suggested)) return false;
  }
  if (suggested === null) return type !== 'complaint';
  if (level === 'S3' && suggested !== 'C07' && suggested !== 'C08') return false;
  return maxSensitivity(level, CATEGORY_SENSITIVITY[suggested]) === level;
}

const categoryDense = new Float64Array(CATEGORY_DENSE);
const categoryProbabilities = new Float64Array(CATEGORY_LABELS.length);

/** What the model build needs from one message: the rules' answer and the model's inputs. */
export interface ModelInputs {
  readonly rules: Classification;
  readonly hashed: HashedText;
  readonly dense: Float64Array;
  /** The category model's dense inputs. */
  readonly categoryDense: Float64Array;
}

/**
 * The sensitivity model's S3 probability at which it moves a message the rules restricted as S2 on explicit terms
 * (a bribe, an insult) to S3: more likely than not, a fixed bar rather than the build's S3 threshold, which is set
 * low to catch euphemisms among unrestricted messages and would send much explicit fraud to the PSEA desk.
 */
export const EXPLICIT_S3_RAISE = 0.5;
const MODEL_LEVELS = ['S0', 'S2', 'S3'] as const satisfies readonly Sensitivity[];

/**
 * What the sensitivity model asks for, from its probabilities (`p`: not restricted, S2, S3) and thresholds: 2 for
 * S3, 1 for S2, 0 for nothing. Where the rules restricted on explicit terms (`rulesFinal`), it may only ask for S3,
 * above {@link EXPLICIT_S3_RAISE}. The classifier and the model build (which picks the thresholds) both decide by it.
 */
export function modelLevel(
  p: ArrayLike<number>,
  thresholds: { readonly S2: number; readonly S3: number },
  rulesFinal: boolean,
): 0 | 1 | 2 {
  const s3 = p[2]!;
  if (rulesFinal) return s3 >= EXPLICIT_S3_RAISE ? 2 : 0;
  return s3 >= thresholds.S3 ? 2 : p[1]! + s3 >= thresholds.S2 ? 1 : 0;
}

/**
 * Classifies one message. `hints` are the choices the person made on the channel: each one overrides the
 * classifier's value for its field (and the evidence says so), except that sensitivity never drops below what
 * the text itself shows.
 *
 * Sensitivity favours recall, in three steps that only ever raise it: the rules over explicit words and
 * patterns (`basis: 'explicit'`); the caution rule, which restricts an aid worker named with money, a favour,
 * being alone, a visit, the night, a relationship or touching (`caution`); and the learned model, which raises a
 * message whose wording resembles the restricted messages it was trained on (`model`). `reasons` lists short
 * codes for what fired, never words of the message. `options.model: false` leaves the model out, to measure
 * what the rules do alone; `options.categoryModel: false` leaves out the category model alone (which moves a
 * category only, see `categoryFits`).
 */
export function classify(
  text: string,
  hints?: ClassificationHints,
  options?: { readonly model?: boolean; readonly categoryModel?: boolean },
): Classification {
  const model = options?.model ?? true;
  return run(text, hints, model, undefined, model && (options?.categoryModel ?? true)).result;
}

/**
 * The rules' classification without the model, and the model's inputs, for the model build: the message is read
 * in its labelled `language`, so that what the sensitivity model learns does not depend on the language model
 * shipped at the time. The inputs live in scratch arrays that the next call overwrites.
 */
export function modelInputs(text: string, language: Language): ModelInputs {
  const { result, hashed } = run(text, undefined, false, language);
  return { rules: result, hashed, dense, categoryDense };
}

function run(
  whole: string,
  hints: ClassificationHints | undefined,
  useModel: boolean,
  language?: Language,
  useCategoryModel = useModel,
): { result: Classification; hashed: HashedText } {
  // An operator's "the caller says that…" says who speaks, not what happened (reporting-frame.ts).
  const text = withoutReportingFrame(whole);
  const hashed = hashText(text, MODEL_BITS);
  const detected = detectLanguageOf(text, hashed);
  const lang = language === undefined ? detected : { ...detected, language };
  const { features: f, tokens, evidence, youngAge } = match(text, lang.language, lang.script);
  const v = (feature: number): number => f[feature]!;
  const reasons: string[] = [];

  for (let c = 0; c < CATEGORIES.length; c++) scores[c] = f[CATEGORY_INDEX[c]!]!;
  const add = (category: Category, weight: number, rule: string): void => {
    scores[CATEGORIES.indexOf(category)]! += weight;
    evidence.push(`rule:${rule}`);
  };
  let problem = v(X.problem);
  let req = v(X.req);
  // «داوای ... دەکەم», "asking for": asking for something that is not money is a request.
  if (has(f, X.ask) && req > 0 && !has(f, X.money)) req += 1.5;
  // A card next to an identity document is the ID card, not a payment card.
  if (has(f, X.iddoc) && !has(f, X.money) && scores[CATEGORIES.indexOf('C04')]! > 0) {
    scores[CATEGORIES.indexOf('C04')] = 0;
    evidence.push('rule:id-card-not-payment');
  }
  const child = has(f, X.child) || youngAge;
  const money = has(f, X.money) || has(f, X.cash);
  const amount = AMOUNT.test(text);
  const actor = has(f, X.staff) || has(f, X.leader);

  // A service missing in the camp is the programme's own (C03), unless a government body is named.
  if (has(f, X.camp) && has(f, X.basic_services) && v(X.C10) > 0 && v(X.C10) < 2.5) {
    scores[CATEGORIES.indexOf('C10')] = 0;
    add('C03', 1.5, 'service-in-camp→C03');
  }

  // A few words saying something is missing («نان نییە», "no bread", "pere tune"): a complaint about it, unless
  // it asks or thanks.
  const goods =
    has(f, X.basic_services) || has(f, X.shelter) || has(f, X.cash) || has(f, X.money) || has(f, X.aid);
  if (
    tokens <= 4 &&
    (has(f, X.neg) || has(f, X.negpost)) &&
    goods &&
    !has(f, X.q) &&
    !has(f, X.thanks) &&
    !has(f, X.greet) &&
    !hasQuestionMark(text)
  ) {
    problem += 2;
    if (money) add('C04', 1, 'short-missing-money→C04');
  }
  // Not received / cannot reach / not given: exclusion, unless the thing missing is money or a promised service.
  const otherActor = v(X.C10) >= 1.5;
  if (has(f, X.notrecv)) {
    problem += 2;
    if (otherActor) add('C10', 1.5, 'not-received+other-actor→C10');
    else if (money) add('C04', 2.5, 'not-received+money→C04');
    else if (has(f, X.list) || has(f, X.register)) add('C02', 1.5, 'not-received+list→C02');
    else if (has(f, X.wait) || has(f, X.camp)) add('C03', 2, 'not-received+waiting→C03');
    else add('C01', 2.5, 'not-received→C01');
  }
  if (has(f, X.cannot)) {
    problem += 1;
    add('C01', 1.5, 'cannot-reach→C01');
  }
  // Money made the condition of the aid («if you don't give 50 thousand…») is fraud, not a missing payment.
  const paying =
    has(f, X.ask) ||
    has(f, X.take) ||
    has(f, X.pay) ||
    has(f, X.bring) ||
    has(f, X.must) ||
    has(f, X.notgive);
  const gatekeeper = actor || has(f, X.list) || has(f, X.register);
  if (has(f, X.notgive) && !(money && paying && gatekeeper)) {
    problem += 1;
    if (otherActor) add('C10', 1.5, 'not-given+other-actor→C10');
    else if (money) add('C04', 1.5, 'not-given+money→C04');
    else add('C01', 1.5, 'not-given→C01');
  }
  // Money asked, taken or made a condition for a place on the list, by staff or a leader: fraud. A payment
  // agent's fee is C04.
  let fraud = false;
  if (has(f, X.money) && paying && gatekeeper) {
    if (has(f, X.fsp) && !has(f, X.list) && !has(f, X.register) && !actor) add('C04', 1.5, 'agent+money→C04');
    else fraud = true;
  } else if (
    (has(f, X.money) || amount) &&
    (has(f, X.want) || has(f, X.cond) || has(f, X.req)) &&
    (actor || has(f, X.list) || has(f, X.register))
  ) {
    fraud = true;
  } else if (has(f, X.money) && (has(f, X.must) || has(f, X.cond)) && (has(f, X.pay) || has(f, X.notgive))) {
    // "You have to pay 100 dollars to get the caravan": a price for what should be free.
    fraud = !has(f, X.fsp);
  }
  // "Without money (it) does not happen / your name is not written": the aid has a price. Not when the person
  // says what they cannot do without money, which is need.
  if (!fraud && has(f, X.nomoney) && has(f, X.notdone) && !has(f, X.cannot) && !has(f, X.fsp)) fraud = true;
  // Money collected from every family or per head.
  if (
    !fraud &&
    has(f, X.fromeach) &&
    (has(f, X.take) || has(f, X.ask) || has(f, X.want) || has(f, X.money))
  ) {
    fraud = !has(f, X.fsp) || actor;
  }
  // Money taken from people, not received by them.
  if (!fraud && has(f, X.money) && has(f, X.take) && !has(f, X.recv) && !has(f, X.fsp)) fraud = true;
  if (fraud) {
    problem += 2;
    add('C06', 3, 'money-asked-for-aid→C06');
  }
  // Less money than promised, fees: the payment itself.
  else if (money && has(f, X.quantity)) add('C04', 2, 'money+quantity→C04');
  // «فاسد» (rotten, corrupt) about a person, money or the list: corruption; about food it stays quality (C03).
  if (!fraud && has(f, X.rotten) && (actor || money || has(f, X.list) || has(f, X.register))) {
    problem += 1;
    add('C06', 3, 'corrupt-person→C06');
  }
  // Relatives or invented names on the list; the aid kept for oneself.
  if (has(f, X.kin) && (has(f, X.register) || has(f, X.list) || actor || has(f, X.aid) || v(X.C02) > 0)) {
    problem += 1.5;
    add('C06', 2, 'relatives-on-list→C06');
  }
  if (actor && (has(f, X.self) || (has(f, X.take) && has(f, X.aid)))) {
    problem += 1.5;
    add('C06', 2.5, 'aid-kept→C06');
  }
  // A "gift" or a favour for the one who decides.
  if (
    has(f, X.favour) &&
    (actor || has(f, X.list) || has(f, X.register) || has(f, X.cond) || has(f, X.must))
  ) {
    problem += 1.5;
    add('C06', 2.5, 'favour-for-aid→C06');
  }
  if (has(f, X.sell) && (has(f, X.aid) || actor || v(X.C06) >= 1)) {
    problem += 1;
    add('C06', 1.5, 'aid-sold→C06');
  }
  // Personal data: a photo of an ID, a phone number given away.
  if (has(f, X.photo) && has(f, X.iddoc)) add('C09', 2.5, 'photo-of-id→C09');
  if (has(f, X.phone) && (has(f, X.share) || v(X.C09) >= 2) && !has(f, X.msg))
    add('C09', 1.5, 'number-shared→C09');

  // Sexual exploitation and abuse: strong words, or a pattern (alone, his place, marriage, touching, private
  // photos, messages at night) together with an aid worker, the aid, an exchange or women.
  let sea = v(X.sea);
  if (has(f, X.alone)) sea += 1.5;
  if (has(f, X.place) && (has(f, X.alone) || has(f, X.night) || has(f, X.staff))) sea += 1.5;
  // Aid offered on condition of going with him, visiting him, coming to his place.
  const invited = has(f, X.come) || has(f, X.withme) || has(f, X.place) || has(f, X.visit);
  if (has(f, X.cond) && invited && (actor || has(f, X.aid) || has(f, X.register) || has(f, X.list))) sea += 3;
  else if (has(f, X.withme) && has(f, X.place) && has(f, X.staff)) sea += 2;
  // An invitation to come at night, alone or to his place; a visit at night.
  if (has(f, X.come) && (has(f, X.night) || has(f, X.alone) || has(f, X.place))) {
    sea += 2;
    // …that he wants, or sets as the condition of the aid.
    if (has(f, X.want) || has(f, X.cond)) sea += 1;
  } else if (has(f, X.come) && has(f, X.staff) && (has(f, X.women) || child)) sea += 1.5;
  if (has(f, X.visit) && has(f, X.night)) sea += 3;
  // Sleeping, with him, at his place, against the aid: put another way than "sleep with".
  if (
    has(f, X.sleep) &&
    (has(f, X.come) || has(f, X.withme) || has(f, X.place) || has(f, X.cond) || has(f, X.exchange) || actor)
  )
    sea += 3;
  // An aid worker after a woman's or a child's phone number, or calling and messaging them.
  const personal = has(f, X.phone) || has(f, X.msg);
  if (has(f, X.staff) && personal && (has(f, X.women) || child || has(f, X.night))) sea += 2;
  else if (has(f, X.staff) && has(f, X.phone) && has(f, X.ask) && !has(f, X.register) && !has(f, X.list))
    sea += 1;
  // Aid "in exchange for" something that is not money.
  if (
    has(f, X.exchange) &&
    !has(f, X.money) &&
    (has(f, X.aid) || has(f, X.register) || has(f, X.list) || has(f, X.staff))
  ) {
    sea += 1.5;
  }
  // Wanting to see her, at night.
  if (has(f, X.relationship) && has(f, X.night)) sea += 1.5;
  // Obedience or company demanded on pain of losing the aid: «if you don't listen to him, no coupon».
  if (has(f, X.relationship) && has(f, X.cond) && (has(f, X.aid) || money || has(f, X.list))) sea += 1.5;
  // A relationship or company offered against the aid.
  if (has(f, X.relationship) && (has(f, X.cond) || has(f, X.exchange) || actor || has(f, X.aid))) sea += 2;
  if (personal && (has(f, X.night) || has(f, X.private)) && !has(f, X.staff)) sea += 2;
  // Photos of her asked for, or made the price of the aid (not a photo of an identity document).
  if (
    has(f, X.photo) &&
    !has(f, X.iddoc) &&
    (has(f, X.ask) || has(f, X.private) || has(f, X.night) || has(f, X.exchange) || has(f, X.cond))
  )
    sea += 2;
  const marriageOfChild = has(f, X.marry) && child && (has(f, X.forced) || !has(f, X.staff));
  if (
    has(f, X.marry) &&
    !marriageOfChild &&
    (has(f, X.staff) ||
      has(f, X.aid) ||
      has(f, X.list) ||
      has(f, X.register) ||
      has(f, X.exchange) ||
      has(f, X.cond) ||
      money)
  ) {
    sea += 2;
  }
  const context =
    has(f, X.staff) ||
    has(f, X.aid) ||
    has(f, X.exchange) ||
    has(f, X.women) ||
    has(f, X.register) ||
    has(f, X.list) ||
    has(f, X.cond) ||
    money;
  // Strong: the words, touching, or a pattern of several cues. Weak: one cue near the aid, a worker or women,
  // which the caution rule restricts (see below) rather than the rules.
  const seaLikely = has(f, X.sex) || has(f, X.touch) || sea >= 3;
  const seaPossible = !seaLikely && (sea >= 2 || (sea >= 1.5 && context));
  if (seaLikely && scores[CATEGORIES.indexOf('C07')]! < 4) add('C07', 4, 'possible-SEA→C07');
  const seaUnclear = !seaLikely && !seaPossible && sea > 0;

  // Child safeguarding: a child working, married, hurt or in danger. A child who is afraid, with a request for
  // someone to talk to and no one named as the cause, is asking for psychosocial support (S1), not a risk.
  const fearOnly = has(f, X.danger) && v(X.C08) <= 1 && has(f, X.mhpss) && !actor;
  const childAtRisk =
    child &&
    (has(f, X.labour) ||
      has(f, X.forced) ||
      has(f, X.marry) ||
      has(f, X.violence) ||
      (has(f, X.danger) && !fearOnly));
  if (childAtRisk) add('C08', 4, 'child-at-risk→C08');
  if (has(f, X.violence) && has(f, X.home)) add('C08', 1.5, 'violence-at-home→C08');

  const topIndex = argmax(scores, null);
  const top = topIndex >= 0 ? scores[topIndex]! : 0;
  const second = topIndex >= 0 ? secondBest(scores, topIndex) : 0;
  const questionMark = hasQuestionMark(text);

  // ── Type ──
  let type: FeedbackType;
  const praise = v(X.praise);
  const thanks = v(X.thanks);
  // Thanks after a question or a request is politeness: the message stays a question or a request.
  const politeOnly = praise < 2 && thanks > 0;
  const onlyFiller =
    top < 1 && problem < 1 && req < 1.5 && v(X.q) < 2 && praise + thanks < 2 && v(X.sug) < 1.5;
  const filler = (has(f, X.greet) && tokens <= 4) || (has(f, X.want) && tokens <= 3) || tokens <= 1;
  const sensitiveTop = argmax(scores, SENSITIVE_CATEGORIES);
  const sensitiveScore = sensitiveTop >= 0 ? scores[sensitiveTop]! : 0;
  if (tokens === 0 || (onlyFiller && filler && (!questionMark || (has(f, X.greet) && tokens <= 3)))) {
    type = 'incomplete';
  } else if (v(X.obs) >= 2) type = 'observation';
  else if (questionMark && v(X.q) >= 2 && problem < 2 && req < 2 && sensitiveScore < 2) type = 'question';
  else if (politeOnly && req >= 2 && problem < 2 && sensitiveScore < 2) type = 'request';
  else if (praise + thanks >= 2 && problem < 2) type = 'praise';
  else if (v(X.sug) >= 1.5 && problem < 2.5) type = 'suggestion';
  // "Is it normal that the worker asks me to come alone?": a question, even about misconduct.
  else if (questionMark && v(X.q) >= 2 && problem < 2 && req < 2 && !has(f, X.sex)) type = 'question';
  // A child crying at night, a request for someone to talk to: psychosocial support, not a complaint.
  else if (has(f, X.mhpss) && req >= 1.5 && !seaLikely && !childAtRisk && sensitiveScore < 3)
    type = 'request';
  else if (seaLikely || childAtRisk || sensitiveScore >= 2) type = 'complaint';
  else if (problem >= 2) type = 'complaint';
  else if (has(f, X.mhpss) && (req > 0 || v(X.q) > 0)) type = 'request';
  else if (v(X.q) >= 2 && questionMark && req < 2 && problem < 1) type = 'question';
  else if (req >= 1.5) type = 'request';
  else if ((v(X.q) >= 2 || questionMark) && problem < 1) type = 'question';
  else if (problem >= 1) type = 'complaint';
  else if (has(f, X.want) && tokens > 2) type = 'request';
  else if (top >= 1.5) type = 'complaint';
  else if (has(f, X.q) || has(f, X.why)) type = 'question';
  else if (tokens <= 2) type = 'incomplete';
  else type = 'complaint';

  // ── Category ──
  let category: Category | null = null;
  if (type === 'complaint') {
    category = topIndex >= 0 && top > 0 ? CATEGORIES[topIndex]! : has(f, X.notrecv) ? 'C01' : 'C03';
  } else if (seaLikely) category = 'C07';
  else if (childAtRisk) category = 'C08';
  else if (sensitiveScore >= 2.5) category = CATEGORIES[sensitiveTop]!;

  // ── Sensitivity: explicit rules first ──
  // Assigned in the closures below, so typed wide for the checks after them.
  let shown = 'S0' as Sensitivity;
  let basis = 'none' as SensitivityBasis;
  const explicit = (level: Sensitivity, reason: string): void => {
    if (level === 'S0') return;
    reasons.push(reason);
    if (maxSensitivity(shown, level) !== shown) shown = level;
    basis = 'explicit';
  };
  if (category !== null)
    explicit(CATEGORY_SENSITIVITY[category], `${category}.${ruleOf(evidence, category)}`);
  if (category === 'C08' && (child || has(f, X.staff)))
    explicit('S3', child ? 'C08.child' : 'C08.aid-worker');
  if (seaLikely) explicit('S3', has(f, X.sex) ? 'C07.words' : 'C07.pattern');
  else if (childAtRisk) explicit('S3', 'C08.child');
  // Misconduct that scored close to the chosen category: unclear, so S2 until a focal point reviews it.
  for (const c of ['C05', 'C06', 'C09'] as const) {
    const score = scores[CATEGORIES.indexOf(c)]!;
    if (type === 'complaint' && score >= 2 && score >= top - 0.5 && category !== c)
      explicit('S2', `${c}.close-call`);
  }
  if (category === null && has(f, X.mhpss) && (type === 'request' || type === 'question'))
    explicit('S1', 'S1.mental-health');

  // ── Caution: an aid worker named with money, a favour, being alone, a visit, the night, a relationship or
  // touching is restricted until a focal point has looked ──
  let level = shown as Sensitivity;
  const raise = (to: Sensitivity, how: SensitivityBasis, reason: string): void => {
    reasons.push(reason);
    if (maxSensitivity(level, to) === level) return;
    level = to;
    basis = how;
  };
  if (seaPossible) raise('S3', 'caution', 'caution.sea-cue');
  else if (seaUnclear) raise('S2', 'caution', 'caution.sea-cue');
  if (actor) {
    // Being alone, a relationship or touching is personal: S3, the PSEA desk. A visit or the night beside an aid
    // worker is S3 when the rules already found misconduct in the message; otherwise it is restricted as S2
    // (unclear, reviewed by a focal point): on the tuning part it never alone caught a message labelled S3 and put
    // dozens of visits, night deliveries and thanks on the PSEA desk.
    const when: Sensitivity = restricted(shown) ? 'S3' : 'S2';
    const cues: [string, Sensitivity, boolean][] = [
      ['alone', 'S3', has(f, X.alone) || has(f, X.private)],
      ['visit', when, has(f, X.visit) || (has(f, X.come) && has(f, X.place))],
      ['night', when, has(f, X.night)],
      ['relationship', 'S3', has(f, X.relationship) || has(f, X.marry)],
      ['touch', 'S3', has(f, X.touch)],
    ];
    for (const [cue, to, present] of cues)
      if (present && shown !== 'S3') raise(to, 'caution', `caution.actor+${cue}`);
    if (level !== 'S3' && !restricted(level)) {
      if (money || amount || has(f, X.pay)) raise('S2', 'caution', 'caution.actor+money');
      else if (has(f, X.favour)) raise('S2', 'caution', 'caution.actor+favour');
    }
  }

  // ── The learned model raises what the wording resembles, never lowers. What the rules restricted on
  // explicit terms stays restricted: the model may only move explicit misconduct (S2) to the PSEA desk (S3), and
  // only when it reads S3 as more likely than not (EXPLICIT_S3_RAISE) ──
  const rulesFinal = basis === 'explicit' && restricted(shown);
  sensitivityDense(f, tokens, child, amount, dense);
  // What the rules decided before any model, for the category model.
  categoryDenseOf(dense, category, type, level, categoryDense);
  if (useModel && SENSITIVITY_MODEL !== null && (!rulesFinal || level === 'S2')) {
    predict(SENSITIVITY_MODEL, hashed, dense, probabilities);
    const asked = MODEL_LEVELS[modelLevel(probabilities, SENSITIVITY_THRESHOLDS, rulesFinal)];
    if (asked !== 'S0') {
      reasons.push(`model.${asked}`);
      if (maxSensitivity(level, asked) !== level) {
        level = asked;
        basis = 'model';
      } else if (level === asked && basis === 'caution') basis = 'model';
    }
  }

  // A message raised beyond its rules' category takes the category of what it may be; one the model raised is
  // a complaint unless it asks or reports (caution keeps the type: it restricts questions and thanks as well).
  if (level !== shown) {
    if (level === 'S3' && category !== 'C07' && category !== 'C08')
      category = child && (has(f, X.violence) || has(f, X.labour) || has(f, X.forced)) ? 'C08' : 'C07';
    // S2 from caution or the model says "unclear": the category stays what the message is about (a visit, a
    // delivery at night, a water cut), unless the model raised it and the rules saw a misconduct word or money
    // in it; the category model below may still move it to a misconduct category. Before, a model S2 took staff
    // conduct (C05) when the rules saw nothing, so every such false alarm was filed as misconduct in the reports.
    else if (
      level === 'S2' &&
      basis === 'model' &&
      (category === null || !SENSITIVE_CATEGORIES.includes(category))
    ) {
      if (sensitiveTop >= 0 && sensitiveScore > 0) category = CATEGORIES[sensitiveTop]!;
      else if (money || amount || has(f, X.favour)) category = 'C06';
    }
    if (
      type === 'incomplete' ||
      type === 'request' ||
      (basis === 'model' && (type === 'praise' || type === 'suggestion'))
    )
      type = 'complaint';
  }

  // ── The category model reads the wording beside the rules' decisions; it moves the category only where the
  // category fits the sensitivity already decided (`categoryFits`), so sensitivity never changes with it ──
  // A category the person chose (web form, IVR menu) replaces both below: the model is not asked.
  if (useCategoryModel && CATEGORY_MODEL !== null && hints?.category === undefined) {
    predict(CATEGORY_MODEL, hashed, categoryDense, categoryProbabilities);
    let best = 0;
    for (let c = 1; c < CATEGORY_LABELS.length; c++)
      if (categoryProbabilities[c]! > categoryProbabilities[best]!) best = c;
    const suggested = best === CATEGORIES.length ? null : CATEGORIES[best]!;
    if (suggested !== category && categoryFits(suggested, category, evidence, level, type)) {
      category = suggested;
      evidence.push(`model:category=${suggested ?? 'none'}`);
    }
  }

  // ── The person's own choices ──
  if (hints?.type !== undefined) {
    if (hints.type !== type) evidence.push(`hint:type=${hints.type}`);
    type = hints.type;
  }
  if (hints !== undefined && hints.category !== undefined) {
    if (hints.category !== category) evidence.push(`hint:category=${hints.category ?? 'none'}`);
    category = hints.category;
    if (category !== null && maxSensitivity(level, CATEGORY_SENSITIVITY[category]) !== level) {
      level = CATEGORY_SENSITIVITY[category];
      basis = 'person';
      reasons.push(`person.${category}`);
    }
  }
  let sensitivity = level;
  if (hints?.sensitivity !== undefined) {
    sensitivity = maxSensitivity(hints.sensitivity, level);
    evidence.push(
      sensitivity === hints.sensitivity
        ? `hint:sensitivity=${hints.sensitivity}`
        : `text-overrides-hint:sensitivity=${sensitivity}`,
    );
    if (sensitivity !== level) {
      basis = 'person';
      reasons.push(`person.${sensitivity}`);
    }
  }
  if (sensitivity === 'S0') basis = 'none';

  // ── Urgency ──
  let urgency: Urgency = BASE_URGENCY[type];
  if (sensitivity === 'S2' || sensitivity === 'S1') urgency = maxUrgency(urgency, 'action');
  if (sensitivity === 'S3') urgency = 'urgent';
  if (has(f, X.urgent) || (category === 'C08' && has(f, X.violence))) urgency = 'urgent';
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
      const value = v(X[s]);
      if (value > best) {
        best = value;
        sector = s;
      }
    }
  }

  // ── Confidence ──
  const strength = Math.min(1, (problem + top + v(X.q) + req + praise + thanks + v(X.sug) + v(X.obs)) / 6);
  const margin = type === 'complaint' && top > 0 ? (top - second) / top : 1;
  const confidence =
    tokens === 0 ? 0 : round2(0.15 + 0.55 * strength * (0.5 + 0.5 * margin) + 0.3 * lang.confidence);

  // The case keeps the evidence, so why it is restricted travels with it (codes only, no words).
  if (basis !== 'none') evidence.push(`basis:${basis}`, ...reasons.map((r) => `reason:${r}`));
  return {
    result: {
      language: lang.language,
      script: lang.script,
      type,
      category,
      sector,
      sensitivity,
      urgency,
      confidence,
      evidence,
      basis,
      reasons,
    },
    hashed,
  };
}

const restricted = (s: Sensitivity): boolean => s === 'S2' || s === 'S3';

/** The rule that put a message in `category`, from its evidence, for the reason code; `words` when none did. */
function ruleOf(evidence: readonly string[], category: Category): string {
  for (const e of evidence) {
    if (e.startsWith('rule:') && e.endsWith(`→${category}`)) return e.slice(5, -(category.length + 1));
  }
  return 'words';
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
