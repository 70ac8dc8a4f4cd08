import { useState } from 'preact/hooks';
import { completeLiveCall, type LiveCallRecord, liveCalls } from '../api.ts';
import { CATEGORIES, TYPES } from '../codes.ts';
import { html } from '../html.ts';
import { formatDateTime, getLang, LANGUAGE_NAMES, label, t } from '../i18n.ts';
import { districtsOf, GOVERNORATES, placeName } from '../places.ts';
import { CodeSelect, ErrorBox, FieldError, invalid, Loading, useAsync } from '../ui.ts';

/** One waiting call: what the operator knows of it, and the form that completes it. */
function LiveCallCard(props: {
  call: LiveCallRecord;
  onCompleted: (done: { reference: string; restricted: boolean }) => void;
}) {
  const c = props.call;
  const lang = getLang();
  const [form, setForm] = useState({
    summary: '',
    type: c.type ?? '',
    category: c.category ?? '',
    governorate: c.location.governorate ?? '',
    district: c.location.district ?? '',
  });
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const id = (f: string) => `lc-${c.caseId}-${f}`;
  const set = (k: keyof typeof form) => (v: string) =>
    setForm((f) => ({ ...f, [k]: v, ...(k === 'governorate' ? { district: '' } : {}) }));
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    try {
      const done = await completeLiveCall(c.caseId, c.version, {
        summary: form.summary,
        type: form.type || undefined,
        category: form.category || undefined,
        location: form.governorate
          ? { governorate: form.governorate, district: form.district || undefined }
          : undefined,
      });
      props.onCompleted(done);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return html`<article class="card live-call" data-reference=${c.reference} aria-labelledby=${id('title')}>
    <h2 id=${id('title')}>${t('liveCallHeading', { reference: '' })}<span class="ltr ref">${c.reference}</span></h2>
    <p class="muted">${t('liveCallReceived', { at: formatDateTime(c.receivedAt) })} · ${LANGUAGE_NAMES[c.language as 'en'] ?? c.language}
      ${c.durationSeconds !== undefined ? html` · ${t('liveCallDuration', { seconds: String(c.durationSeconds) })}` : null}</p>
    <p class=${c.recordingConsent ? 'notice-inline' : 'muted'}>${c.recordingConsent ? t('liveCallRecorded') : t('liveCallNotRecorded')}</p>
    <form class="grid" onSubmit=${submit}>
      <div class="wide"><label for=${id('summary')}>${t('liveSummary')}</label>
        <textarea id=${id('summary')} class="live-summary" rows="4" required minlength="3" maxlength="2000" dir="auto" value=${form.summary}
          onInput=${(e: Event) => set('summary')((e.target as HTMLTextAreaElement).value)} ...${invalid('summary', error, id('summary'))}></textarea>
        <${FieldError} field="summary" error=${error} for=${id('summary')} /></div>
      <div><${CodeSelect} id=${id('type')} label=${t('caseType')} value=${form.type} codes=${TYPES} labelOf=${(v: string) => label('type', v)} onChange=${set('type')} blank=${t('notChosen')} /></div>
      <div><${CodeSelect} id=${id('category')} label=${t('colCategory')} value=${form.category} codes=${CATEGORIES} labelOf=${(v: string) => label('category', v)} onChange=${set('category')} blank=${t('notChosen')} /></div>
      <div><${CodeSelect} id=${id('gov')} label=${t('colGovernorate')} value=${form.governorate} codes=${GOVERNORATES.map((g) => g.pcode)} labelOf=${(v: string) => placeName(v, lang)} onChange=${set('governorate')} blank=${t('notChosen')} /></div>
      <div><${CodeSelect} id=${id('district')} label=${t('district')} value=${form.district} codes=${form.governorate ? districtsOf(form.governorate).map((d) => d.pcode) : []} labelOf=${(v: string) => placeName(v, lang)} onChange=${set('district')} blank=${t('notChosen')} /></div>
      <div class="wide"><${ErrorBox} error=${error} fields=${['summary']} /></div>
      <div class="wide"><button type="submit" class="complete-call" disabled=${busy}>${t('liveComplete')}</button></div>
    </form>
  </article>`;
}

/**
 * The operator's calls to complete: callers the hotline put through to them. Each is completed once, with the
 * operator's summary, the category and the place; the list then drops it.
 */
export function LiveCallsView() {
  const data = useAsync(liveCalls, []);
  const [done, setDone] = useState<{ reference: string; restricted: boolean } | undefined>();
  const items = data.data ?? [];
  return html`<section>
    <h1>${t('liveCallsTitle')}</h1>
    <p class="muted">${t('liveCallsHint')}</p>
    ${
      done
        ? html`<div class="notice" role="status" id="live-completed" data-reference=${done.reference}>
            ${t('liveCompleted', { reference: '' })}<span class="ltr ref">${done.reference}</span>
            ${done.restricted ? html`<p>${t('liveCompletedRestricted')}</p>` : null}</div>`
        : null
    }
    <${ErrorBox} error=${data.error} />
    ${data.loading && !data.data ? html`<${Loading} />` : null}
    <div id="live-calls" aria-busy=${data.loading ? 'true' : 'false'}>
      ${data.data && items.length === 0 ? html`<p id="live-calls-none">${t('liveCallsNone')}</p>` : null}
      ${items.map(
        (c) =>
          html`<${LiveCallCard} key=${c.caseId} call=${c} onCompleted=${(d: {
            reference: string;
            restricted: boolean;
          }) => {
            setDone(d);
            data.reload();
          }} />`,
      )}
    </div>
  </section>`;
}
