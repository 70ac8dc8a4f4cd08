import { useEffect, useState } from 'preact/hooks';
import { canTransition, TRANSITION_ACTIONS, type TransitionAction } from '#shared/cases/transitions.ts';
import { ROUTER_EVIDENCE } from '#shared/routing/router-evidence.ts';
import {
  type AgencyOption,
  ApiError,
  addNote,
  answerReferral,
  type CaseCluster,
  type CaseEvent,
  type CaseRecord,
  type ChangeByOther,
  type FocalPointName,
  getCase,
  OUTCOMES,
  type PartnerOption,
  type ReferralPackage,
  referCase,
  transferCase,
  transitionCase,
  updateCase,
} from '../api.ts';
import type { Session } from '../auth.ts';
import { CATEGORIES, SENSITIVITIES, TYPES, URGENCIES } from '../codes.ts';
import { clearDrafts, useDraft } from '../drafts.ts';
import { html } from '../html.ts';
import {
  channelLabel,
  formatDateTime,
  formatNumber,
  getLang,
  isolate,
  isRtl,
  LANGUAGE_NAMES,
  label,
  listOfNames,
  t,
  tn,
} from '../i18n.ts';
import { placeName } from '../places.ts';
import { SlaClock } from '../sla-view.ts';
import { en, type StringKey } from '../strings/en.ts';
import { actorLabel, eventSummary, showsReason } from '../timeline.ts';
import { CodeSelect, ErrorBox, FieldError, invalid, Loading, Phone, useAsync } from '../ui.ts';
import { clusterPlace } from './clusters.ts';

const WRITERS = ['officer', 'psea'];

/** A write's outcome for the view: done, or the case has become restricted and left this reader's sight. */
type Written = CaseRecord | { caseId: string; version: number; restricted: true };
interface Handlers {
  onDone: (result?: Written) => void;
  onError: (e: unknown) => void;
}

const isConflict = (e: unknown): e is ApiError => e instanceof ApiError && e.code === 'CASE.VERSION_CONFLICT';

/** Local date-time input value (Baghdad is UTC+3 all year) ↔ ISO instant. */
const BAGHDAD_MS = 3 * 3_600_000;
export const toLocalInput = (iso: string): string =>
  new Date(Date.parse(iso) + BAGHDAD_MS).toISOString().slice(0, 16);
export const fromLocalInput = (value: string): string | undefined =>
  value ? new Date(Date.parse(`${value}:00.000Z`) - BAGHDAD_MS).toISOString() : undefined;

/** What the case is and who it is from, as far as the reader may see (also the break-glass view). */
/** An agency's name as the detail gives it; the default agency without a record is the main one. */
export const agencyName = (agencies: readonly AgencyOption[], id: string): string =>
  agencies.find((a) => a.agencyId === id)?.name ?? (id === 'default' ? t('agencyDefault') : id);

/** A focal point's name as the detail gives it; its id where the detail does not name it (deleted since). */
export const focalPointName = (focalPoints: readonly FocalPointName[], id: string): string =>
  focalPoints.find((f) => f.focalPointId === id)?.name ?? id;

export function CaseFacts(props: {
  c: CaseRecord;
  agencies?: readonly AgencyOption[];
  focalPoints?: readonly FocalPointName[];
}) {
  const { c } = props;
  const agencies = props.agencies ?? [];
  const routedTo = (c.routing?.focalPoints ?? []).map((id) => focalPointName(props.focalPoints ?? [], id));
  const lang = getLang();
  const row = (name: string, value: unknown, id?: string) =>
    value === undefined || value === '' || value === null
      ? null
      : html`<div id=${id}><dt>${name}</dt><dd>${value}</dd></div>`;
  const place = [placeName(c.location?.governorate, lang), placeName(c.location?.district, lang)]
    .filter(Boolean)
    .join(' · ');
  const share = c.consentToShare;
  return html`<section aria-labelledby="details-title">
    <h2 id="details-title">${t('details')}</h2>
    <dl class="facts">
      ${agencies.length ? row(t('agency'), agencyName(agencies, c.agency ?? 'default'), 'case-agency') : null}
      ${row(t('colStatus'), html`<span class=${`status status-${c.status}`} data-status=${c.status}>${label('status', c.status)}</span>`)}
      ${row(t('colChannel'), channelLabel(c.channel, c.transport), 'case-channel')}
      ${row(t('languageOfCase'), LANGUAGE_NAMES[c.language as 'en'] ?? c.language)}
      ${row(t('received'), formatDateTime(c.receivedAt))}
      ${row(t('updated'), formatDateTime(c.updatedAt))}
      ${row(t('location'), place)}
      ${row(t('callerName'), c.contact?.name)}
      ${row(t('phone'), c.contact?.phone ? html`<${Phone} value=${c.contact.phone} />` : undefined, 'case-phone')}
      ${row(t('consent'), c.consentToFollowUp === undefined ? undefined : c.consentToFollowUp ? t('yes') : t('no'))}
      ${row(
        t('consentToShare'),
        share
          ? t(share.given ? 'shareGivenHow' : 'shareRefusedHow', {
              how: label('consentHow', share.how),
              at: formatDateTime(share.at),
            })
          : t('shareNotAsked'),
        'case-share',
      )}
      ${row(t('assignee'), c.assignee ? html`<bdi dir="ltr">${c.assignee}</bdi>` : undefined)}
      ${row(t('focalPoints'), routedTo.length ? listOfNames(routedTo) : undefined, 'case-focal-points')}
      ${row(t('outcome'), c.outcome ? label('outcome', c.outcome) : undefined)}
      ${row(t('satisfaction'), c.satisfaction ? label('satisfaction', c.satisfaction) : undefined)}
      ${
        c.referral
          ? row(
              t('refer'),
              html`<span id="case-referral" data-referral=${c.referral.status}>${t('referral', {
                partner: isolate(c.referral.partner),
                status: label('referralStatus', c.referral.status),
              })}${c.referral.share ? html`<br /><small>${t(c.referral.share === 'consented' ? 'note_share_consented' : 'note_share_anonymous')}</small>` : null}</span>`,
            )
          : null
      }
    </dl>
    ${c.narrative === undefined ? null : html`<h3>${t('narrative')}</h3><blockquote class="narrative" dir="auto" lang=${c.language}>${c.narrative}</blockquote>`}
    ${c.outcomeMessage ? html`<h3>${t('messageToPersonSent')}</h3><blockquote class="narrative" dir="auto" lang=${c.language} id="outcome-message">${c.outcomeMessage}</blockquote>` : null}
  </section>`;
}

