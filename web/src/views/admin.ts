import { useState } from 'preact/hooks';
import {
  ADMIN_COLLECTIONS,
  type AdminCollection,
  adminDelete,
  adminGet,
  adminItems,
  adminPut,
} from '../api.ts';
import { html } from '../html.ts';
import { t } from '../i18n.ts';
import type { StringKey } from '../strings/en.ts';
import { ErrorBox, Loading, useAsync } from '../ui.ts';

const TITLE: Record<AdminCollection, StringKey> = {
  'focal-points': 'admin_focal_points',
  'routing-rules': 'admin_routing_rules',
  'sla-policies': 'admin_sla_policies',
  calendar: 'admin_calendar',
};

const recordId = (r: Record<string, unknown>): string | undefined => {
  for (const k of ['id', 'focalPointId', 'ruleId', 'policyId'])
    if (typeof r[k] === 'string') return r[k] as string;
  return undefined;
};

/** One record as editable JSON: the admin API validates it with the same zod schemas the platform uses. */
function RecordEditor(props: {
  collection: AdminCollection;
  record?: Record<string, unknown>;
  onSaved: () => void;
}) {
  const [text, setText] = useState(JSON.stringify(props.record ?? {}, null, 2));
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState(false);
  const save = async (e: Event) => {
    e.preventDefault();
    setSaved(false);
    let value: Record<string, unknown>;
    try {
      value = JSON.parse(text) as Record<string, unknown>;
    } catch {
      setError(new Error(t('invalidJson')));
      return;
    }
    try {
      await adminPut(props.collection, props.collection === 'calendar' ? undefined : recordId(value), value);
      setError(undefined);
      setSaved(true);
      props.onSaved();
    } catch (err) {
      setError(err);
    }
  };
  const id = recordId(props.record ?? {});
  return html`<form onSubmit=${save}>
    <label for=${`json-${id ?? 'new'}`}>${t('editRecord')}</label>
    <textarea id=${`json-${id ?? 'new'}`} class="json ltr" dir="ltr" rows="12" spellcheck="false" value=${text}
      onInput=${(e: Event) => setText((e.target as HTMLTextAreaElement).value)}></textarea>
    <${ErrorBox} error=${error} />
    ${saved ? html`<p role="status">${t('saved')}</p>` : null}
    <button type="submit">${t('save')}</button>
    ${
      id && props.collection !== 'calendar'
        ? html` <button type="button" class="secondary" onClick=${async () => {
            try {
              await adminDelete(props.collection, id);
              props.onSaved();
            } catch (err) {
              setError(err);
            }
          }}>${t('deleteRecord')}</button>`
        : null
    }
  </form>`;
}

export function AdminView(props: { collection: AdminCollection }) {
  const data = useAsync(() => adminGet(props.collection), [props.collection]);
  const items = data.data === undefined ? [] : props.collection === 'calendar' ? [] : adminItems(data.data);
  return html`<section>
    <h1>${t('adminTitle')}</h1>
    <nav class="tabs" aria-label=${t('adminTitle')}>
      ${ADMIN_COLLECTIONS.map(
        (c) =>
          html`<a href=${`#/admin/${c}`} aria-current=${c === props.collection ? 'page' : undefined}>${t(TITLE[c])}</a>`,
      )}
    </nav>
    <h2>${t(TITLE[props.collection])}</h2>
    ${data.loading ? html`<${Loading} />` : null}
    <${ErrorBox} error=${data.error} />
    ${
      data.data !== undefined && props.collection === 'calendar'
        ? html`<${RecordEditor} key=${JSON.stringify(data.data)} collection="calendar"
            record=${((data.data as { calendar?: unknown }).calendar ?? data.data) as Record<string, unknown>} onSaved=${data.reload} />`
        : null
    }
    ${items.map(
      (r) => html`<details class="record">
        <summary><span class="ltr">${recordId(r) ?? '?'}</span> ${typeof r.name === 'string' ? r.name : ''}</summary>
        <${RecordEditor} key=${JSON.stringify(r)} collection=${props.collection} record=${r} onSaved=${data.reload} />
      </details>`,
    )}
    ${
      props.collection !== 'calendar' && data.data !== undefined
        ? html`<details class="record"><summary>${t('newRecord')}</summary>
            <${RecordEditor} collection=${props.collection} onSaved=${data.reload} /></details>`
        : null
    }
  </section>`;
}
