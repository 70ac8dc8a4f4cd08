import { useRef, useState } from 'preact/hooks';
import { type CaseRecord, createCase, type LoggedCase, lookupCases, type NewCase, OUTCOMES } from '../api.ts';
import { CATEGORIES, OPERATOR_CHANNELS, TYPES } from '../codes.ts';
import { html } from '../html.ts';
import { getLang, LANGUAGE_NAMES, LANGUAGES, label, t, tn } from '../i18n.ts';
import { districtsOf, GOVERNORATES, placeName } from '../places.ts';
import { CodeSelect, ErrorBox, FieldError, invalid, newKey } from '../ui.ts';
import { CaseTable } from './queues.ts';

type ShareAnswer = 'not_asked' | 'yes' | 'no';

/** Everything one call fills in; a fresh copy starts every call, so nothing of the last caller stays. */
const blankCall = (lang: string) => ({
  phone: '',
  channel: 'hotline',
  language: lang,
  type: '',
  category: '',
  name: '',
  narrative: '',
  consent: false,
  share: 'not_asked' as ShareAnswer,
  governorate: '',
  district: '',
  resolve: false,
  outcome: 'information_given',
  callback: false,
  callbackNote: '',
});
type Call = ReturnType<typeof blankCall>;

/**
 * The operator's screen, used call after call without reloading: find the caller's earlier cases, log the call,
 * answer an information request on the call, or take a callback request. After each call the form starts empty.
 */