/**
 * A classifier rule in the reader's language: its id is the classifier's own name (English, hyphenated), so the
 * console says what the rule pointed to instead.
 */
function ruleInWords(rule: string): string {
  const category = /→(C\d\d)$/.exec(rule)?.[1];
  if (category) return t('evidenceRuleCategory', { category: label('category', category) });
  if (rule === 'id-card-not-payment') return t('evidenceIdCard');
  return t('evidenceRule', { rule: rule.replace(/-/g, ' ') });
}

const ROUTER_NOTES: Readonly<Record<string, StringKey>> = {
  [ROUTER_EVIDENCE.unheardRecording]: 'evidenceUnreadable',
  [ROUTER_EVIDENCE.keptSensitivity]: 'evidenceKept',
  [ROUTER_EVIDENCE.placeFromText]: 'evidencePlaceFromText',
};

/** The classifier's evidence in plain words: the words it matched, and what else decided. */
export function evidenceLines(evidence: readonly string[]): { words: string[]; notes: string[] } {
  const words: string[] = [];
  const notes: string[] = [];
  for (const e of evidence) {
    const [kind = '', rest = ''] = e.split(/:(.*)/s);
    if (kind === 'rule') notes.push(ruleInWords(rest));
    else if (kind === 'hint') {
      const [field = '', value = ''] = rest.split('=');
      notes.push(
        t('evidencePersonChose', { field: t(`field_${field}` as StringKey), value: label(field, value) }),
      );
    } else if (kind === 'model') {
      // `model:category=C03`: the category model moved the category (shared/classification/classify.ts).
      const [field = '', value = ''] = rest.split('=');
      if (field === 'category')
        notes.push(t('evidenceCategoryModel', { value: label('category', value === 'none' ? null : value) }));
    } else if (kind === 'basis') {
      const key = `evidenceBasis_${rest}`;
      if (key in en) notes.push(t(key as StringKey));
    }
    // `reason:` codes (`C07.words`, `caution.actor+night`) are behind the basis, which says it in words.
    else if (kind === 'reason') continue;
    else if (kind === 'text-overrides-hint') {
      const [field = '', value = ''] = rest.split('=');
      notes.push(t('evidenceTextOverrides', { value: label(field, value) }));
    } else if (kind === 'router') {
      // The router's own notes: said in words, never shown as words the person wrote.
      const note = ROUTER_NOTES[e];
      if (note) notes.push(t(note));
    } else if (rest && !words.includes(rest)) words.push(rest);
  }
  return { words, notes };
}

