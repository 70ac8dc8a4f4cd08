import { useState } from 'preact/hooks';
import { type RosterOperator, rosterCreate, rosterDelete, rosterList, rosterPut } from '../api.ts';
import { html } from '../html.ts';
import { getLang, LANGUAGE_NAMES, LANGUAGES, label, t } from '../i18n.ts';
import { CodeChecks, CodeSelect, ErrorBox, FieldError, invalid, Loading, useAsync } from '../ui.ts';

const GENDERS = ['female', 'male'] as const;
/** Languages whose lists are joined with the Arabic comma. */
const RTL = new Set(['ar', 'ckb']);

/** The form's fields as typed; empty strings are left out of what is sent. */
const draftOf = (o?: RosterOperator) => ({
  operatorId: o?.operatorId ?? '',
  name: o?.name ?? '',
  phone: o?.phone ?? '',
  client: o?.client ?? '',
  languages: o?.languages ?? ['ar'],
  gender: o?.gender ?? 'female',
  onDuty: o?.onDuty ?? true,
  userId: o?.userId ?? '',
});
type Draft = ReturnType<typeof draftOf>;

const toOperator = (d: Draft): RosterOperator => ({
  operatorId: d.operatorId.trim(),
  name: d.name.trim(),
  ...(d.phone.trim() ? { phone: d.phone.replace(/[\s-]/g, '') } : {}),
  ...(d.client.trim() ? { client: d.client.trim() } : {}),
  languages: d.languages,
  gender: d.gender,
  onDuty: d.onDuty,
  ...(d.userId.trim() ? { userId: d.userId.trim() } : {}),
});

/** Adds an operator, or edits one (the id is then fixed). */
function OperatorForm(props: { record?: RosterOperator; onSaved: () => void; onCancel?: () => void }) {
  const [d, setD] = useState<Draft>(() => draftOf(props.record));
  const [error, setError] = useState<unknown>();
  const editing = props.record !== undefined;
  const id = (f: string) => `ro-${f}`;
  const text = (k: 'operatorId' | 'name' | 'phone' | 'client' | 'userId') => (e: Event) =>
    setD((x) => ({ ...x, [k]: (e.target as HTMLInputElement).value }));
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      await (editing ? rosterPut(toOperator(d)) : rosterCreate(toOperator(d)));
      setError(undefined);
      if (!editing) setD(draftOf());
      props.onSaved();
    } catch (err) {
      setError(err);
    }
  };
  const field = (k: 'operatorId' | 'name' | 'phone' | 'client' | 'userId', words: string, ltr = false) =>
    html`<div><label for=${id(k)}>${words}</label>
      <input id=${id(k)} value=${d[k]} onInput=${text(k)} disabled=${editing && k === 'operatorId'}
        class=${ltr ? 'ltr' : undefined} dir=${ltr ? 'ltr' : 'auto'} type=${k === 'phone' ? 'tel' : 'text'}
        autocomplete="off" ...${invalid(k, error, id(k))} />
      <${FieldError} field=${k} error=${error} for=${id(k)} /></div>`;
  return html`<form class="grid" id="roster-form" onSubmit=${submit}
      aria-label=${editing ? t('rosterEdit', { name: d.name }) : t('rosterNew')}>
    <h3 class="wide">${editing ? t('rosterEdit', { name: props.record?.name ?? '' }) : t('rosterNew')}</h3>
    ${field('operatorId', t('rosterId'), true)}
    ${field('name', t('rosterName'))}
    ${field('phone', t('rosterPhone'), true)}
    ${field('client', t('rosterClient'), true)}
    <div class="wide"><${CodeChecks} name="ro-languages" legend=${t('rosterLanguages')} values=${d.languages}
      codes=${LANGUAGES} labelOf=${(c: string) => LANGUAGE_NAMES[c as 'en']}
      onChange=${(languages: string[]) => setD((x) => ({ ...x, languages }))} /></div>
    <div><${CodeSelect} id="ro-gender" label=${t('rosterGender')} value=${d.gender} codes=${GENDERS}
      labelOf=${(c: string) => label('gender', c)} onChange=${(g: string) => setD((x) => ({ ...x, gender: g as Draft['gender'] }))} /></div>
    ${field('userId', t('rosterUser'), true)}
    <div class="wide"><label class="check"><input type="checkbox" id="ro-on-duty" checked=${d.onDuty}
      onChange=${(e: Event) => setD((x) => ({ ...x, onDuty: (e.target as HTMLInputElement).checked }))} /> ${t('rosterOnDuty')}</label></div>
    <div class="wide"><${ErrorBox} error=${error} id="roster-error" fields=${['operatorId', 'name', 'phone', 'client', 'userId']} /></div>
    <div class="wide">
      <button type="submit" id="ro-save">${t('save')}</button>
      ${props.onCancel ? html` <button type="button" class="secondary" onClick=${props.onCancel}>${t('cancel')}</button>` : null}
    </div>
  </form>`;
}