export function OperatorView() {
  const lang = getLang();
  const [call, setCall] = useState<Call>(() => blankCall(lang));
  const [earlier, setEarlier] = useState<CaseRecord[] | undefined>();
  // One key per logical case: a retry after a lost answer cannot log the call twice.
  const [key, setKey] = useState(newKey);
  const [logged, setLogged] = useState<LoggedCase | undefined>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const phoneRef = useRef<HTMLInputElement>(null);
  const set =
    <K extends keyof Call>(k: K) =>
    (v: Call[K]) =>
      setCall((c) => ({ ...c, [k]: v, ...(k === 'governorate' ? { district: '' } : {}) }));
  const text = (k: 'phone' | 'name' | 'narrative' | 'callbackNote') => (e: Event) =>
    set(k)((e.target as HTMLInputElement).value);
  const hasPhone = call.phone.trim() !== '';

  const nextCall = () => {
    setCall(blankCall(lang));
    setEarlier(undefined);
    setError(undefined);
    setKey(newKey());
    phoneRef.current?.focus();
  };

  const find = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    try {
      setEarlier(await lookupCases({ phone: call.phone }));
    } catch (err) {
      setError(err);
    }
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    setBusy(true);
    const body: NewCase = {
      channel: call.channel,
      language: call.language,
      narrative: call.narrative,
      type: call.type || undefined,
      category: call.category || undefined,
      phone: call.phone.trim() || undefined,
      name: call.name.trim() || undefined,
      consentToFollowUp: hasPhone && call.consent,
      consentToShare: call.share === 'not_asked' ? undefined : call.share === 'yes',
      location: call.governorate
        ? { governorate: call.governorate, district: call.district || undefined }
        : undefined,
      resolvedOnContact: call.resolve ? { outcome: call.outcome } : undefined,
      callback: call.callback && !call.resolve ? { note: call.callbackNote.trim() || undefined } : undefined,
    };
    try {
      setLogged(await createCase(body, key));
      nextCall();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const check = (k: 'consent' | 'resolve' | 'callback', id: string, words: string, disabled = false) =>
    html`<label class="check"><input type="checkbox" id=${id} checked=${call[k]} disabled=${disabled}
      onChange=${(e: Event) => set(k)((e.target as HTMLInputElement).checked)} /> ${words}</label>`;

  return html`<section>
    <h1>${t('operatorTitle')}</h1>
    ${
      logged
        ? html`<div class="notice" role="status" id="logged" data-reference=${logged.reference} data-visible=${String(logged.visibleToYou !== false)}>
            ${t('logged', { reference: '' })}<span class="ltr ref">${logged.reference}</span>${
              logged.visibleToYou === false
                ? html`<p>${t('loggedRestricted')}</p>`
                : html` <a href=${`#/case/${encodeURIComponent(logged.caseId)}`}>${t('openCase')}</a>`
            }</div>`
        : null
    }
    <${ErrorBox} error=${error} id="operator-error" fields=${['phone', 'narrative']} />
    <form onSubmit=${find} class="inline" role="search">
      <label for="o-phone">${t('callerPhone')}</label>
      <input id="o-phone" ref=${phoneRef} type="tel" class="ltr" dir="ltr" autocomplete="off" value=${call.phone}
        onInput=${text('phone')} ...${invalid('phone', error, 'o-phone')} />
      <button type="submit" id="o-find" disabled=${!hasPhone}>${t('findCases')}</button>
      <${FieldError} field="phone" error=${error} for="o-phone" />
    </form>
    ${
      earlier === undefined
        ? null
        : html`<section aria-labelledby="earlier-title" id="earlier">
            <h2 id="earlier-title">${t('earlierCases')}</h2>
            ${earlier.length ? html`<p class="muted">${tn('earlierCount', earlier.length)}</p><${CaseTable} items=${earlier} />` : html`<p>${t('noEarlierCases')}</p>`}
          </section>`
    }
    <form onSubmit=${submit} class="grid log-call">
      <div><${CodeSelect} id="o-channel" label=${t('channel')} value=${call.channel} codes=${OPERATOR_CHANNELS} labelOf=${(c: string) => label('channel', c)} onChange=${set('channel')} /></div>
      <div><${CodeSelect} id="o-lang" label=${t('languageOfCase')} value=${call.language} codes=${LANGUAGES} labelOf=${(c: string) => LANGUAGE_NAMES[c as 'en']} onChange=${set('language')} /></div>
      <div><${CodeSelect} id="o-type" label=${t('caseType')} value=${call.type} codes=${TYPES} labelOf=${(c: string) => label('type', c)} onChange=${set('type')} blank=${t('notChosen')} /></div>
      <div><${CodeSelect} id="o-category" label=${t('colCategory')} value=${call.category} codes=${CATEGORIES} labelOf=${(c: string) => label('category', c)} onChange=${set('category')} blank=${t('notChosen')} /></div>
      <div><${CodeSelect} id="o-gov" label=${t('colGovernorate')} value=${call.governorate} codes=${GOVERNORATES.map((g) => g.pcode)} labelOf=${(c: string) => placeName(c, lang)} onChange=${set('governorate')} blank=${t('notChosen')} /></div>
      <div><${CodeSelect} id="o-district" label=${t('district')} value=${call.district} codes=${call.governorate ? districtsOf(call.governorate).map((d) => d.pcode) : []} labelOf=${(c: string) => placeName(c, lang)} onChange=${set('district')} blank=${t('notChosen')} /></div>
      <div class="wide"><label for="o-name">${t('callerName')}</label><input id="o-name" autocomplete="off" value=${call.name} onInput=${text('name')} /></div>
      <div class="wide"><label for="o-narrative">${t('narrativeLabel')}</label>
        <textarea id="o-narrative" rows="5" required maxlength="5000" dir="auto" value=${call.narrative} onInput=${text('narrative')}
          ...${invalid('narrative', error, 'o-narrative')}></textarea>
        <${FieldError} field="narrative" error=${error} for="o-narrative" /></div>
      <div class="wide">${check('consent', 'o-consent', t('consentLabel'), !hasPhone)}
        ${hasPhone ? null : html`<p class="muted" id="o-consent-hint">${t('consentNeedsPhone')}</p>`}</div>
      <fieldset class="wide" id="o-share">
        <legend>${t('shareQuestion')}</legend>
        <p class="muted">${t('shareExplain')}</p>
        ${(['yes', 'no', 'not_asked'] as const).map(
          (
            v,
          ) => html`<label class="check"><input type="radio" name="o-share" value=${v} id=${`o-share-${v}`} checked=${call.share === v}
            onChange=${() => set('share')(v)} /> ${t(`share_${v}`)}</label>`,
        )}
      </fieldset>
      <div class="wide">${check('resolve', 'o-resolve', t('resolveOnCall'), call.callback)}</div>
      ${
        call.resolve
          ? html`<div class="wide"><${CodeSelect} id="o-outcome" label=${t('outcomeLabel')} value=${call.outcome} codes=${OUTCOMES}
              labelOf=${(o: string) => label('outcome', o)} onChange=${set('outcome')} required=${true} /></div>`
          : null
      }
      <div class="wide">${check('callback', 'o-callback', t('callbackLabel'), call.resolve || !hasPhone || !call.consent)}
        ${!call.resolve && (!hasPhone || !call.consent) ? html`<p class="muted">${t('callbackNeeds')}</p>` : null}</div>
      ${
        call.callback && !call.resolve
          ? html`<div class="wide"><label for="o-callback-note">${t('callbackNote')}</label>
              <input id="o-callback-note" value=${call.callbackNote} onInput=${text('callbackNote')} /></div>`
          : null
      }
      <div class="wide">
        <button type="submit" id="o-log" disabled=${busy}>${t('logCase')}</button>
        <button type="button" class="secondary" id="o-new-call" onClick=${() => {
          setLogged(undefined);
          nextCall();
        }}>${t('newCall')}</button>
      </div>
    </form>
  </section>`;
}