function Classification(props: { c: CaseRecord; canEdit: boolean } & Handlers) {
  const { c } = props;
  const cl = c.classification;
  const [draft, setDraft] = useState({
    type: c.type ?? '',
    category: c.category ?? '',
    sensitivity: c.sensitivity,
    urgency: c.urgency,
  });
  const [reason, setReason] = useDraft(c.caseId, 'reclassifyReason');
  const save = async (e: Event) => {
    e.preventDefault();
    // Only what the person changed: a field they left alone keeps whatever the platform has set meanwhile.
    const change: Parameters<typeof updateCase>[2] = {};
    if (draft.type !== (c.type ?? '') && draft.type) change.type = draft.type;
    if (draft.category !== (c.category ?? '') && draft.category) change.category = draft.category;
    if (draft.sensitivity !== c.sensitivity) change.sensitivity = draft.sensitivity;
    if (draft.urgency !== c.urgency) change.urgency = draft.urgency;
    if (reason.trim()) change.reason = reason.trim();
    try {
      const result = await updateCase(c.caseId, c.version, change);
      clearDrafts(c.caseId, 'reclassifyReason');
      props.onDone(result);
    } catch (err) {
      props.onError(err);
    }
  };
  const set = (k: keyof typeof draft) => (v: string) => setDraft((d) => ({ ...d, [k]: v }));
  const auto = cl?.automatic;
  const evidence = evidenceLines(cl?.evidence ?? []);
  return html`<section aria-labelledby="class-title">
    <h2 id="class-title">${t('classification')}</h2>
    <dl class="facts">
      <div><dt>${t('colType')}</dt><dd>${label('type', c.type)}</dd></div>
      <div><dt>${t('colCategory')}</dt><dd>${label('category', c.category)}</dd></div>
      <div><dt>${t('colPriority')}</dt><dd>${label('urgency', c.urgency)}</dd></div>
      <div><dt>${t('sensitivity')}</dt><dd id="case-sensitivity" data-sensitivity=${c.sensitivity}>${label('sensitivity', c.sensitivity)}</dd></div>
      ${cl ? html`<div><dt>${t('source')}</dt><dd>${label('source', cl.source)}</dd></div>` : null}
      ${cl?.confidence === undefined ? null : html`<div><dt>${t('confidence')}</dt><dd>${formatNumber(cl.confidence * 100)} %</dd></div>`}
    </dl>
    ${
      evidence.words.length || evidence.notes.length
        ? html`<h3>${t('evidence')}</h3>
          ${evidence.words.length ? html`<p>${t('evidenceWords')} ${evidence.words.map((w, i) => html`${i ? (isRtl(getLang()) ? '، ' : ', ') : ''}<q><bdi lang=${c.language}>${w}</bdi></q>`)}</p>` : null}
          ${evidence.notes.length ? html`<ul class="evidence">${evidence.notes.map((n) => html`<li>${n}</li>`)}</ul>` : null}`
        : null
    }
    ${
      auto && cl?.changedByOfficer
        ? html`<p class="muted">${t('automaticWas', {
            value: [
              label('type', auto.type),
              label('category', auto.category),
              label('sensitivity', auto.sensitivity),
              label('urgency', auto.urgency),
            ].join(' · '),
          })}</p>`
        : null
    }
    ${
      props.canEdit
        ? html`<details><summary>${t('reclassify')}</summary>
          <form onSubmit=${save} class="grid" id="reclassify">
            <div><${CodeSelect} id="c-type" label=${t('colType')} value=${draft.type} codes=${TYPES} labelOf=${(x: string) => label('type', x)} onChange=${set('type')} blank=${t('none')} /></div>
            <div><${CodeSelect} id="c-category" label=${t('colCategory')} value=${draft.category} codes=${CATEGORIES} labelOf=${(x: string) => label('category', x)} onChange=${set('category')} blank=${t('none')} /></div>
            <div><${CodeSelect} id="c-sensitivity" label=${t('sensitivity')} value=${draft.sensitivity} codes=${SENSITIVITIES} labelOf=${(x: string) => label('sensitivity', x)} onChange=${set('sensitivity')} /></div>
            <div><${CodeSelect} id="c-urgency" label=${t('colPriority')} value=${draft.urgency} codes=${URGENCIES} labelOf=${(x: string) => label('urgency', x)} onChange=${set('urgency')} /></div>
            <div class="wide"><label for="c-reason">${t('reason')}</label><input id="c-reason" value=${reason} onInput=${(e: Event) => setReason((e.target as HTMLInputElement).value)} /></div>
            <div><button type="submit">${t('save')}</button></div>
          </form></details>`
        : null
    }
  </section>`;
}

/**
 * The restriction decided in one step: a focal point who reviewed a case restricted by caution lifts it (with the
 * reason, kept on the timeline and in the audit trail); anyone who can write may restrict a case.
 */
function Restriction(props: { c: CaseRecord; error: unknown } & Handlers) {
  const { c } = props;
  const restricted = c.sensitivity === 'S2' || c.sensitivity === 'S3';
  const [level, setLevel] = useState(restricted ? 'S1' : 'S2');
  const [reason, setReason] = useDraft(c.caseId, 'restrictionReason');
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      const result = await updateCase(c.caseId, c.version, {
        sensitivity: level,
        reason: reason.trim() || undefined,
      });
      clearDrafts(c.caseId, 'restrictionReason');
      props.onDone(result as Written);
    } catch (err) {
      props.onError(err);
    }
  };
  return html`<section aria-labelledby="restriction-title" class="panel" id="restriction">
    <h2 id="restriction-title">${restricted ? t('liftTitle') : t('restrictTitle')}</h2>
    <p class="muted">${restricted ? t('liftExplain') : t('restrictExplain')}</p>
    <form onSubmit=${submit}>
      <${CodeSelect} id="r-level" label=${t('sensitivity')} value=${level} codes=${restricted ? ['S1', 'S0'] : ['S2', 'S3']}
        labelOf=${(x: string) => label('sensitivity', x)} onChange=${setLevel} />
      <label for="r-reason">${restricted ? t('liftReason') : t('reason')}</label>
      <textarea id="r-reason" rows="2" required=${restricted} value=${reason} dir="auto"
        onInput=${(e: Event) => setReason((e.target as HTMLTextAreaElement).value)} ...${invalid('reason', props.error, 'r-reason')}></textarea>
      <${FieldError} field="reason" error=${props.error} for="r-reason" />
      <button type="submit" id=${restricted ? 'lift-restriction' : 'impose-restriction'}>${restricted ? t('liftButton') : t('restrictButton')}</button>
    </form>
  </section>`;
}

