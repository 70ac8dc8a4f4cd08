/**
 * The KoboToolbox field form that programmes copy (docs/kobo/): its XLSForm sheets, built from the platform's own
 * lists (channels, languages, feedback types, categories, the gazetteer's P-codes) so that every answer the form can
 * give is one the Kobo webhook accepts. `npm run build:kobo-form` writes them; a unit test fails when the committed
 * files differ.
 */
import { AGE_BANDS, POPULATION_GROUPS, SEXES } from '#shared/cases/case-codes.ts';
import { CATEGORIES, FEEDBACK_TYPES, LANGUAGES, type Language } from '#shared/classification/taxonomy.ts';
import { districtsOf, governorates, placeName } from '#shared/gazetteer/gazetteer.ts';
import { KOBO_CHANNELS } from '#shared/intake/transports/kobo.ts';
import { LANGUAGE_NAMES, PUBLIC_STRINGS } from '../../functions/public-complaints/strings.ts';
import { ar } from '../../web/src/strings/ar.ts';
import { ckb } from '../../web/src/strings/ckb.ts';
import { en, type StringKey } from '../../web/src/strings/en.ts';
import { kmr } from '../../web/src/strings/kmr.ts';
import type { Sheet } from './xlsx.ts';

/** Column order of the label languages: XLSForm's `Name (code)` form, which KoboToolbox reads. */
const LANGS = ['en', 'ar', 'ckb', 'kmr'] as const satisfies readonly Language[];
const LANG_COLUMN: Record<Language, string> = {
  en: 'English (en)',
  ar: 'Arabic (ar)',
  ckb: 'Sorani (ckb)',
  kmr: 'Kurmanji (kmr)',
};
const CONSOLE: Record<Language, Record<StringKey, string>> = { en, ar, ckb, kmr };

type Labels = Record<Language, string>;
const labels = (f: (l: Language) => string): Labels =>
  Object.fromEntries(LANGS.map((l) => [l, f(l)])) as Labels;
const publicText = (
  key: 'nameLabel' | 'phoneLabel' | 'consentLabel' | 'governorateLabel' | 'districtLabel',
) => labels((l) => PUBLIC_STRINGS[l][key]);
const consoleText = (key: StringKey) => labels((l) => CONSOLE[l][key]);

/** Words of this form only (not yet checked by native speakers, as the README's unchecked facts say). */
const TEXT = {
  intake: { en: 'Intake', ar: 'الاستلام', ckb: 'وەرگرتن', kmr: 'Wergirtin' },
  channel: {
    en: 'How did this reach us?',
    ar: 'كيف وصلت إلينا هذه الملاحظة؟',
    ckb: 'ئەمە چۆن گەیشتە لامان؟',
    kmr: 'Ev çawa gihîşt me?',
  },
  walkIn: {
    en: 'Help desk or in person (monitoring visits too)',
    ar: 'مكتب المساعدة أو شخصياً (وزيارات المتابعة أيضاً)',
    ckb: 'مێزی یارمەتی یان ڕووبەڕوو (سەردانی چاودێریش)',
    kmr: 'Maseya alîkariyê an rû bi rû (serdanên şopandinê jî)',
  },
  language: { en: 'Language of the message', ar: 'لغة الرسالة', ckb: 'زمانی نامەکە', kmr: 'Zimanê peyamê' },
  programme: {
    en: 'Programme code (optional)',
    ar: 'رمز البرنامج (اختياري)',
    ckb: 'کۆدی بەرنامە (ئارەزوومەندانە)',
    kmr: 'Koda bernameyê (bi dilxwazî)',
  },
  message: { en: 'The message', ar: 'الرسالة', ckb: 'نامەکە', kmr: 'Peyam' },
  description: {
    en: "The complaint or feedback, in the person's own words",
    ar: 'الشكوى أو الملاحظة بكلمات صاحبها',
    ckb: 'سکاڵاکە یان تێبینییەکە بە وشەکانی خاوەنەکەی',
    kmr: 'Gilî an nêrîn, bi gotinên wî kesî bi xwe',
  },
  type: {
    en: 'Type of feedback (optional)',
    ar: 'نوع الملاحظة (اختياري)',
    ckb: 'جۆری تێبینی (ئارەزوومەندانە)',
    kmr: 'Cureyê nêrînê (bi dilxwazî)',
  },
  category: {
    en: 'Category, if it is clear (leave empty if unsure)',
    ar: 'الفئة إن كانت واضحة (اتركها فارغة إن لم تكن متأكداً)',
    ckb: 'پۆل، ئەگەر ڕوون بێت (بەتاڵی بهێڵە ئەگەر دڵنیا نیت)',
    kmr: 'Kategorî, heke zelal be (vala bihêle heke tu ne bawer î)',
  },
  consent: { en: 'Consent', ar: 'الموافقة', ckb: 'ڕەزامەندی', kmr: 'Razîbûn' },
  share: {
    en: 'You may share my case with another organisation that can help',
    ar: 'أوافق على مشاركة قضيتي مع منظمة أخرى يمكنها المساعدة',
    ckb: 'ڕازیم کەیسەکەم لەگەڵ ڕێکخراوێکی تر کە دەتوانێت یارمەتی بدات هاوبەش بکرێت',
    kmr: 'Hûn dikarin doza min bi rêxistineke din a ku dikare alîkarî bike re parve bikin',
  },
  phoneRule: {
    en: 'A phone number: 07… or +… (digits only)',
    ar: 'رقم هاتف: ‎07…‎ أو ‎+…‎ (أرقام فقط)',
    ckb: 'ژمارەی تەلەفۆن: ‎07…‎ یان ‎+…‎ (تەنها ژمارە)',
    kmr: 'Hejmareke telefonê: 07… an +… (tenê hejmar)',
  },
} satisfies Record<string, Labels>;

