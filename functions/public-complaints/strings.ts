import type { AGE_BANDS, CASE_STATUSES, POPULATION_GROUPS, SEXES } from '#shared/cases/case-codes.ts';
import type { Language } from '#shared/classification/taxonomy.ts';
import type { PluralForms } from '#shared/messages/plural.ts';

/**
 * Every word the public pages show, in the platform's four languages. The static pages (web/scripts/build-public.ts)
 * and the server-rendered answers of this route group (the no-JavaScript result and status pages) read the same
 * table, so a page looks the same whichever path produced it. Written for people reading on a small phone:
 * short sentences, everyday words.
 */
export const PUBLIC_LANGUAGES = ['ar', 'ckb', 'kmr', 'kmr-arab', 'en'] as const;
/**
 * A page's language: one of the platform's four, or Badini (Kurmanji) in Arabic script (`kmr-arab`), as Duhok's
 * schools teach it and many Badini speakers read best. Its pages are Kurmanji for the case (`caseLanguage`).
 */
export type PublicLanguage = (typeof PUBLIC_LANGUAGES)[number];

/** The language a page's submission is recorded in: Badini in Arabic script is Kurmanji. */
export const caseLanguage = (lang: PublicLanguage): Language => (lang === 'kmr-arab' ? 'kmr' : lang);

/**
 * The language whose digits, dates, plural rules and place names a page uses: Badini in Arabic script takes
 * Sorani's (Arabic-Indic digits, place names in Kurdish Arabic script, the same two plural forms).
 */
export const displayLanguage = (lang: PublicLanguage): Language => (lang === 'kmr-arab' ? 'ckb' : lang);

export const RTL_LANGUAGES: ReadonlySet<PublicLanguage> = new Set(['ar', 'ckb', 'kmr-arab']);

/** Each language's name written in itself, for the language switch. */
export const LANGUAGE_NAMES: Readonly<Record<PublicLanguage, string>> = {
  ar: 'العربية',
  ckb: 'کوردی (سۆرانی)',
  kmr: 'Kurdî (Badînî)',
  'kmr-arab': 'کوردی (بادینی)',
  en: 'English',
};

/** What a person may say the message is about; `abuse` opens a restricted (S3) case. */
export const ABOUT_CHOICES = ['complaint', 'question', 'request', 'suggestion', 'praise', 'abuse'] as const;
export type AboutChoice = (typeof ABOUT_CHOICES)[number];

export {
  AGE_BANDS as AGE_CHOICES,
  CASE_STATUSES as STATUS_CHOICES,
  POPULATION_GROUPS as POPULATION_CHOICES,
  SEXES as SEX_CHOICES,
} from '#shared/cases/case-codes.ts';
export interface PublicStrings {
  siteName: string;
  formTitle: string;
  formIntro: string;
  languageLabel: string;
  aboutLabel: string;
  aboutNotSure: string;
  about: Record<AboutChoice, string>;
  descriptionLabel: string;
  descriptionHint: string;
  placeLegend: string;
  governorateLabel: string;
  districtLabel: string;
  choose: string;
  contactLegend: string;
  contactHint: string;
  nameLabel: string;
  phoneLabel: string;
  phoneHint: string;
  consentLabel: string;
  youLegend: string;
  populationLabel: string;
  population: Record<(typeof POPULATION_GROUPS)[number], string>;
  sexLabel: string;
  sex: Record<(typeof SEXES)[number], string>;
  ageLabel: string;
  age: Record<(typeof AGE_BANDS)[number], string>;
  optional: string;
  privacyNote: string;
  honeypotLabel: string;
  submit: string;
  sending: string;
  networkError: string;
  fixErrors: string;
  errDescription: string;
  errPhone: string;
  errPlace: string;
  errField: string;
  rejected: string;
  tooLarge: string;
  tooMany: string;
  doneTitle: string;
  doneIntro: string;
  referenceLabel: string;
  secretLabel: string;
  doneKeep: string;
  copy: string;
  copied: string;
  checkStatus: string;
  /** On the confirmation: opens the status page with this reference filled in. */
  statusOfThis: string;
  sendAnother: string;
  goBack: string;
  statusTitle: string;
  statusIntro: string;
  statusButton: string;
  notFound: string;
  statusLabel: string;
  receivedLabel: string;
  updatedLabel: string;
  statusNames: Record<(typeof CASE_STATUSES)[number], string>;
  statusExplain: Record<(typeof CASE_STATUSES)[number], string>;
  /** Heading over the other channels (SMS, hotline, WhatsApp) that have a number. */
  contactTitle: string;
  /** Each followed by the configured number, shown left to right as a link. */
  contactSms: string;
  contactHotline: string;
  contactWhatsapp: string;
  /** A count of working days, in every plural form the language has; `{n}` is the count. */
  workingDays: PluralForms;
  /** On the form: `{days}` is a count of working days. */
  replyWithin: string;
  /** On the form, after replyWithin: `{from}` and `{to}` are weekday names. */
  workingWeek: string;
  /** On the confirmation: `{days}` working days, `{date}` the day the reply is due. */
  replyBy: string;
  /** On the status page of an open case. */
  replyDue: string;
  /** Put before a page's title when the page shows an error. */
  errorTitle: string;
  /** `{example}` is a reference such as K7MQ-4XZ9, shown left to right. */
  errReference: string;
  /** `{example}` is a secret such as 7KQM-2XZP-9HTR. */
  errSecret: string;
}