/** Recording the person's answer on sharing, when it was asked after intake: how and when. */
function ShareConsentForm(props: { c: CaseRecord; error: unknown } & Handlers) {
  const { c } = props;
  const [given, setGiven] = useState<'yes' | 'no'>('yes');
  const [how, setHow] = useState<'phone_call' | 'in_person' | 'sms'>('phone_call');
  const [at, setAt] = useState(() => toLocalInput(new Date().toISOString()));
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      props.onDone(
        await updateCase(c.caseId, c.version, {
          consentToShare: { given: given === 'yes', how, at: fromLocalInput(at) },
        }),
      );
    } catch (err) {
      props.onError(err);
    }
  };
  return html`<details class="panel" id="share-consent"><summary>${t('recordConsent')}</summary>
    <p class="muted">${t('shareExplain')}</p>
    <form onSubmit=${submit}>
      <fieldset><legend>${t('shareQuestion')}</legend>
        ${(['yes', 'no'] as const).map(
          (v) =>
            html`<label class="check"><input type="radio" name="sc-given" id=${`sc-${v}`} value=${v} checked=${given === v} onChange=${() => setGiven(v)} /> ${t(`share_${v}`)}</label>`,
        )}
      </fieldset>
      <${CodeSelect} id="sc-how" label=${t('consentHowLabel')} value=${how} codes=${['phone_call', 'in_person', 'sms']}
        labelOf=${(x: string) => label('consentHow', x)} onChange=${(v: string) => setHow(v as typeof how)} />
      <label for="sc-at">${t('consentWhen')}</label>
      <input id="sc-at" type="datetime-local" value=${at} onInput=${(e: Event) => setAt((e.target as HTMLInputElement).value)}
        ...${invalid('consentAt', props.error, 'sc-at')} />
      <${FieldError} field="consentAt" error=${props.error} for="sc-at" />
      <button type="submit" id="sc-save">${t('save')}</button>
    </form>
  </details>`;
}

/**
 * Transfer to another agency: the whole case goes, so only with the person's consent to sharing (the server refuses
 * otherwise); the form says so and offers nothing to press until the consent is recorded.
 */
function TransferForm(
  props: {
    c: CaseRecord;
    agencies: readonly AgencyOption[];
    error: unknown;
    onMoved: (agency: string) => void;
  } & Handlers,
) {
  const { c } = props;
  const current = c.agency ?? 'default';
  const targets = props.agencies.filter((a) => a.agencyId !== current);
  const [target, setTarget] = useState(targets[0]?.agencyId ?? '');
  const [reason, setReason] = useDraft(c.caseId, 'transferReason');
  const consented = c.consentToShare?.given === true;
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      const moved = await transferCase(c.caseId, c.version, { agency: target, reason: reason.trim() });
      clearDrafts(c.caseId, 'transferReason');
      props.onMoved(moved.agency);
    } catch (err) {
      props.onError(err);
    }
  };
  return html`<details class="panel" id="transfer"><summary>${t('transferTitle')}</summary>
    <p class="muted">${t('transferExplain')}</p>
    ${consented ? null : html`<p class="notice-inline" id="transfer-no-consent">${t('transferNeedsConsent')}</p>`}
    <form onSubmit=${submit}>
      <${CodeSelect} id="t-agency" label=${t('transferTo')} value=${target} codes=${targets.map((a) => a.agencyId)}
        labelOf=${(id: string) => agencyName(props.agencies, id)} onChange=${setTarget} />
      <label for="t-reason">${t('transferReason')}</label>
      <textarea id="t-reason" rows="2" required value=${reason} dir="auto"
        onInput=${(e: Event) => setReason((e.target as HTMLTextAreaElement).value)}></textarea>
      <button type="submit" id="transfer-case" disabled=${!consented || !target}>${t('transferButton')}</button>
    </form>
  </details>`;
}