/** The survey sheet's columns. */
const SURVEY_COLUMNS = [
  'type',
  'name',
  ...LANGS.map((l) => `label::${LANG_COLUMN[l]}`),
  'required',
  'relevant',
  'constraint',
  ...LANGS.map((l) => `constraint_message::${LANG_COLUMN[l]}`),
  'choice_filter',
  'appearance',
] as const;

interface Question {
  type: string;
  name?: string;
  label?: Labels;
  required?: boolean;
  relevant?: string;
  constraint?: string;
  constraintMessage?: Labels;
  choiceFilter?: string;
  appearance?: string;
}

/** An XLSForm reference to another question's answer: `${name}`. */
const ref = (name: string) => `\${${name}}`;

/** Digits only, as Iraqi numbers are written (07…) or international (+…, 00…); the webhook reads the same forms. */
const PHONE_CONSTRAINT = "regex(., '^(07[0-9]{9}|\\+[1-9][0-9]{6,14}|00[1-9][0-9]{6,14})$')";

/**
 * The questions, in groups. The webhook reads each by its `name` wherever it sits (docs/kobo/README.md), so a
 * programme may move questions between groups or add its own; it must keep these names and choice values.
 */
const SURVEY: readonly Question[] = [
  { type: 'start', name: 'start' },
  { type: 'end', name: 'end' },
  { type: 'begin_group', name: 'intake', label: TEXT.intake },
  { type: 'select_one channel', name: 'channel', label: TEXT.channel, required: true },
  { type: 'select_one language', name: 'language', label: TEXT.language, required: true },
  { type: 'text', name: 'programme', label: TEXT.programme },
  { type: 'end_group' },
  { type: 'begin_group', name: 'complaint', label: TEXT.message },
  {
    type: 'text',
    name: 'description',
    label: TEXT.description,
    required: true,
    constraint: 'string-length(.) <= 5000',
    appearance: 'multiline',
  },
  { type: 'select_one feedback_type', name: 'feedback_type', label: TEXT.type },
  { type: 'select_one category', name: 'category', label: TEXT.category },
  { type: 'end_group' },
  { type: 'begin_group', name: 'location', label: labels((l) => PUBLIC_STRINGS[l].placeLegend) },
  { type: 'select_one governorate', name: 'governorate', label: publicText('governorateLabel') },
  {
    type: 'select_one district',
    name: 'district',
    label: publicText('districtLabel'),
    relevant: `${ref('governorate')} != ''`,
    choiceFilter: `governorate=${ref('governorate')}`,
  },
  { type: 'end_group' },
  { type: 'begin_group', name: 'about', label: labels((l) => PUBLIC_STRINGS[l].youLegend) },
  {
    type: 'select_one population_group',
    name: 'population_group',
    label: labels((l) => PUBLIC_STRINGS[l].populationLabel),
  },
  { type: 'select_one sex', name: 'sex', label: labels((l) => PUBLIC_STRINGS[l].sexLabel) },
  { type: 'select_one age_band', name: 'age_band', label: labels((l) => PUBLIC_STRINGS[l].ageLabel) },
  { type: 'end_group' },
  { type: 'begin_group', name: 'contact', label: labels((l) => PUBLIC_STRINGS[l].contactLegend) },
  { type: 'text', name: 'name', label: publicText('nameLabel') },
  {
    type: 'text',
    name: 'phone',
    label: publicText('phoneLabel'),
    constraint: PHONE_CONSTRAINT,
    constraintMessage: TEXT.phoneRule,
    appearance: 'numbers',
  },
  { type: 'end_group' },
  { type: 'begin_group', name: 'consent', label: TEXT.consent },
  {
    type: 'select_one yes_no',
    name: 'consent_contact',
    label: publicText('consentLabel'),
    required: true,
    relevant: `${ref('phone')} != ''`,
  },
  { type: 'select_one yes_no', name: 'consent_share', label: TEXT.share },
  { type: 'end_group' },
];