const en: PublicStrings = {
  siteName: 'Complaints and feedback',
  formTitle: 'Tell us what happened',
  formIntro:
    'Send a complaint, a question or an idea about the help you receive. It is free. You do not have to give your name.',
  languageLabel: 'Language',
  aboutLabel: 'What is it about?',
  aboutNotSure: 'Not sure',
  about: {
    complaint: 'A complaint or problem',
    question: 'A question',
    request: 'A request for help',
    suggestion: 'An idea to do better',
    praise: 'Thanks or praise',
    abuse: 'Abuse or exploitation by an aid worker',
  },
  descriptionLabel: 'Your message',
  descriptionHint: 'Say what happened, where and when. Up to {max} letters.',
  placeLegend: 'Where?',
  governorateLabel: 'Governorate',
  districtLabel: 'District',
  choose: 'Choose…',
  contactLegend: 'How can we reach you?',
  contactHint: 'Optional. Leave empty to stay anonymous.',
  nameLabel: 'Name',
  phoneLabel: 'Phone number',
  phoneHint: 'For example {example}',
  consentLabel: 'You may call me or send me a message about this',
  youLegend: 'About you',
  populationLabel: 'You are',
  population: {
    idp: 'Displaced (IDP)',
    returnee: 'Returnee',
    host_community: 'Host community',
    refugee: 'Refugee',
    other: 'Other',
  },
  sexLabel: 'Sex',
  sex: { female: 'Female', male: 'Male', other: 'Other', undisclosed: 'Prefer not to say' },
  ageLabel: 'Age',
  age: {
    '0-17': 'Under 18',
    '18-24': '18 to 24',
    '25-39': '25 to 39',
    '40-59': '40 to 59',
    '60+': '60 or older',
    undisclosed: 'Prefer not to say',
  },
  optional: '(optional)',
  privacyNote: 'Only the staff who handle your message see your name and number.',
  honeypotLabel: 'Leave this empty',
  submit: 'Send',
  sending: 'Sending…',
  networkError: 'We could not send your message. Check your connection and try again.',
  fixErrors: 'Please check the fields marked below.',
  errDescription: 'Please write your message (up to {max} letters).',
  errPhone: 'This does not look like a phone number. Write it like {example}.',
  errPlace: 'Please choose a governorate and a district from the list.',
  errField: 'Please check this answer.',
  rejected: 'We could not accept this message. Please try again.',
  tooLarge: 'The message is too long.',
  tooMany: 'Too many messages from this connection. Please wait a minute and try again.',
  doneTitle: 'Thank you. We received your message.',
  doneIntro: 'Write down these two codes or take a photo of this screen. You need both to check your case.',
  referenceLabel: 'Your reference',
  secretLabel: 'Your secret code',
  doneKeep: 'Do not share the secret code. Staff will never ask you for it.',
  copy: 'Copy',
  copied: 'Copied',
  checkStatus: 'Check the status of a case',
  statusOfThis: 'Check the status of this message',
  sendAnother: 'Send another message',
  goBack: 'Go back to your message',
  statusTitle: 'Check your case',
  statusIntro: 'Enter the reference and the secret code you received.',
  statusButton: 'Check',
  notFound: 'We found no case with this reference and secret code. Check both and try again.',
  statusLabel: 'Status',
  receivedLabel: 'Received',
  updatedLabel: 'Last update',
  statusNames: {
    new: 'Received',
    acknowledged: 'Seen by our team',
    in_progress: 'Being worked on',
    referred: 'Passed to a partner',
    resolved: 'Answered',
    closed: 'Closed',
    reopened: 'Opened again',
  },
  statusExplain: {
    new: 'We have your message. A member of our team will look at it soon.',
    acknowledged: 'Our team has read your message and will act on it.',
    in_progress: 'Our team is working on your case.',
    referred: 'Another organisation can help better, so we passed your case to them. We keep following it.',
    resolved: 'We have answered your case. If you gave a number, we sent you the answer.',
    closed: 'Your case is finished. You can always send a new message.',
    reopened: 'Your case was opened again and our team is working on it.',
  },
  contactTitle: 'Other ways to reach us',
  contactSms: 'Send us an SMS:',
  contactHotline: 'Call the hotline:',
  contactWhatsapp: 'Write to us on WhatsApp:',
  workingDays: { one: '{n} working day', other: '{n} working days' },
  replyWithin: 'We reply within {days}.',
  workingWeek: 'Working days are {from} to {to}; public holidays do not count.',
  replyBy: 'We will reply within {days}, by {date}.',
  replyDue: 'We will reply by {date} (within {days} of receiving your message).',
  errorTitle: 'Error',
  errReference: 'Write the reference you received: 8 letters and digits, like {example}.',
  errSecret: 'Write the secret code you received: 12 letters and digits, like {example}.',
};