function ReferralForm(
  props: {
    c: CaseRecord;
    partners: PartnerOption[];
    error: unknown;
    onPackage: (p: ReferralPackage) => void;
  } & Handlers,
) {
  const { c } = props;
  const consented = c.consentToShare?.given === true;
  const [partnerId, setPartnerId] = useState(props.partners[0]?.partnerId ?? '');
  const [share, setShare] = useState<'consented' | 'anonymous'>(consented ? 'consented' : 'anonymous');
  const [due, setDue] = useState('');
  const [reason, setReason] = useDraft(c.caseId, 'referReason');
  const partner = props.partners.find((p) => p.partnerId === partnerId);
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      const result = await referCase(c.caseId, c.version, {
        partnerId,
        share,
        dueBy: fromLocalInput(due),
        reason: reason.trim() || undefined,
      });
      clearDrafts(c.caseId, 'referReason');
      if (result.referralPackage) props.onPackage(result.referralPackage);
      props.onDone(result);
    } catch (err) {
      props.onError(err);
    }
  };
  if (props.partners.length === 0) return html`<p class="alert">${t('noPartners')}</p>`;
  return html`<form onSubmit=${submit} class="action-form" id="refer-form">
    <${CodeSelect} id="a-partner" label=${t('partner')} value=${partnerId} codes=${props.partners.map((p) => p.partnerId)}
      labelOf=${(id: string) => props.partners.find((p) => p.partnerId === id)?.name ?? id} onChange=${setPartnerId} />
    <fieldset><legend>${t('shareWhat')}</legend>
      <label class="check"><input type="radio" name="a-share" id="a-share-consented" value="consented" disabled=${!consented}
        checked=${share === 'consented'} onChange=${() => setShare('consented')} /> ${t('shareConsentedOption')}</label>
      <label class="check"><input type="radio" name="a-share" id="a-share-anonymous" value="anonymous"
        checked=${share === 'anonymous'} onChange=${() => setShare('anonymous')} /> ${t('shareAnonymousOption')}</label>
      ${consented ? null : html`<p class="notice-inline" id="no-consent">${t('noConsentToShare')}</p>`}
      ${
        partner
          ? html`<p class="muted">${t('partnerReceives', {
              fields: (share === 'consented'
                ? partner.receives
                : ['type', 'category', 'sector', 'urgency', 'governorate']
              )
                .map((f) => t(`field_${f}` as StringKey))
                .join(', '),
            })}</p>`
          : null
      }
    </fieldset>
    <label for="a-due">${t('referralDue')}</label>
    <input id="a-due" type="datetime-local" value=${due} onInput=${(e: Event) => setDue((e.target as HTMLInputElement).value)} />
    <label for="a-reason">${t('reason')}</label>
    <textarea id="a-reason" rows="2" value=${reason} dir="auto" onInput=${(e: Event) => setReason((e.target as HTMLTextAreaElement).value)}></textarea>
    <button type="submit" id="confirm-action">${t('action_refer')}</button>
  </form>`;
}

/** The partner's answer to a pending referral: accepted (by when) or declined (why). */
function ReferralAnswer(props: { c: CaseRecord; error: unknown } & Handlers) {
  const { c } = props;
  const [answer, setAnswer] = useState<'accept' | 'decline' | undefined>();
  const [due, setDue] = useState(() => toLocalInput(new Date(Date.now() + 7 * 86_400_000).toISOString()));
  const [reason, setReason] = useDraft(c.caseId, 'referralAnswer');
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      const result =
        answer === 'accept'
          ? await answerReferral(c.caseId, c.version, {
              action: 'accept',
              dueBy: fromLocalInput(due) ?? new Date().toISOString(),
              reason: reason.trim() || undefined,
            })
          : await answerReferral(c.caseId, c.version, { action: 'decline', reason: reason.trim() });
      clearDrafts(c.caseId, 'referralAnswer');
      props.onDone(result);
    } catch (err) {
      props.onError(err);
    }
  };
  return html`<section class="panel" aria-labelledby="referral-answer-title" id="referral-answer">
    <h3 id="referral-answer-title">${t('referralAnswerTitle', { partner: isolate(c.referral?.partner ?? '') })}</h3>
    <div class="buttons">
      <button type="button" id="referral-accepted" aria-pressed=${answer === 'accept'} onClick=${() => setAnswer('accept')}>${t('referralAccepted')}</button>
      <button type="button" id="referral-declined" aria-pressed=${answer === 'decline'} onClick=${() => setAnswer('decline')}>${t('referralDeclined')}</button>
    </div>
    ${
      answer
        ? html`<form onSubmit=${submit}>
          ${
            answer === 'accept'
              ? html`<label for="ra-due">${t('partnerDue')}</label>
                <input id="ra-due" type="datetime-local" required value=${due} onInput=${(e: Event) => setDue((e.target as HTMLInputElement).value)} />`
              : null
          }
          <label for="ra-reason">${answer === 'decline' ? t('declineReason') : t('reason')}</label>
          <textarea id="ra-reason" rows="2" dir="auto" required=${answer === 'decline'} value=${reason}
            onInput=${(e: Event) => setReason((e.target as HTMLTextAreaElement).value)} ...${invalid('reason', props.error, 'ra-reason')}></textarea>
          <${FieldError} field="reason" error=${props.error} for="ra-reason" />
          <button type="submit" id="confirm-referral-answer">${t('save')}</button>
        </form>`
        : null
    }
  </section>`;
}