function surveyRow(q: Question): string[] {
  return [
    q.type,
    q.name ?? '',
    ...LANGS.map((l) => q.label?.[l] ?? ''),
    q.required ? 'yes' : '',
    q.relevant ?? '',
    q.constraint ?? '',
    ...LANGS.map((l) => q.constraintMessage?.[l] ?? ''),
    q.choiceFilter ?? '',
    q.appearance ?? '',
  ];
}

/** One choice: list, value, a label per language, and the governorate a district belongs to (for the filter). */
type Choice = [list: string, name: string, label: Labels, governorate?: string];

function choices(): Choice[] {
  const out: Choice[] = [];
  for (const c of KOBO_CHANNELS) {
    out.push(['channel', c, c === 'walk_in' ? TEXT.walkIn : consoleText(`channel_${c}`)]);
  }
  for (const l of LANGUAGES) out.push(['language', l, labels(() => LANGUAGE_NAMES[l])]);
  for (const t of FEEDBACK_TYPES) out.push(['feedback_type', t, consoleText(`type_${t}`)]);
  for (const c of CATEGORIES) out.push(['category', c, labels((l) => `${c} ${CONSOLE[l][`category_${c}`]}`)]);
  for (const g of governorates()) {
    out.push(['governorate', g.pcode, labels((l) => placeName(g, l))]);
  }
  for (const g of governorates()) {
    for (const d of districtsOf(g.pcode)) {
      out.push(['district', d.pcode, labels((l) => placeName(d, l)), g.pcode]);
    }
  }
  for (const p of POPULATION_GROUPS) {
    out.push(['population_group', p, labels((l) => PUBLIC_STRINGS[l].population[p])]);
  }
  for (const s of SEXES) out.push(['sex', s, labels((l) => PUBLIC_STRINGS[l].sex[s])]);
  for (const a of AGE_BANDS) out.push(['age_band', a, labels((l) => PUBLIC_STRINGS[l].age[a])]);
  out.push(['yes_no', 'yes', consoleText('yes')], ['yes_no', 'no', consoleText('no')]);
  return out;
}

/** The form's version: raise it when the form changes, so Kobo tells the versions' submissions apart. */
export const KOBO_FORM_VERSION = '2026120301';

/** The XLSForm's three sheets, as rows of text (the header row first). */
export function koboFormSheets(): Sheet[] {
  return [
    { name: 'survey', rows: [[...SURVEY_COLUMNS], ...SURVEY.map(surveyRow)] },
    {
      name: 'choices',
      rows: [
        ['list_name', 'name', ...LANGS.map((l) => `label::${LANG_COLUMN[l]}`), 'governorate'],
        ...choices().map(([list, name, label, gov]) => [
          list,
          name,
          ...LANGS.map((l) => label[l]),
          gov ?? '',
        ]),
      ],
    },
    {
      name: 'settings',
      rows: [
        ['form_title', 'form_id', 'version', 'default_language'],
        ['Complaints and feedback: field form', 'cfm_field_form', KOBO_FORM_VERSION, LANG_COLUMN.en],
      ],
    },
  ];
}

/** A sheet as CSV (RFC 4180 quoting), for reading and reviewing the form without a spreadsheet. */
export function csv(sheet: Sheet): string {
  const cell = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return `${sheet.rows.map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}
