import { useEffect, useState } from 'preact/hooks';
import { canTransition, TRANSITION_ACTIONS, type TransitionAction } from '#shared/cases/transitions.ts';
import {
  addNote,
  type CaseRecord,
  getCase,
  OUTCOMES,
  referCase,
  transitionCase,
  updateCase,
} from '../api.ts';
import type { Session } from '../auth.ts';
import { CATEGORIES, SENSITIVITIES, TYPES, URGENCIES } from '../codes.ts';
import { html } from '../html.ts';
import { formatDateTime, formatNumber, getLang, label, t } from '../i18n.ts';
import { placeName } from '../places.ts';
import { SlaClock } from '../sla-view.ts';
import { CodeSelect, ErrorBox, Loading, useAsync } from '../ui.ts';

const WRITERS = ['officer', 'psea'];

function Details(props: { c: CaseRecord }) {
  const { c } = props;
  const lang = getLang();
  const row = (name: string, value: unknown) =>
    value === undefined || value === '' || value === null
      ? null
      : html`<div><dt>${name}</dt><dd>${value}</dd></div>`;
  const place = [placeName(c.location?.governorate, lang), placeName(c.location?.district, lang)]
    .filter(Boolean)
    .join(' · ');
  const contact = [c.contact?.name, c.contact?.phone].filter(Boolean).join(' · ');
  return html`<section aria-labelledby="details-title">
    <h2 id="details-title">${t('details')}</h2>
    <dl class="facts">
      ${row(t('colStatus'), html`<span class=${`status status-${c.status}`} data-status=${c.status}>${label('status', c.status)}</span>`)}
      ${row(t('colChannel'), label('channel', c.channel))}
      ${row(t('languageOfCase'), c.language)}
      ${row(t('received'), formatDateTime(c.receivedAt))}
      ${row(t('updated'), formatDateTime(c.updatedAt))}
      ${row(t('location'), place)}
      ${row(t('contact'), contact)}
      ${row(t('consent'), c.consentToFollowUp === undefined ? undefined : c.consentToFollowUp ? t('yes') : t('no'))}
      ${row(t('assignee'), c.assignee)}
      ${row(t('focalPoints'), c.routing?.focalPoints.join(', '))}
      ${row(t('outcome'), c.outcome ? label('outcome', c.outcome) : undefined)}
      ${row(t('satisfaction'), c.satisfaction)}
      ${c.referral ? row(t('refer'), t('referral', { partner: c.referral.partner, status: c.referral.status })) : null}
    </dl>
    ${c.narrative === undefined ? null : html`<h3>${t('narrative')}</h3><blockquote class="narrative" dir="auto">${c.narrative}</blockquote>`}
  </section>`;
}