function Actions(
  props: {
    c: CaseRecord;
    partners: PartnerOption[];
    error: unknown;
    onPackage: (p: ReferralPackage) => void;
  } & Handlers,
) {
  const { c } = props;
  const [action, setAction] = useState<TransitionAction | undefined>();
  const [reason, setReason] = useDraft(c.caseId, 'actionReason');
  const [message, setMessage] = useDraft(c.caseId, 'messageToPerson');
  const [outcome, setOutcome] = useState<(typeof OUTCOMES)[number]>('assistance_provided');
  const [assignee, setAssignee] = useState(c.assignee ?? '');
  const allowed = TRANSITION_ACTIONS.filter((a) => canTransition(a, c.status as never));
  const run = async (e: Event) => {
    e.preventDefault();
    if (!action || action === 'refer') return;
    try {
      const result = await transitionCase(c.caseId, c.version, {
        action,
        reason: reason.trim() || undefined,
        outcome: action === 'resolve' ? outcome : undefined,
        message: action === 'resolve' && message.trim() ? message.trim() : undefined,
      });
      clearDrafts(c.caseId, 'actionReason', 'messageToPerson');
      setAction(undefined);
      props.onDone(result);
    } catch (err) {
      props.onError(err);
    }
  };
  const reassign = async (e: Event) => {
    e.preventDefault();
    try {
      props.onDone(await updateCase(c.caseId, c.version, { assignee: assignee.trim() || null }));
    } catch (err) {
      props.onError(err);
    }
  };
  const reaches = c.consentToFollowUp && c.contact?.hasPhone;
  const open = ['new', 'acknowledged', 'in_progress', 'referred', 'reopened'].includes(c.status);
  const [asking, setAsking] = useState(false);
  const [asked, setAsked] = useDraft(c.caseId, 'askedPerson');
  const waiting = async (on: boolean) => {
    try {
      props.onDone(
        await updateCase(c.caseId, c.version, {
          waitingOn: on ? 'complainant' : null,
          reason: on && asked.trim() ? asked.trim() : undefined,
        }),
      );
      clearDrafts(c.caseId, 'askedPerson');
    } catch (err) {
      props.onError(err);
    }
  };
  return html`<section aria-labelledby="actions-title">
    <h2 id="actions-title">${t('actions')}</h2>
    ${c.status === 'referred' && c.referral?.status === 'pending' ? html`<${ReferralAnswer} c=${c} error=${props.error} onDone=${props.onDone} onError=${props.onError} />` : null}
    <div class="buttons">
      ${allowed.map(
        (a) =>
          html`<button type="button" data-action=${a} aria-pressed=${action === a} onClick=${() => setAction(a)}>${t(`action_${a}`)}</button>`,
      )}
    </div>
    ${
      action === 'refer'
        ? html`<${ReferralForm} c=${c} partners=${props.partners} error=${props.error} onPackage=${props.onPackage} onDone=${(
            r?: Written,
          ) => {
            setAction(undefined);
            props.onDone(r);
          }} onError=${props.onError} />`
        : action
          ? html`<form onSubmit=${run} class="action-form">
          ${
            action === 'resolve'
              ? html`<${CodeSelect} id="a-outcome" label=${t('outcome')} value=${outcome} codes=${OUTCOMES}
                  labelOf=${(o: string) => label('outcome', o)} onChange=${(v: string) => setOutcome(v as (typeof OUTCOMES)[number])} />
                <label for="a-message">${t('messageToPerson', { language: LANGUAGE_NAMES[c.language as 'en'] ?? c.language })}</label>
                <textarea id="a-message" rows="3" maxlength="320" dir="auto" lang=${c.language} value=${message}
                  onInput=${(e: Event) => setMessage((e.target as HTMLTextAreaElement).value)} aria-describedby="a-message-hint"></textarea>
                <p class="muted" id="a-message-hint">${reaches ? tn('charactersLeft', 320 - message.length) : t('messageNotSent')}</p>`
              : null
          }
          <label for="a-reason">${t('internalReason')}</label>
          <textarea id="a-reason" rows="2" dir="auto" value=${reason} onInput=${(e: Event) => setReason((e.target as HTMLTextAreaElement).value)}></textarea>
          <button type="submit" id="confirm-action">${t(`action_${action}`)}</button>
          <button type="button" class="secondary" onClick=${() => setAction(undefined)}>${t('cancel')}</button>
        </form>`
          : null
    }
    ${
      open && reaches
        ? html`<p>${
            c.waitingOn
              ? html`<span class="muted">${t('waitingForPerson')}</span> <button type="button" class="secondary" id="stop-waiting" onClick=${() => waiting(false)}>${t('stopWaiting')}</button>`
              : asking
                ? html`<form onSubmit=${(e: Event) => {
                    e.preventDefault();
                    void waiting(true);
                  }}>
                    <label for="w-reason">${t('whatYouAsked')}</label>
                    <textarea id="w-reason" rows="2" dir="auto" value=${asked} onInput=${(e: Event) => setAsked((e.target as HTMLTextAreaElement).value)}></textarea>
                    <button type="submit" id="confirm-wait">${t('waitForPerson')}</button>
                    <button type="button" class="secondary" onClick=${() => setAsking(false)}>${t('cancel')}</button>
                  </form>`
                : html`<button type="button" class="secondary" id="wait-for-person" onClick=${() => setAsking(true)}>${t('waitForPerson')}</button>`
          }</p>`
        : null
    }
    <form onSubmit=${reassign} class="inline">
      <label for="a-assignee">${t('reassign')}</label>
      <input id="a-assignee" value=${assignee} onInput=${(e: Event) => setAssignee((e.target as HTMLInputElement).value)} />
      <button type="submit">${t('save')}</button>
    </form>
  </section>`;
}