const ar: PublicStrings = {
  siteName: 'الشكاوى والملاحظات',
  formTitle: 'أخبرنا بما حدث',
  formIntro: 'أرسل شكوى أو سؤالاً أو فكرة عن المساعدة التي تتلقاها. الخدمة مجانية. لا يلزم أن تذكر اسمك.',
  languageLabel: 'اللغة',
  aboutLabel: 'عن ماذا تريد أن تكتب؟',
  aboutNotSure: 'لست متأكداً',
  about: {
    complaint: 'شكوى أو مشكلة',
    question: 'سؤال',
    request: 'طلب مساعدة',
    suggestion: 'فكرة للتحسين',
    praise: 'شكر أو ثناء',
    abuse: 'إساءة أو استغلال من أحد العاملين في المساعدات',
  },
  descriptionLabel: 'رسالتك',
  descriptionHint: 'اكتب ماذا حدث وأين ومتى. حتى {max} حرف.',
  placeLegend: 'أين؟',
  governorateLabel: 'المحافظة',
  districtLabel: 'القضاء',
  choose: 'اختر…',
  contactLegend: 'كيف نتواصل معك؟',
  contactHint: 'اختياري. اتركه فارغاً إذا أردت عدم ذكر هويتك.',
  nameLabel: 'الاسم',
  phoneLabel: 'رقم الهاتف',
  phoneHint: 'مثلاً {example}',
  consentLabel: 'أوافق على أن تتصلوا بي أو تراسلوني بخصوص هذا الموضوع',
  youLegend: 'معلومات عنك',
  populationLabel: 'أنت',
  population: {
    idp: 'نازح',
    returnee: 'عائد',
    host_community: 'من المجتمع المضيف',
    refugee: 'لاجئ',
    other: 'غير ذلك',
  },
  sexLabel: 'الجنس',
  sex: { female: 'أنثى', male: 'ذكر', other: 'غير ذلك', undisclosed: 'أفضّل عدم الإجابة' },
  ageLabel: 'العمر',
  age: {
    '0-17': 'أقل من ١٨',
    '18-24': 'من ١٨ إلى ٢٤',
    '25-39': 'من ٢٥ إلى ٣٩',
    '40-59': 'من ٤٠ إلى ٥٩',
    '60+': '٦٠ أو أكثر',
    undisclosed: 'أفضّل عدم الإجابة',
  },
  optional: '(اختياري)',
  privacyNote: 'لا يرى اسمك ورقمك إلا الموظفون الذين يتابعون رسالتك.',
  honeypotLabel: 'اترك هذا الحقل فارغاً',
  submit: 'إرسال',
  sending: 'جارٍ الإرسال…',
  networkError: 'لم نتمكن من إرسال رسالتك. تحقق من الاتصال وحاول مرة أخرى.',
  fixErrors: 'يرجى مراجعة الحقول المشار إليها أدناه.',
  errDescription: 'يرجى كتابة رسالتك (حتى {max} حرف).',
  errPhone: 'هذا لا يبدو رقم هاتف. اكتبه هكذا: {example}',
  errPlace: 'يرجى اختيار المحافظة والقضاء من القائمة.',
  errField: 'يرجى مراجعة هذه الإجابة.',
  rejected: 'لم نتمكن من قبول هذه الرسالة. يرجى المحاولة مرة أخرى.',
  tooLarge: 'الرسالة طويلة جداً.',
  tooMany: 'رسائل كثيرة من هذا الاتصال. انتظر دقيقة ثم حاول مرة أخرى.',
  doneTitle: 'شكراً لك. وصلتنا رسالتك.',
  doneIntro: 'اكتب هذين الرمزين أو التقط صورة لهذه الشاشة. ستحتاج إليهما لمعرفة حالة قضيتك.',
  referenceLabel: 'رقم المرجع',
  secretLabel: 'الرمز السري',
  doneKeep: 'لا تعطِ الرمز السري لأحد. لن يطلبه منك الموظفون أبداً.',
  copy: 'نسخ',
  copied: 'تم النسخ',
  checkStatus: 'معرفة حالة قضية',
  statusOfThis: 'تابع حالة هذه الرسالة',
  sendAnother: 'إرسال رسالة أخرى',
  goBack: 'العودة إلى رسالتك',
  statusTitle: 'حالة قضيتك',
  statusIntro: 'أدخل رقم المرجع والرمز السري اللذين حصلت عليهما.',
  statusButton: 'تحقق',
  notFound: 'لم نجد قضية بهذا المرجع وهذا الرمز السري. تحقق منهما وحاول مرة أخرى.',
  statusLabel: 'الحالة',
  receivedLabel: 'تاريخ الاستلام',
  updatedLabel: 'آخر تحديث',
  statusNames: {
    new: 'تم الاستلام',
    acknowledged: 'اطّلع عليها فريقنا',
    in_progress: 'قيد المتابعة',
    referred: 'أُحيلت إلى جهة شريكة',
    resolved: 'تمت الإجابة',
    closed: 'مغلقة',
    reopened: 'أُعيد فتحها',
  },
  statusExplain: {
    new: 'وصلتنا رسالتك. سيطّلع عليها أحد أعضاء فريقنا قريباً.',
    acknowledged: 'قرأ فريقنا رسالتك وسيتخذ إجراءً بشأنها.',
    in_progress: 'يعمل فريقنا على قضيتك.',
    referred: 'هناك جهة أخرى تستطيع المساعدة أكثر، فأحلنا قضيتك إليها. ونحن نتابعها.',
    resolved: 'أجبنا على قضيتك. إذا تركت رقماً فقد أرسلنا لك الجواب.',
    closed: 'انتهت قضيتك. يمكنك دائماً إرسال رسالة جديدة.',
    reopened: 'أُعيد فتح قضيتك ويعمل فريقنا عليها.',
  },
  contactTitle: 'طرق أخرى للتواصل معنا',
  contactSms: 'أرسل لنا رسالة نصية:',
  contactHotline: 'اتصل بالخط الساخن:',
  contactWhatsapp: 'راسلنا على واتساب:',
  // After «خلال» (within): the dual and the plurals in the genitive.
  workingDays: {
    zero: '{n} يوم عمل',
    one: 'يوم عمل واحد',
    two: 'يومَي عمل',
    few: '{n} أيام عمل',
    many: '{n} يوم عمل',
    other: '{n} يوم عمل',
  },
  replyWithin: 'نرد عليك خلال {days}.',
  workingWeek: 'أيام العمل من {from} إلى {to}، ولا تُحسب العطل الرسمية.',
  replyBy: 'سنرد عليك خلال {days}، أي بحلول {date}.',
  replyDue: 'سنرد عليك بحلول {date} (أي خلال {days} من استلام رسالتك).',
  errorTitle: 'خطأ',
  errReference: 'اكتب رقم المرجع الذي حصلت عليه: ٨ حروف وأرقام، مثل {example}',
  errSecret: 'اكتب الرمز السري الذي حصلت عليه: ١٢ حرفاً ورقماً، مثل {example}',
};