function Classification(props: {
  c: CaseRecord;
  canEdit: boolean;
  onSaved: () => void;
  onError: (e: unknown) => void;
}) {
  const { c } = props;
  const cl = c.classification;
  const [draft, setDraft] = useState({
    type: c.type ?? '',
    category: c.category ?? '',
    sensitivity: c.sensitivity,
    urgency: c.urgency,
    reason: '',
  });
  const save = async (e: Event) => {
    e.preventDefault();
    try {
      await updateCase(c.caseId, c.version, {
        type: draft.type || undefined,
        category: draft.category || undefined,
        sensitivity: draft.sensitivity,
        urgency: draft.urgency,
        reason: draft.reason || undefined,
      });
      props.onSaved();
    } catch (err) {
      props.onError(err);
    }
  };
  const set = (k: keyof typeof draft) => (v: string) => setDraft((d) => ({ ...d, [k]: v }));
  const auto = cl?.automatic;
  return html`<section aria-labelledby="class-title">
    <h2 id="class-title">${t('classification')}</h2>
    <dl class="facts">
      <div><dt>${t('colType')}</dt><dd>${label('type', c.type)}</dd></div>
      <div><dt>${t('colCategory')}</dt><dd>${label('category', c.category)}</dd></div>
      <div><dt>${t('colPriority')}</dt><dd>${label('urgency', c.urgency)}</dd></div>
      <div><dt>S</dt><dd>${label('sensitivity', c.sensitivity)}</dd></div>
      ${cl ? html`<div><dt>${t('source')}</dt><dd>${label('source', cl.source)}</dd></div>` : null}
      ${cl?.confidence === undefined ? null : html`<div><dt>${t('confidence')}</dt><dd>${formatNumber(cl.confidence * 100)}%</dd></div>`}
    </dl>
    ${
      cl?.evidence?.length
        ? html`<h3>${t('evidence')}</h3><ul class="evidence">${cl.evidence.map((e) => html`<li dir="auto">${e}</li>`)}</ul>`
        : null
    }
    ${
      auto && cl?.changedByOfficer
        ? html`<p class="muted">${t('automaticWas', {
            value: [
              label('type', auto.type),
              label('category', auto.category),
              auto.sensitivity,
              label('urgency', auto.urgency),
            ].join(' · '),
          })}</p>`
        : null
    }
    ${
      props.canEdit
        ? html`<details><summary>${t('reclassify')}</summary>
          <form onSubmit=${save} class="grid">
            <div><${CodeSelect} id="c-type" label=${t('colType')} value=${draft.type} codes=${TYPES} labelOf=${(x: string) => label('type', x)} onChange=${set('type')} blank=${t('none')} /></div>
            <div><${CodeSelect} id="c-category" label=${t('colCategory')} value=${draft.category} codes=${CATEGORIES} labelOf=${(x: string) => label('category', x)} onChange=${set('category')} blank=${t('none')} /></div>
            <div><${CodeSelect} id="c-sensitivity" label="S" value=${draft.sensitivity} codes=${SENSITIVITIES} labelOf=${(x: string) => label('sensitivity', x)} onChange=${set('sensitivity')} /></div>
            <div><${CodeSelect} id="c-urgency" label=${t('colPriority')} value=${draft.urgency} codes=${URGENCIES} labelOf=${(x: string) => label('urgency', x)} onChange=${set('urgency')} /></div>
            <div class="wide"><label for="c-reason">${t('reason')}</label><input id="c-reason" value=${draft.reason} onInput=${(e: Event) => set('reason')((e.target as HTMLInputElement).value)} /></div>
            <div><button type="submit">${t('save')}</button></div>
          </form></details>`
        : null
    }
  </section>`;
}

function Actions(props: { c: CaseRecord; onDone: () => void; onError: (e: unknown) => void }) {
  const { c } = props;
  const [action, setAction] = useState<TransitionAction | undefined>();
  const [reason, setReason] = useState('');
  const [outcome, setOutcome] = useState<(typeof OUTCOMES)[number]>('assistance_provided');
  const [partner, setPartner] = useState('');
  const [assignee, setAssignee] = useState(c.assignee ?? '');
  const allowed = TRANSITION_ACTIONS.filter((a) => canTransition(a, c.status as never));
  const run = async (e: Event) => {
    e.preventDefault();
    if (!action) return;
    try {
      if (action === 'refer') await referCase(c.caseId, c.version, { partner, reason: reason || undefined });
      else
        await transitionCase(c.caseId, c.version, {
          action,
          reason: reason || undefined,
          outcome: action === 'resolve' ? outcome : undefined,
        });
      setAction(undefined);
      setReason('');
      props.onDone();
    } catch (err) {
      props.onError(err);
    }
  };
  const reassign = async (e: Event) => {
    e.preventDefault();
    try {
      await updateCase(c.caseId, c.version, { assignee: assignee.trim() || null });
      props.onDone();
    } catch (err) {
      props.onError(err);
    }
  };
  return html`<section aria-labelledby="actions-title">
    <h2 id="actions-title">${t('actions')}</h2>
    <div class="buttons">
      ${allowed.map(
        (a) =>
          html`<button type="button" data-action=${a} aria-pressed=${action === a} onClick=${() => setAction(a)}>${t(`action_${a}`)}</button>`,
      )}
    </div>
    ${
      action
        ? html`<form onSubmit=${run} class="action-form">
          ${action === 'refer' ? html`<label for="a-partner">${t('partner')}</label><input id="a-partner" required value=${partner} onInput=${(e: Event) => setPartner((e.target as HTMLInputElement).value)} />` : null}
          ${
            action === 'resolve'
              ? html`<${CodeSelect} id="a-outcome" label=${t('outcome')} value=${outcome} codes=${OUTCOMES}
                  labelOf=${(o: string) => label('outcome', o)} onChange=${(v: string) => setOutcome(v as (typeof OUTCOMES)[number])} />`
              : null
          }
          <label for="a-reason">${t('reason')}</label>
          <textarea id="a-reason" rows="2" value=${reason} onInput=${(e: Event) => setReason((e.target as HTMLTextAreaElement).value)}></textarea>
          <button type="submit" id="confirm-action">${t(`action_${action}`)}</button>
          <button type="button" class="secondary" onClick=${() => setAction(undefined)}>${t('cancel')}</button>
        </form>`
        : null
    }
    <form onSubmit=${reassign} class="inline">
      <label for="a-assignee">${t('reassign')}</label>
      <input id="a-assignee" value=${assignee} onInput=${(e: Event) => setAssignee((e.target as HTMLInputElement).value)} />
      <button type="submit">${t('save')}</button>
    </form>
  </section>`;
}