export function Timeline(props: {
  events: CaseEvent[];
  agencies?: readonly AgencyOption[];
  focalPoints?: readonly FocalPointName[];
}) {
  const named = {
    agency: (id: string) => agencyName(props.agencies ?? [], id),
    focalPoint: (id: string) => focalPointName(props.focalPoints ?? [], id),
  };
  return html`<section aria-labelledby="timeline-title">
    <h2 id="timeline-title">${t('timeline')}</h2>
    <ol class="timeline">
      ${props.events.map((e) => {
        const summary = eventSummary(e, named);
        return html`<li data-event=${e.type} class=${e.type === 'message_in' ? 'follow-up' : undefined}>
          <time datetime=${e.at}>${formatDateTime(e.at)}</time>
          <strong>${label('event', e.type)}</strong>
          ${e.fromStatus || e.toStatus ? html` ${e.fromStatus ? label('status', e.fromStatus) : ''} → ${label('status', e.toStatus ?? '')}` : null}
          <span class="muted"> · ${actorLabel(e.actor)}</span>
          ${summary ? html`<div>${summary}</div>` : null}
          ${e.reason && showsReason(e) ? html`<div dir="auto" class="said">${e.reason}</div>` : null}
        </li>`;
      })}
    </ol>
  </section>`;
}

function NoteForm(props: { caseId: string } & Handlers) {
  const [text, setText] = useDraft(props.caseId, 'note');
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!text.trim()) return;
    try {
      await addNote(props.caseId, text.trim());
      clearDrafts(props.caseId, 'note');
      setText('');
      props.onDone();
    } catch (err) {
      props.onError(err);
    }
  };
  return html`<form onSubmit=${submit} aria-labelledby="note-title">
    <h2 id="note-title">${t('notes')}</h2>
    <label for="note">${t('noteText')}</label>
    <textarea id="note" rows="3" dir="auto" value=${text} onInput=${(e: Event) => setText((e.target as HTMLTextAreaElement).value)}></textarea>
    <button type="submit" id="add-note">${t('addNote')}</button>
  </form>`;
}

/** Another person changed the case since it was read: who, what, and a reload that keeps what was typed. */
function ConflictPanel(props: { error: ApiError; onReload: () => void }) {
  const changes = ((props.error.details as { changes?: ChangeByOther[] } | undefined)?.changes ?? []).slice(
    -5,
  );
  return html`<div class="alert conflict" role="alert" id="conflict">
    <p><strong>${t('conflictTitle')}</strong></p>
    ${
      changes.length
        ? html`<ul>${changes.map(
            (ch) =>
              html`<li>${t('conflictBy', { who: actorLabel(ch.actor), time: formatDateTime(ch.at) })}${': '}${label('event', ch.type)}${ch.fromStatus || ch.toStatus ? ` (${ch.fromStatus ? label('status', ch.fromStatus) : ''} → ${label('status', ch.toStatus ?? '')})` : ''}${
                eventSummary(ch) ? ` · ${eventSummary(ch)}` : ''
              }</li>`,
          )}</ul>`
        : null
    }
    <p>${t('conflictKeep')}</p>
    <button type="button" id="conflict-reload" onClick=${props.onReload}>${t('conflictReload')}</button>
  </div>`;
}

/** A shared field's value in words, with the code beside it where a partner's system may want the code. */
function packageValue(field: string, value: string): string {
  const lang = getLang();
  switch (field) {
    case 'type':
    case 'sector':
    case 'urgency':
      return label(field, value);
    case 'category':
      return `${label('category', value)} (${value})`;
    case 'governorate':
    case 'district':
      return `${placeName(value, lang)} (${value})`;
    case 'language':
      return LANGUAGE_NAMES[value as 'en'] ?? value;
    default:
      return value;
  }
}

function PackageBox(props: { pkg: ReferralPackage }) {
  const lines = [
    `${t('colReference')}: ${props.pkg.reference}`,
    ...Object.entries(props.pkg.fields).map(
      ([f, v]) => `${t(`field_${f}` as StringKey)}: ${packageValue(f, v)}`,
    ),
  ];
  return html`<section class="notice" id="referral-package" aria-labelledby="package-title">
    <h2 id="package-title">${t('packageTitle')}</h2>
    <p class="muted">${t('packageExplain')}</p>
    <pre dir="auto">${lines.join('\n')}</pre>
  </section>`;
}