const ckb: PublicStrings = {
  siteName: 'سکاڵا و ڕاوبۆچوون',
  formTitle: 'پێمان بڵێ چی ڕوویدا',
  formIntro:
    'سکاڵا، پرسیار یان بیرۆکەیەک دەربارەی ئەو یارمەتییەی وەریدەگریت بنێرە. بەخۆڕاییە. پێویست ناکات ناوت بنووسیت.',
  languageLabel: 'زمان',
  aboutLabel: 'دەربارەی چییە؟',
  aboutNotSure: 'دڵنیا نیم',
  about: {
    complaint: 'سکاڵا یان کێشە',
    question: 'پرسیار',
    request: 'داوای یارمەتی',
    suggestion: 'بیرۆکەیەک بۆ باشترکردن',
    praise: 'سوپاس یان ستایش',
    abuse: 'خراپ بەکارهێنان یان چەوساندنەوە لەلایەن کارمەندێکی یارمەتی',
  },
  descriptionLabel: 'نامەکەت',
  descriptionHint: 'بنووسە چی ڕوویدا، لە کوێ و کەی. تا {max} پیت.',
  placeLegend: 'لە کوێ؟',
  governorateLabel: 'پارێزگا',
  districtLabel: 'قەزا',
  choose: 'هەڵبژێرە…',
  contactLegend: 'چۆن پەیوەندیت پێوە بکەین؟',
  contactHint: 'ئارەزوومەندانەیە. بەتاڵی بهێڵەوە ئەگەر دەتەوێت ناونەزانراو بیت.',
  nameLabel: 'ناو',
  phoneLabel: 'ژمارەی تەلەفۆن',
  phoneHint: 'بۆ نموونە {example}',
  consentLabel: 'ڕازیم پەیوەندیم پێوە بکەن یان نامەم بۆ بنێرن دەربارەی ئەمە',
  youLegend: 'دەربارەی تۆ',
  populationLabel: 'تۆ',
  population: {
    idp: 'ئاوارە',
    returnee: 'گەڕاوە',
    host_community: 'کۆمەڵگەی میواندار',
    refugee: 'پەنابەر',
    other: 'هیتر',
  },
  sexLabel: 'ڕەگەز',
  sex: { female: 'مێ', male: 'نێر', other: 'هیتر', undisclosed: 'نامەوێت بیڵێم' },
  ageLabel: 'تەمەن',
  age: {
    '0-17': 'کەمتر لە ١٨',
    '18-24': '١٨ تا ٢٤',
    '25-39': '٢٥ تا ٣٩',
    '40-59': '٤٠ تا ٥٩',
    '60+': '٦٠ یان زیاتر',
    undisclosed: 'نامەوێت بیڵێم',
  },
  optional: '(ئارەزوومەندانە)',
  privacyNote: 'تەنها ئەو کارمەندانەی نامەکەت بەڕێوەدەبەن ناو و ژمارەکەت دەبینن.',
  honeypotLabel: 'ئەمە بەتاڵ بهێڵەوە',
  submit: 'ناردن',
  sending: 'دەنێردرێت…',
  networkError: 'نەمانتوانی نامەکەت بنێرین. پەیوەندییەکەت بپشکنە و دووبارە هەوڵ بدەرەوە.',
  fixErrors: 'تکایە ئەو خانانەی خوارەوە بپشکنە کە نیشانە کراون.',
  errDescription: 'تکایە نامەکەت بنووسە (تا {max} پیت).',
  errPhone: 'ئەمە وەک ژمارەی تەلەفۆن نییە. بەم شێوەیە بینووسە: {example}',
  errPlace: 'تکایە پارێزگا و قەزا لە لیستەکە هەڵبژێرە.',
  errField: 'تکایە ئەم وەڵامە بپشکنە.',
  rejected: 'نەمانتوانی ئەم نامەیە وەربگرین. تکایە دووبارە هەوڵ بدەرەوە.',
  tooLarge: 'نامەکە زۆر درێژە.',
  tooMany: 'نامەی زۆر لەم پەیوەندییەوە هاتووە. خولەکێک چاوەڕێ بکە و دووبارە هەوڵ بدەرەوە.',
  doneTitle: 'سوپاس. نامەکەتمان پێگەیشت.',
  doneIntro: 'ئەم دوو کۆدە بنووسە یان وێنەی ئەم شاشەیە بگرە. بۆ زانینی دۆخی کەیسەکەت پێویستت بە هەردووکیانە.',
  referenceLabel: 'ژمارەی ئاماژە',
  secretLabel: 'کۆدی نهێنی',
  doneKeep: 'کۆدی نهێنی بە کەس مەدە. کارمەندەکان هەرگیز داوای ناکەن.',
  copy: 'کۆپی',
  copied: 'کۆپی کرا',
  checkStatus: 'زانینی دۆخی کەیسێک',
  statusOfThis: 'دۆخی ئەم نامەیە ببینە',
  sendAnother: 'ناردنی نامەیەکی تر',
  goBack: 'گەڕانەوە بۆ نامەکەت',
  statusTitle: 'دۆخی کەیسەکەت',
  statusIntro: 'ژمارەی ئاماژە و کۆدی نهێنی کە وەرتگرتووە بنووسە.',
  statusButton: 'پشکنین',
  notFound:
    'هیچ کەیسێکمان بەم ژمارەی ئاماژە و کۆدە نهێنییە نەدۆزییەوە. هەردووکیان بپشکنە و دووبارە هەوڵ بدەرەوە.',
  statusLabel: 'دۆخ',
  receivedLabel: 'وەرگیرا',
  updatedLabel: 'دوایین نوێکردنەوە',
  statusNames: {
    new: 'وەرگیرا',
    acknowledged: 'تیمەکەمان بینیویەتی',
    in_progress: 'کاری لەسەر دەکرێت',
    referred: 'ڕەوانەی هاوبەشێک کرا',
    resolved: 'وەڵام درایەوە',
    closed: 'داخرا',
    reopened: 'دووبارە کرایەوە',
  },
  statusExplain: {
    new: 'نامەکەتمان پێگەیشتووە. ئەندامێکی تیمەکەمان بەم زووانە سەیری دەکات.',
    acknowledged: 'تیمەکەمان نامەکەتی خوێندووەتەوە و کاری لەسەر دەکات.',
    in_progress: 'تیمەکەمان کار لەسەر کەیسەکەت دەکات.',
    referred:
      'ڕێکخراوێکی تر باشتر دەتوانێت یارمەتی بدات، بۆیە کەیسەکەمان ڕەوانەی ئەوان کرد. ئێمە بەدواداچوونی بۆ دەکەین.',
    resolved: 'وەڵامی کەیسەکەتمان دایەوە. ئەگەر ژمارەت دابێت، وەڵامەکەمان بۆ ناردوویت.',
    closed: 'کەیسەکەت تەواو بوو. هەمیشە دەتوانیت نامەیەکی نوێ بنێریت.',
    reopened: 'کەیسەکەت دووبارە کرایەوە و تیمەکەمان کاری لەسەر دەکات.',
  },
  contactTitle: 'ڕێگاکانی تری پەیوەندیکردن پێمانەوە',
  contactSms: 'نامەی کورتمان بۆ بنێرە:',
  contactHotline: 'پەیوەندی بە هێڵی گەرمەوە بکە:',
  contactWhatsapp: 'لە واتسئاپ بۆمان بنووسە:',
  // Sorani keeps the noun singular after a number.
  workingDays: { one: '{n} ڕۆژی کار', other: '{n} ڕۆژی کار' },
  replyWithin: 'لە ماوەی {days}دا وەڵامت دەدەینەوە.',
  workingWeek: 'ڕۆژانی کار: {from} تا {to}. پشووە فەرمییەکان ناژمێردرێن.',
  replyBy: 'لە ماوەی {days}دا وەڵامت دەدەینەوە، واتە تا {date}.',
  replyDue: 'تا {date} وەڵامت دەدەینەوە (واتە لە ماوەی {days}دا لە وەرگرتنی نامەکەتەوە).',
  errorTitle: 'هەڵە',
  errReference: 'ئەو ژمارەی ئاماژەیە بنووسە کە وەرتگرتووە: ٨ پیت و ژمارە، وەک {example}',
  errSecret: 'ئەو کۆدە نهێنییە بنووسە کە وەرتگرتووە: ١٢ پیت و ژمارە، وەک {example}',
};