/**
 * The hotline roster, for admins: who the IVR may put callers through to, in which languages, woman or man, and
 * who is on duty now (one button per operator, the change most often made).
 */
export function RosterEditor() {
  const data = useAsync(rosterList, []);
  const [editing, setEditing] = useState<RosterOperator | undefined>();
  const [error, setError] = useState<unknown>();
  const act = async (run: () => Promise<unknown>) => {
    try {
      await run();
      setError(undefined);
      data.reload();
    } catch (err) {
      setError(err);
    }
  };
  const items = data.data ?? [];
  return html`<div>
    <p class="muted">${t('rosterHint')}</p>
    ${data.loading && !data.data ? html`<${Loading} />` : null}
    <${ErrorBox} error=${error ?? data.error} id="roster-list-error" />
    ${data.data && items.length === 0 ? html`<p id="roster-empty">${t('rosterEmpty')}</p>` : null}
    ${
      items.length
        ? html`<div class="table-wrap"><table class="records" id="roster" aria-busy=${data.loading ? 'true' : 'false'}>
      <thead><tr>
        <th scope="col">${t('rosterName')}</th><th scope="col">${t('rosterLanguages')}</th>
        <th scope="col">${t('rosterGender')}</th><th scope="col">${t('rosterReach')}</th>
        <th scope="col">${t('rosterOnDuty')}</th><th scope="col">${t('rosterActions')}</th>
      </tr></thead>
      <tbody>${items.map(
        (o) => html`<tr data-operator=${o.operatorId} data-on-duty=${String(o.onDuty)}>
          <td data-label=${t('rosterName')}><strong dir="auto">${o.name}</strong><br /><small class="ltr muted">${o.operatorId}</small></td>
          <td data-label=${t('rosterLanguages')}>${o.languages.map((l) => LANGUAGE_NAMES[l as 'en']).join(RTL.has(getLang()) ? '، ' : ', ')}</td>
          <td data-label=${t('rosterGender')}>${label('gender', o.gender)}</td>
          <td data-label=${t('rosterReach')}>${o.phone ? html`<bdi dir="ltr">${o.phone}</bdi>` : null}${o.phone && o.client ? html`<br />` : null}${o.client ? html`<bdi dir="ltr">client:${o.client}</bdi>` : null}</td>
          <td data-label=${t('rosterOnDuty')}><span class=${o.onDuty ? 'tag on-duty' : 'tag'}>${o.onDuty ? t('rosterOnDuty') : t('rosterOffDuty')}</span><br />
            <button type="button" class="secondary duty" onClick=${() => act(() => rosterPut({ ...o, onDuty: !o.onDuty }))}>
              ${o.onDuty ? t('rosterTakeOffDuty', { name: o.name }) : t('rosterPutOnDuty', { name: o.name })}</button></td>
          <td data-label=${t('rosterActions')}>
            <button type="button" class="secondary" onClick=${() => setEditing(o)}>${t('rosterEdit', { name: o.name })}</button>
            <button type="button" class="secondary" onClick=${() => act(() => rosterDelete(o.operatorId))}>${t('rosterRemove', { name: o.name })}</button>
          </td>
        </tr>`,
      )}</tbody>
    </table></div>`
        : null
    }
    ${
      editing
        ? html`<${OperatorForm} key=${editing.operatorId} record=${editing} onSaved=${() => {
            setEditing(undefined);
            data.reload();
          }} onCancel=${() => setEditing(undefined)} />`
        : html`<${OperatorForm} key="new" onSaved=${data.reload} />`
    }
  </div>`;
}