/** The cluster this case belongs to: its size and the other members this reader may open. */
function ClusterPanel(props: { cluster: CaseCluster }) {
  const c = props.cluster;
  return html`<section class="panel" id="case-cluster" aria-labelledby="case-cluster-title">
    <h2 id="case-cluster-title">${t('caseClusterTitle')}</h2>
    <p>${t('caseClusterLine', { n: formatNumber(c.size), category: label('category', c.category), place: clusterPlace(c) })}</p>
    ${
      c.members.length
        ? html`<ul class="cluster-members">${c.members.map(
            (m) =>
              html`<li data-reference=${m.reference}><a class="ltr" href=${`#/case/${encodeURIComponent(m.caseId)}`}>${m.reference}</a> · ${label('status', m.status)}</li>`,
          )}</ul>`
        : null
    }
    <p><a id="open-cluster" href=${`#/clusters/${encodeURIComponent(c.clusterId)}`}>${t('caseClusterOpen')}</a></p>
  </section>`;
}

/** Statuses a case may be transferred in (functions/cases/case-service.ts says the same). */
const TRANSFERABLE = ['new', 'acknowledged', 'in_progress', 'reopened'];

export function CaseView(props: { session: Session; caseId: string }) {
  const data = useAsync(() => getCase(props.caseId), [props.caseId]);
  const [error, setError] = useState<unknown>();
  const [gone, setGone] = useState(false);
  const [movedTo, setMovedTo] = useState<string | undefined>();
  const [pkg, setPkg] = useState<ReferralPackage | undefined>();
  const [now, setNow] = useState(new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 30_000);
    return () => clearInterval(timer);
  }, []);
  const onError = (err: unknown) => setError(err);
  const onDone = (result?: Written) => {
    setError(undefined);
    // Restricted by this very change, and this reader is not one of its focal points: it has left their sight.
    if (result && 'restricted' in result && result.restricted && !('reference' in result)) setGone(true);
    else data.reload();
  };
  const reloadKeeping = () => {
    setError(undefined);
    data.reload();
  };
  if (movedTo !== undefined)
    return html`<section><p class="notice" role="status" id="case-transferred">${t('transferredNotice', {
      agency: agencyName(data.data?.agencies ?? [], movedTo),
    })}</p><p><a href="#/queues/team">${t('backToQueue')}</a></p></section>`;
  if (gone)
    return html`<section><p class="notice" role="status" id="case-gone">${t('nowRestricted')}</p><p><a href="#/queues/team">${t('backToQueue')}</a></p></section>`;
  if (data.error)
    return html`<section><p><a href="#/queues/team">${t('backToQueue')}</a></p><${ErrorBox} error=${data.error} /></section>`;
  if (!data.data) return html`<${Loading} />`;
  const c = data.data.case;
  const canWrite = props.session.roles.some((r) => WRITERS.includes(r));
  const handlers = { onDone, onError };
  return html`<article class="case" aria-busy=${data.loading ? 'true' : 'false'}>
    <p><a href="#/queues/team">${t('backToQueue')}</a></p>
    <h1>${t('caseTitle', { reference: '' })}<span class="ltr" id="case-reference">${c.reference}</span>
      ${c.restricted ? html` <span class="tag restricted">${t('restrictedTag')}</span>` : null}</h1>
    ${
      c.newMessage
        ? html`<p class="flag" role="status" id="new-message">${t('newMessageBanner', { time: formatDateTime(c.lastMessageInAt) })}</p>`
        : null
    }
    ${isConflict(error) ? html`<${ConflictPanel} error=${error} onReload=${reloadKeeping} />` : html`<${ErrorBox} error=${error} id="case-error" fields=${['reason', 'consentAt']} />`}
    ${error && !isConflict(error) && error instanceof ApiError && error.status === 409 ? html`<button type="button" class="secondary" onClick=${reloadKeeping}>${t('conflictReload')}</button>` : null}
    ${pkg ? html`<${PackageBox} pkg=${pkg} />` : null}
    <div class="case-grid">
      <div>
        <${CaseFacts} c=${c} agencies=${data.data.agencies} focalPoints=${data.data.focalPoints} />
        <${Classification} key=${c.version} c=${c} canEdit=${canWrite} ...${handlers} />
        <${Timeline} events=${data.data.timeline} agencies=${data.data.agencies} focalPoints=${data.data.focalPoints} />
      </div>
      <aside>
        <${SlaClock} c=${c} now=${now} />
        ${data.data.cluster ? html`<${ClusterPanel} cluster=${data.data.cluster} />` : null}
        ${canWrite ? html`<${Actions} key=${c.version} c=${c} partners=${data.data.partners} error=${error} onPackage=${setPkg} ...${handlers} />` : null}
        ${canWrite ? html`<${ShareConsentForm} key=${c.version} c=${c} error=${error} ...${handlers} />` : null}
        ${canWrite ? html`<${Restriction} key=${c.version} c=${c} error=${error} ...${handlers} />` : null}
        ${
          canWrite && data.data.agencies.length > 1 && TRANSFERABLE.includes(c.status)
            ? html`<${TransferForm} key=${c.version} c=${c} agencies=${data.data.agencies} error=${error} onMoved=${setMovedTo} ...${handlers} />`
            : null
        }
        <${NoteForm} caseId=${c.caseId} ...${handlers} />
      </aside>
    </div>
  </article>`;
}