const kmr: PublicStrings = {
  siteName: 'Gilî û nêrîn',
  formTitle: 'Ji me re bêje çi qewimî',
  formIntro:
    'Gilîyek, pirsek an ramanek li ser alîkariya ku tu distînî bişîne. Belaş e. Ne pêwîst e tu navê xwe binivîsî.',
  languageLabel: 'Ziman',
  aboutLabel: 'Li ser çi ye?',
  aboutNotSure: 'Ez ne bawer im',
  about: {
    complaint: 'Gilî an pirsgirêk',
    question: 'Pirs',
    request: 'Daxwaza alîkariyê',
    suggestion: 'Ramanek ji bo baştirkirinê',
    praise: 'Spas an pesin',
    abuse: 'Destdirêjî an îstismar ji aliyê karmendekî alîkariyê',
  },
  descriptionLabel: 'Peyama te',
  descriptionHint: 'Binivîse çi qewimî, li ku derê û kengî. Heta {max} tîpan.',
  placeLegend: 'Li ku derê?',
  governorateLabel: 'Parêzgeh',
  districtLabel: 'Qeza',
  choose: 'Hilbijêre…',
  contactLegend: 'Em çawa bigihîjin te?',
  contactHint: 'Bi dilê te ye. Vala bihêle heke tu dixwazî nenas bimînî.',
  nameLabel: 'Nav',
  phoneLabel: 'Hejmara telefonê',
  phoneHint: 'Mînak {example}',
  consentLabel: 'Hûn dikarin li ser vê yekê li min bigerin an peyamê ji min re bişînin',
  youLegend: 'Li ser te',
  populationLabel: 'Tu',
  population: {
    idp: 'Koçber (di hundir de)',
    returnee: 'Vegerî',
    host_community: 'Civaka mazûvan',
    refugee: 'Penaber',
    other: 'Yên din',
  },
  sexLabel: 'Zayend',
  sex: { female: 'Jin', male: 'Mêr', other: 'Yên din', undisclosed: 'Naxwazim bibêjim' },
  ageLabel: 'Temen',
  age: {
    '0-17': 'Kêmtir ji 18',
    '18-24': '18 heta 24',
    '25-39': '25 heta 39',
    '40-59': '40 heta 59',
    '60+': '60 an zêdetir',
    undisclosed: 'Naxwazim bibêjim',
  },
  optional: '(bi dilê te)',
  privacyNote: 'Tenê karmendên ku peyama te dişopînin nav û hejmara te dibînin.',
  honeypotLabel: 'Vê vala bihêle',
  submit: 'Bişîne',
  sending: 'Tê şandin…',
  networkError: 'Me nikaribû peyama te bişînin. Girêdana xwe kontrol bike û dîsa biceribîne.',
  fixErrors: 'Ji kerema xwe qadên jêrîn ên nîşankirî kontrol bike.',
  errDescription: 'Ji kerema xwe peyama xwe binivîse (heta {max} tîpan).',
  errPhone: 'Ev wek hejmara telefonê xuya nake. Wiha binivîse: {example}',
  errPlace: 'Ji kerema xwe parêzgeh û qezayê ji lîsteyê hilbijêre.',
  errField: 'Ji kerema xwe vê bersivê kontrol bike.',
  rejected: 'Me nikaribû vê peyamê qebûl bikin. Ji kerema xwe dîsa biceribîne.',
  tooLarge: 'Peyam pir dirêj e.',
  tooMany: 'Ji vê girêdanê gelek peyam hatin. Deqeyekê bisekine û dîsa biceribîne.',
  doneTitle: 'Spas. Peyama te gihîşt me.',
  doneIntro:
    'Van her du kodan binivîse an wêneyê vê ekranê bikişîne. Ji bo zanîna rewşa doza xwe her du jî pêwîst in.',
  referenceLabel: 'Hejmara referansê',
  secretLabel: 'Koda veşartî',
  doneKeep: 'Koda veşartî nede kesî. Karmend qet wê ji te naxwazin.',
  copy: 'Kopî bike',
  copied: 'Hat kopîkirin',
  checkStatus: 'Rewşa dozekê bizane',
  statusOfThis: 'Rewşa vê peyamê bibîne',
  sendAnother: 'Peyamek din bişîne',
  goBack: 'Vegere peyama xwe',
  statusTitle: 'Rewşa doza te',
  statusIntro: 'Hejmara referansê û koda veşartî ya ku te wergirtiye binivîse.',
  statusButton: 'Kontrol bike',
  notFound: 'Me tu doz bi vê referansê û vê koda veşartî nedît. Her duyan kontrol bike û dîsa biceribîne.',
  statusLabel: 'Rewş',
  receivedLabel: 'Hat wergirtin',
  updatedLabel: 'Nûkirina dawî',
  statusNames: {
    new: 'Hat wergirtin',
    acknowledged: 'Tîma me dît',
    in_progress: 'Kar li ser tê kirin',
    referred: 'Ji hevkarekî re hat şandin',
    resolved: 'Bersiv hat dayîn',
    closed: 'Girtî',
    reopened: 'Dîsa hat vekirin',
  },
  statusExplain: {
    new: 'Peyama te gihîşt me. Endamekî tîma me dê di demeke nêz de lê binêre.',
    acknowledged: 'Tîma me peyama te xwend û dê li ser kar bike.',
    in_progress: 'Tîma me li ser doza te dixebite.',
    referred:
      'Rêxistineke din çêtir dikare alîkariyê bike, ji ber vê yekê me doza te ji wan re şand. Em wê dişopînin.',
    resolved: 'Me bersiva doza te da. Heke te hejmarek dabe, me bersiv ji te re şand.',
    closed: 'Doza te qediya. Tu her dem dikarî peyameke nû bişînî.',
    reopened: 'Doza te dîsa hat vekirin û tîma me li ser dixebite.',
  },
  contactTitle: 'Rêyên din ji bo gihîştina me',
  contactSms: 'Peyameke kurt (SMS) ji me re bişîne:',
  contactHotline: 'Li xeta germ bigere:',
  contactWhatsapp: 'Li ser WhatsAppê ji me re binivîse:',
  workingDays: { one: '{n} roja kar', other: '{n} rojên kar' },
  replyWithin: 'Em di nava {days} de bersiva te didin.',
  workingWeek: 'Rojên kar ji {from} heta {to} ne; betlaneyên fermî nayên hesibandin.',
  replyBy: 'Em ê di nava {days} de bersiva te bidin, heta {date}.',
  replyDue: 'Em ê heta {date} bersiva te bidin (di nava {days} de ji wergirtina peyama te).',
  errorTitle: 'Çewtî',
  errReference: 'Hejmara referansê ya ku te wergirtiye binivîse: 8 tîp û hejmar, wek {example}.',
  errSecret: 'Koda veşartî ya ku te wergirtiye binivîse: 12 tîp û hejmar, wek {example}.',
};