function Timeline(props: { events: Awaited<ReturnType<typeof getCase>>['timeline'] }) {
  return html`<section aria-labelledby="timeline-title">
    <h2 id="timeline-title">${t('timeline')}</h2>
    <ol class="timeline">
      ${props.events.map(
        (e) => html`<li>
          <time datetime=${e.at}>${formatDateTime(e.at)}</time>
          <strong>${label('event', e.type)}</strong>
          ${e.fromStatus || e.toStatus ? html` ${label('status', e.fromStatus ?? '')} → ${label('status', e.toStatus ?? '')}` : null}
          <span class="muted"> · ${e.actor.role ? label('role', e.actor.role) : e.actor.kind}${e.actor.id ? ` (${e.actor.id})` : ''}</span>
          ${e.reason ? html`<div dir="auto">${e.reason}</div>` : null}
          ${typeof e.data?.text === 'string' ? html`<div dir="auto">${e.data.text}</div>` : null}
        </li>`,
      )}
    </ol>
  </section>`;
}

function NoteForm(props: { caseId: string; onDone: () => void; onError: (e: unknown) => void }) {
  const [text, setText] = useState('');
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!text.trim()) return;
    try {
      await addNote(props.caseId, text.trim());
      setText('');
      props.onDone();
    } catch (err) {
      props.onError(err);
    }
  };
  return html`<form onSubmit=${submit} aria-labelledby="note-title">
    <h2 id="note-title">${t('notes')}</h2>
    <label for="note">${t('noteText')}</label>
    <textarea id="note" rows="3" value=${text} onInput=${(e: Event) => setText((e.target as HTMLTextAreaElement).value)}></textarea>
    <button type="submit">${t('addNote')}</button>
  </form>`;
}

export function CaseView(props: { session: Session; caseId: string }) {
  const data = useAsync(() => getCase(props.caseId), [props.caseId]);
  const [error, setError] = useState<unknown>();
  const [now, setNow] = useState(new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 30_000);
    return () => clearInterval(timer);
  }, []);
  const onError = (err: unknown) => {
    setError(err);
    data.reload();
  };
  const onDone = () => {
    setError(undefined);
    data.reload();
  };
  if (data.error)
    return html`<section><p><a href="#/queues/team">${t('backToQueue')}</a></p><${ErrorBox} error=${data.error} /></section>`;
  if (!data.data) return html`<${Loading} />`;
  const c = data.data.case;
  const canWrite = props.session.roles.some((r) => WRITERS.includes(r));
  return html`<article class="case">
    <p><a href="#/queues/team">${t('backToQueue')}</a></p>
    <h1>${t('caseTitle', { reference: '' })}<span class="ltr" id="case-reference">${c.reference}</span></h1>
    <${ErrorBox} error=${error} />
    <div class="case-grid">
      <div>
        <${Details} c=${c} />
        <${Classification} key=${c.version} c=${c} canEdit=${canWrite} onSaved=${onDone} onError=${onError} />
        <${Timeline} events=${data.data.timeline} />
      </div>
      <aside>
        <${SlaClock} c=${c} now=${now} />
        ${canWrite ? html`<${Actions} key=${c.version} c=${c} onDone=${onDone} onError=${onError} />` : null}
        <${NoteForm} caseId=${c.caseId} onDone=${onDone} onError=${onError} />
      </aside>
    </div>
  </article>`;
}
