import { useState } from 'preact/hooks';
import { type CaseRecord, createCase, lookupCases, type NewCase, OUTCOMES } from '../api.ts';
import { CATEGORIES, OPERATOR_CHANNELS, TYPES } from '../codes.ts';
import { html } from '../html.ts';
import { getLang, LANGUAGE_NAMES, LANGUAGES, label, t } from '../i18n.ts';
import { districtsOf, GOVERNORATES, placeName } from '../places.ts';
import { CodeSelect, ErrorBox, newKey } from '../ui.ts';
import { CaseTable } from './queues.ts';

/** The operator's screen: find the caller's earlier cases, log the call, close an information request at once. */
export function OperatorView() {
  const lang = getLang();
  const [phone, setPhone] = useState('');
  const [earlier, setEarlier] = useState<CaseRecord[] | undefined>();
  const [form, setForm] = useState({
    channel: 'hotline',
    language: lang as string,
    type: '',
    category: '',
    name: '',
    narrative: '',
    consent: false,
    governorate: '',
    district: '',
    resolve: false,
    outcome: 'information_given',
  });
  // One key per logical case: a retry after a lost answer cannot log the call twice.
  const [key, setKey] = useState(newKey);
  const [logged, setLogged] = useState<CaseRecord | undefined>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof form) => (v: string | boolean) => setForm((f) => ({ ...f, [k]: v }));
  const input = (k: keyof typeof form) => (e: Event) => set(k)((e.target as HTMLInputElement).value);

  const find = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    try {
      setEarlier(await lookupCases({ phone }));
    } catch (err) {
      setError(err);
    }
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    setBusy(true);
    const body: NewCase = {
      channel: form.channel,
      language: form.language,
      narrative: form.narrative,
      type: form.type || undefined,
      category: form.category || undefined,
      phone: phone.trim() || undefined,
      name: form.name.trim() || undefined,
      consentToFollowUp: Boolean(phone.trim()) && form.consent,
      location: form.governorate
        ? { governorate: form.governorate, district: form.district || undefined }
        : undefined,
      resolvedOnContact: form.resolve ? { outcome: form.outcome } : undefined,
    };
    try {
      setLogged(await createCase(body, key));
      setKey(newKey());
      setForm((f) => ({
        ...f,
        narrative: '',
        name: '',
        type: '',
        category: '',
        resolve: false,
        outcome: '',
      }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return html`<section>
    <h1>${t('operatorTitle')}</h1>
    <${ErrorBox} error=${error} />
    ${
      logged
        ? html`<div class="notice" role="status">${t('logged', { reference: logged.reference })}
            <a href=${`#/case/${encodeURIComponent(logged.caseId)}`}>${t('openCase')}</a></div>`
        : null
    }
    <form onSubmit=${find} class="inline" role="search">
      <label for="o-phone">${t('callerPhone')}</label>
      <input id="o-phone" type="tel" class="ltr" dir="ltr" value=${phone} onInput=${(e: Event) => setPhone((e.target as HTMLInputElement).value)} />
      <button type="submit">${t('findCases')}</button>
    </form>
    ${
      earlier === undefined
        ? null
        : html`<h2>${t('earlierCases')}</h2>${earlier.length ? html`<${CaseTable} items=${earlier} />` : html`<p>${t('noEarlierCases')}</p>`}`
    }
    <form onSubmit=${submit} class="grid log-call">
      <div><${CodeSelect} id="o-channel" label=${t('channel')} value=${form.channel} codes=${OPERATOR_CHANNELS} labelOf=${(c: string) => label('channel', c)} onChange=${set('channel')} /></div>
      <div><${CodeSelect} id="o-lang" label=${t('languageOfCase')} value=${form.language} codes=${LANGUAGES} labelOf=${(c: string) => LANGUAGE_NAMES[c as 'en']} onChange=${set('language')} /></div>
      <div><${CodeSelect} id="o-type" label=${t('caseType')} value=${form.type} codes=${TYPES} labelOf=${(c: string) => label('type', c)} onChange=${set('type')} blank=${t('none')} /></div>
      <div><${CodeSelect} id="o-category" label=${t('colCategory')} value=${form.category} codes=${CATEGORIES} labelOf=${(c: string) => label('category', c)} onChange=${set('category')} blank=${t('none')} /></div>
      <div><${CodeSelect} id="o-gov" label=${t('colGovernorate')} value=${form.governorate} codes=${GOVERNORATES.map((g) => g.pcode)} labelOf=${(c: string) => placeName(c, lang)} onChange=${set('governorate')} blank=${t('none')} /></div>
      <div><${CodeSelect} id="o-district" label=${t('location')} value=${form.district} codes=${form.governorate ? districtsOf(form.governorate).map((d) => d.pcode) : []} labelOf=${(c: string) => placeName(c, lang)} onChange=${set('district')} blank=${t('none')} /></div>
      <div class="wide"><label for="o-name">${t('callerName')}</label><input id="o-name" value=${form.name} onInput=${input('name')} /></div>
      <div class="wide"><label for="o-narrative">${t('narrativeLabel')}</label>
        <textarea id="o-narrative" rows="5" required maxlength="5000" dir="auto" value=${form.narrative} onInput=${input('narrative')}></textarea></div>
      <div class="wide"><label class="check"><input type="checkbox" checked=${form.consent} onChange=${(e: Event) => set('consent')((e.target as HTMLInputElement).checked)} /> ${t('consentLabel')}</label></div>
      <div class="wide"><label class="check"><input type="checkbox" id="o-resolve" checked=${form.resolve} onChange=${(e: Event) => set('resolve')((e.target as HTMLInputElement).checked)} /> ${t('resolveOnCall')}</label></div>
      ${
        form.resolve
          ? html`<div class="wide"><${CodeSelect} id="o-outcome" label=${t('outcomeLabel')} value=${form.outcome} codes=${OUTCOMES}
              labelOf=${(o: string) => label('outcome', o)} onChange=${set('outcome')} /></div>`
          : null
      }
      <div><button type="submit" disabled=${busy}>${t('logCase')}</button></div>
    </form>
  </section>`;
}