/** Badini (Kurmanji) in Arabic script, as Duhok writes it (ڤ, ێ, «ژ», «ب»); the counts in Arabic-Indic digits. */
const kmrArab: PublicStrings = {
  siteName: 'گازندە و تێبینی',
  formTitle: 'بۆ مە بێژە چ چێبوو',
  formIntro:
    'گازندە، پسیار یان بیرۆکەیەکێ ل سەر وێ هاریکاریێ یا تو وەردگری بهنێرە. بێ پارەیە. پێدڤی نینە تو ناڤێ خۆ بنڤیسی.',
  languageLabel: 'زمان',
  aboutLabel: 'ل سەر چییە؟',
  aboutNotSure: 'ئەز نە پشتراستم',
  about: {
    complaint: 'گازندە یان ئاریشە',
    question: 'پسیار',
    request: 'داخوازا هاریکاریێ',
    suggestion: 'بیرۆکەیەک بۆ باشترکرنێ',
    praise: 'سوپاس یان دەستخۆشی',
    abuse: 'دەستدرێژی یان خراب بکارئینان ژ لایێ کارمەندەکێ هاریکاریێ ڤە',
  },
  descriptionLabel: 'پەیاما تە',
  descriptionHint: 'بنڤیسە چ چێبوو، ل کیرێ و کەنگی. هەتا {max} تیپان.',
  placeLegend: 'ل کیرێ؟',
  governorateLabel: 'پارێزگەه',
  districtLabel: 'قەزا',
  choose: 'هەلبژێرە…',
  contactLegend: 'ئەم چاوا پەیوەندیێ ب تە بکەین؟',
  contactHint: 'ب دلێ تەیە. ئەگەر تە دڤێت نەناس بمینی، ڤالا بهێلە.',
  nameLabel: 'ناڤ',
  phoneLabel: 'ژمارا تەلەفونێ',
  phoneHint: 'بۆ نموونە {example}',
  consentLabel: 'هوین دشێن ل سەر ڤێ چەندێ پەیوەندیێ ب من بکەن یان پەیامەکێ بۆ من بهنێرن',
  youLegend: 'ل سەر تە',
  populationLabel: 'تو',
  population: {
    idp: 'ئاوارە (ناڤخۆیی)',
    returnee: 'زڤری بۆ جهێ خۆ',
    host_community: 'جڤاکا مێڤاندار',
    refugee: 'پەنابەر',
    other: 'یێن دی',
  },
  sexLabel: 'رەگەز',
  sex: { female: 'ژن', male: 'مێر', other: 'یێن دی', undisclosed: 'من نەڤێت بێژم' },
  ageLabel: 'تەمەن',
  age: {
    '0-17': 'کێمتر ژ ١٨',
    '18-24': '١٨ هەتا ٢٤',
    '25-39': '٢٥ هەتا ٣٩',
    '40-59': '٤٠ هەتا ٥٩',
    '60+': '٦٠ یان پتر',
    undisclosed: 'من نەڤێت بێژم',
  },
  optional: '(ب دلێ تە)',
  privacyNote: 'تنێ ئەو کارمەندێن کار ل سەر پەیاما تە دکەن ناڤ و ژمارا تە دبینن.',
  honeypotLabel: 'ڤێ خانێ ڤالا بهێلە',
  submit: 'بهنێرە',
  sending: 'دهێتە هنارتن…',
  networkError: 'نەشیاین پەیاما تە بهنێرین. ئینتەرنێتا خۆ بپشکنە و دیسا هەول بدە.',
  fixErrors: 'هیڤییە ئەو خانێن ل خوارێ نیشانکری بپشکنە.',
  errDescription: 'هیڤییە پەیاما خۆ بنڤیسە (هەتا {max} تیپان).',
  errPhone: 'ئەڤە وەک ژمارا تەلەفونێ نینە. ب ڤی رەنگی بنڤیسە: {example}',
  errPlace: 'هیڤییە پارێزگەهێ و قەزایێ ژ لیستێ هەلبژێرە.',
  errField: 'هیڤییە ڤێ بەرسڤێ بپشکنە.',
  rejected: 'نەشیاین ڤێ پەیامێ وەربگرین. هیڤییە دیسا هەول بدە.',
  tooLarge: 'پەیام گەلەک درێژە.',
  tooMany: 'گەلەک پەیام ژ ڤێ گرێدانێ هاتن. دەقیقەکێ چاڤەرێ بکە و دیسا هەول بدە.',
  doneTitle: 'سوپاس. پەیاما تە گەهشتە مە.',
  doneIntro:
    'ڤان هەردوو کۆدان بنڤیسە یان وێنەیێ ڤێ شاشێ بگرە. بۆ زانینا رەوشا دۆسیا خۆ تە پێدڤی ب هەردووکان هەیە.',
  referenceLabel: 'ژمارا شوپاندنێ',
  secretLabel: 'کۆدا نهێنی',
  doneKeep: 'کۆدا نهێنی نەدە چ کەسی. کارمەند چو جاران وێ ژ تە ناخوازن.',
  copy: 'کۆپی بکە',
  copied: 'هاتە کۆپیکرن',
  checkStatus: 'رەوشا دۆسیەکێ بزانە',
  statusOfThis: 'رەوشا ڤێ پەیامێ ببینە',
  sendAnother: 'پەیامەکا دی بهنێرە',
  goBack: 'بزڤرە بۆ پەیاما خۆ',
  statusTitle: 'رەوشا دۆسیا تە',
  statusIntro: 'ژمارا شوپاندنێ و کۆدا نهێنی یێن تە وەرگرتین بنڤیسە.',
  statusButton: 'بپشکنە',
  notFound: 'چ دۆسیە ب ڤێ ژمارێ و ڤێ کۆدا نهێنی نەهاتە دیتن. هەردووکان بپشکنە و دیسا هەول بدە.',
  statusLabel: 'رەوش',
  receivedLabel: 'هاتە وەرگرتن',
  updatedLabel: 'نووکرنا دوماهیێ',
  statusNames: {
    new: 'هاتە وەرگرتن',
    acknowledged: 'تیما مە دیت',
    in_progress: 'کار ل سەر دهێتە کرن',
    referred: 'بۆ لایەنەکێ هەڤکار هاتە هنارتن',
    resolved: 'بەرسڤ هاتە دان',
    closed: 'هاتە گرتن',
    reopened: 'دیسا هاتە ڤەکرن',
  },
  statusExplain: {
    new: 'پەیاما تە گەهشتە مە. ئەندامەکێ تیما مە دێ زوو سەحکەتێ.',
    acknowledged: 'تیما مە پەیاما تە خواند و دێ کار ل سەر کەت.',
    in_progress: 'تیما مە کار ل سەر دۆسیا تە دکەت.',
    referred: 'رێکخراوەکا دی دشێت باشتر هاریکاریێ بکەت، لەوما مە دۆسیا تە بۆ وان هنارت. ئەم هەر ل دویڤ دچین.',
    resolved: 'مە بەرسڤا دۆسیا تە دا. ئەگەر تە ژمارەک دابیت، مە بەرسڤ بۆ تە هنارتیە.',
    closed: 'دۆسیا تە ب دوماهی هات. تو هەر دەم دشێی پەیامەکا نوو بهنێری.',
    reopened: 'دۆسیا تە دیسا هاتە ڤەکرن و تیما مە کار ل سەر دکەت.',
  },
  contactTitle: 'رێکێن دی بۆ پەیوەندیێ ب مە',
  contactSms: 'پەیامەکا کورت (مەسج) بۆ مە بهنێرە:',
  contactHotline: 'پەیوەندیێ ب هێلا گەرم بکە:',
  contactWhatsapp: 'ل سەر واتسئاپێ بۆ مە بنڤیسە:',
  workingDays: { one: '{n} رۆژا کاری', other: '{n} رۆژێن کاری' },
  replyWithin: 'ئەم د ماوێ {days} دا بەرسڤا تە ددەین.',
  workingWeek: 'رۆژێن کاری ژ {from} هەتا {to} نە. بێهنڤەدانێن فەرمی ناهێنە هژمارتن.',
  replyBy: 'ئەم دێ د ماوێ {days} دا بەرسڤا تە دەین، هەتا {date}.',
  replyDue: 'ئەم دێ هەتا {date} بەرسڤا تە دەین (د ماوێ {days} دا ژ وەرگرتنا پەیاما تە).',
  errorTitle: 'خەلەتی',
  errReference: 'ئەو ژمارا شوپاندنێ یا تە وەرگرتی بنڤیسە: ٨ تیپ و ژمارە، وەک {example}.',
  errSecret: 'ئەو کۆدا نهێنی یا تە وەرگرتی بنڤیسە: ١٢ تیپ و ژمارە، وەک {example}.',
};

export const PUBLIC_STRINGS: Readonly<Record<PublicLanguage, PublicStrings>> = {
  ar,
  ckb,
  kmr,
  'kmr-arab': kmrArab,
  en,
};

/**
 * The best of the four languages for an `Accept-Language` header: `ckb` and `kmr` by name, `ku` in Arabic script
 * as Sorani and otherwise as Kurmanji; English when nothing matches.
 */
export function languageFromAcceptLanguage(header: string | undefined): Language {
  if (!header) return 'en';
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)/.exec(p)?.[1]).find(Boolean);
      return { tag: tag.toLowerCase(), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((r) => r.tag && r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranked) {
    const lang = languageFromTag(tag);
    if (lang) return lang;
  }
  return 'en';
}

/** One BCP 47 tag to one of the four languages, or undefined. */
export function languageFromTag(tag: string): Language | undefined {
  const t = tag.toLowerCase();
  const primary = t.split('-')[0];
  if (primary === 'ar') return 'ar';
  if (primary === 'ckb') return 'ckb';
  if (primary === 'kmr') return 'kmr';
  if (primary === 'ku') return /-arab\b/.test(t) ? 'ckb' : 'kmr';
  if (primary === 'en') return 'en';
  return undefined;
}
