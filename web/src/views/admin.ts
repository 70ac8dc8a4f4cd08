import { useState } from 'preact/hooks';
import {
  ADMIN_COLLECTIONS,
  type AdminCollection,
  type AuditEntry,
  adminCreate,
  adminDelete,
  adminGet,
  adminItems,
  adminPut,
  auditTrail,
  breakGlass,
  type ConfigWarning,
} from '../api.ts';
import {
  CATEGORIES,
  CHANNEL_TYPES,
  ESCALATION_LEVELS,
  FOCAL_POINT_KINDS,
  PARTNER_FIELDS,
  SECTORS,
  SENSITIVITIES,
  TYPES,
  URGENCIES,
} from '../codes.ts';
import { html } from '../html.ts';
import { formatDateTime, getLang, label, t, tn } from '../i18n.ts';
import { GOVERNORATES, placeName } from '../places.ts';
import type { StringKey } from '../strings/en.ts';
import { CodeChecks, CodeSelect, ErrorBox, FieldError, invalid, Loading, useAsync } from '../ui.ts';
import { CaseFacts, Timeline } from './case.ts';
import { RosterEditor } from './roster.ts';

/** The administration pages: the record collections, the audit trail and break-glass. */
export const ADMIN_TABS = [...ADMIN_COLLECTIONS, 'roster', 'audit', 'break-glass'] as const;
export type AdminTab = (typeof ADMIN_TABS)[number];

const TITLE: Record<AdminTab, StringKey> = {
  'focal-points': 'admin_focal_points',
  'routing-rules': 'admin_routing_rules',
  'sla-policies': 'admin_sla_policies',
  partners: 'admin_partners',
  calendar: 'admin_calendar',
  roster: 'admin_roster',
  audit: 'admin_audit',
  'break-glass': 'admin_break_glass',
};

type Rec = Record<string, unknown>;
const strs = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const HOUR = 3_600_000;

/** One text field of a form, with the API's complaint about it underneath. */
function Field(props: {
  id: string;
  field: string;
  label: string;
  value: string;
  error: unknown;
  onInput: (v: string) => void;
  type?: string;
  required?: boolean;
  ltr?: boolean;
  disabled?: boolean;
}) {
  return html`<div>
    <label for=${props.id}>${props.label}</label>
    <input id=${props.id} type=${props.type ?? 'text'} value=${props.value} required=${props.required} disabled=${props.disabled}
      class=${props.ltr ? 'ltr' : undefined} dir=${props.ltr ? 'ltr' : 'auto'}
      onInput=${(e: Event) => props.onInput((e.target as HTMLInputElement).value)} ...${invalid(props.field, props.error, props.id)} />
    <${FieldError} field=${props.field} error=${props.error} for=${props.id} />
  </div>`;
}

/** Saves a record: POST for a new one, PUT under its id for an existing one. */
async function save(collection: AdminCollection, isNew: boolean, id: string, record: Rec): Promise<unknown> {
  return isNew ? adminCreate(collection, record) : adminPut(collection, id, record);
}

/**
 * A record form's save: on submit, runs the write; keeps the API's complaint (shown beside each field) or, after a
 * success, what the write answered, and tells the list to reload.
 */
function useRecordSave<R>(onSaved: () => void) {
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState<{ answer: R } | undefined>();
  const submit = (write: () => Promise<R>) => async (e: Event) => {
    e.preventDefault();
    setSaved(undefined);
    try {
      const answer = await write();
      setError(undefined);
      setSaved({ answer });
      onSaved();
    } catch (err) {
      setError(err);
    }
  };
  return { error, saved, submit };
}

/** The foot of a record form: the API's complaint, "saved" (with anything else to say), and the button. */
function SaveRow(props: { id: string; isNew: boolean; error: unknown; saved: boolean; children?: unknown }) {
  return html`<div class="wide"><${ErrorBox} error=${props.error} />
      ${props.saved ? html`<p role="status" class="saved">${t('saved')}</p>${props.children}` : null}
      <button type="submit" id=${props.id}>${props.isNew ? t('create') : t('save')}</button></div>`;
}

function WarningList(props: { warnings: ConfigWarning[] }) {
  if (props.warnings.length === 0) return null;
  return html`<ul class="warnings">${props.warnings.map(
    (w) =>
      html`<li class="warning" data-code=${w.code}>${t(
        w.ruleId ? 'warnRuleNoMembers' : 'warnFocalPointNoMembers',
        {
          focalPoint: w.focalPointId,
          rule: w.ruleId ?? '',
        },
      )}</li>`,
  )}</ul>`;
}

// ---- focal points -------------------------------------------------------------------------------------------

interface FocalPointView {
  focalPoint: Rec;
  members: { userId: string; name: string }[] | null;
  routedBy: string[];
  warnings: ConfigWarning[];
}

function FocalPointForm(props: { record?: Rec; others: string[]; onSaved: () => void }) {
  const r = props.record ?? {};
  const channel = (r.channel ?? {}) as Rec;
  const isNew = props.record === undefined;
  const [f, setF] = useState({
    focalPointId: str(r.focalPointId),
    name: str(r.name),
    kind: str(r.kind) || 'general',
    restricted: r.restricted === true,
    channelType: str(channel.type) || 'email',
    address: str(channel.address),
    escalatesTo: str(r.escalatesTo),
    active: r.active !== false,
  });
  const saving = useRecordSave<unknown>(props.onSaved);
  const { error } = saving;
  const set = (k: keyof typeof f) => (v: string | boolean) => setF((x) => ({ ...x, [k]: v }));
  const submit = saving.submit(() =>
    save('focal-points', isNew, f.focalPointId, {
      focalPointId: f.focalPointId,
      name: f.name,
      kind: f.kind,
      restricted: f.restricted || f.kind === 'psea',
      channel: { type: f.channelType, address: f.address },
      ...(f.escalatesTo ? { escalatesTo: f.escalatesTo } : {}),
      // The language of its SMS short-code answers is set through the API; an edit here keeps it.
      ...(r.language ? { language: r.language } : {}),
      active: f.active,
    }),
  );
  const p = isNew ? 'fp-new' : `fp-${f.focalPointId}`;
  return html`<form onSubmit=${submit} class="grid record-form" id=${`${p}-form`}>
    <${Field} id=${`${p}-id`} field="focalPointId" label=${t('recordId')} value=${f.focalPointId} error=${error} onInput=${set('focalPointId')} required=${true} ltr=${true} disabled=${!isNew} />
    <${Field} id=${`${p}-name`} field="name" label=${t('recordName')} value=${f.name} error=${error} onInput=${set('name')} required=${true} />
    <div><${CodeSelect} id=${`${p}-kind`} label=${t('fpKind')} value=${f.kind} codes=${FOCAL_POINT_KINDS} labelOf=${(k: string) => label('fpKind', k)} onChange=${set('kind')} /></div>
    <div><${CodeSelect} id=${`${p}-channel`} label=${t('fpChannel')} value=${f.channelType} codes=${CHANNEL_TYPES} labelOf=${(k: string) => label('channelType', k)} onChange=${set('channelType')} /></div>
    <${Field} id=${`${p}-address`} field="channel" label=${t('fpAddress')} value=${f.address} error=${error} onInput=${set('address')} required=${true} ltr=${true} />
    <div><${CodeSelect} id=${`${p}-escalates`} label=${t('fpEscalatesTo')} value=${f.escalatesTo} codes=${props.others.filter((o) => o !== f.focalPointId)} labelOf=${(k: string) => k} onChange=${set('escalatesTo')} blank=${t('none')} /></div>
    <div class="wide"><label class="check"><input type="checkbox" id=${`${p}-restricted`} checked=${f.restricted || f.kind === 'psea'} disabled=${f.kind === 'psea'}
      onChange=${(e: Event) => set('restricted')((e.target as HTMLInputElement).checked)} /> ${t('fpRestricted')}</label>
    <label class="check"><input type="checkbox" id=${`${p}-active`} checked=${f.active} onChange=${(e: Event) => set('active')((e.target as HTMLInputElement).checked)} /> ${t('recordActive')}</label></div>
    <${SaveRow} id=${`${p}-save`} isNew=${isNew} error=${error} saved=${saving.saved !== undefined} />
  </form>`;
}

function FocalPoints() {
  const data = useAsync(() => adminGet('focal-points'), []);
  const items = adminItems(data.data) as unknown as FocalPointView[];
  const ids = items.map((i) => str(i.focalPoint.focalPointId));
  return html`<${RecordList}
    collection="focal-points" newId="new-focal-point" newLabel="newFocalPoint" load=${data} items=${items}
    columns=${['fpKind', 'fpMembers', 'fpRoutedBy']}
    idOf=${(i: FocalPointView) => str(i.focalPoint.focalPointId)}
    nameOf=${(i: FocalPointView) => str(i.focalPoint.name)}
    tags=${(i: FocalPointView) => [
      ...(i.focalPoint.restricted ? ['restrictedTag'] : []),
      ...(i.focalPoint.active === false ? ['inactive'] : []),
    ]}
    warned=${(i: FocalPointView) => i.warnings.length > 0}
    cells=${(i: FocalPointView) => [
      label('fpKind', str(i.focalPoint.kind)),
      i.members === null
        ? html`<span class="muted">${t('membersUnknown')}</span>`
        : i.members.length
          ? i.members.map((m) => m.name).join(', ')
          : html`<span class=${i.routedBy.length ? 'warning-text' : 'muted'}>${t('noMembers')}</span>`,
      html`${i.routedBy.join(', ') || html`<span class="muted">${t('none')}</span>`}<${WarningList} warnings=${i.warnings} />`,
    ]}
    form=${(i: FocalPointView | undefined) =>
      i
        ? html`<${FocalPointForm} key=${JSON.stringify(i.focalPoint)} record=${i.focalPoint} others=${ids} onSaved=${data.reload} />`
        : html`<${FocalPointForm} others=${ids} onSaved=${data.reload} />`}
  />`;
}

/**
 * A collection's records: a table with a row each (name, id and tags first, each cell labelled for the phone
 * layout), then a form to edit each record beside its delete button, then the form for a new one.
 */
function RecordList<T>(props: {
  collection: AdminCollection;
  newId: string;
  newLabel: StringKey;
  load: { data?: unknown; error?: unknown; loading: boolean; reload: () => void };
  items: readonly T[];
  columns: readonly StringKey[];
  idOf: (item: T) => string;
  nameOf: (item: T) => string;
  tags: (item: T) => readonly StringKey[];
  warned?: (item: T) => boolean;
  /** The cells after the first, one for each of `columns`. */
  cells: (item: T) => readonly unknown[];
  form: (item: T | undefined) => unknown;
}) {
  const [error, setError] = useState<unknown>();
  const { load, items } = props;
  return html`<div>
    ${load.loading && !load.data ? html`<${Loading} />` : null}
    <${ErrorBox} error=${load.error ?? error} />
    <div class="table-wrap"><table class="records" id=${props.collection}>
      <thead><tr><th scope="col">${t('recordName')}</th>${props.columns.map((c) => html`<th scope="col">${t(c)}</th>`)}</tr></thead>
      <tbody>${items.map((item) => {
        const id = props.idOf(item);
        const cells = props.cells(item);
        return html`<tr data-id=${id} class=${props.warned?.(item) ? 'has-warning' : undefined}>
          <td data-label=${t('recordName')}><strong>${props.nameOf(item)}</strong><br /><small class="ltr">${id}</small>${props
            .tags(item)
            .map(
              (tag) =>
                html` <span class=${tag === 'restrictedTag' ? 'tag restricted' : 'tag'}>${t(tag)}</span>`,
            )}</td>
          ${props.columns.map((c, k) => html`<td data-label=${t(c)}>${cells[k]}</td>`)}
        </tr>`;
      })}</tbody>
    </table></div>
    ${items.map(
      (
        item,
      ) => html`<details class="record"><summary>${t('editRecordNamed', { name: props.nameOf(item) })}</summary>
        ${props.form(item)}
        <${DeleteButton} collection=${props.collection} id=${props.idOf(item)} onDone=${load.reload} onError=${setError} />
      </details>`,
    )}
    <details class="record" id=${props.newId}><summary>${t(props.newLabel)}</summary>${props.form(undefined)}</details>
  </div>`;
}

function DeleteButton(props: {
  collection: AdminCollection;
  id: string;
  onDone: () => void;
  onError: (e: unknown) => void;
}) {
  return html`<button type="button" class="secondary" onClick=${async () => {
    if (!confirm(t('confirmDelete', { id: props.id }))) return;
    try {
      await adminDelete(props.collection, props.id);
      props.onDone();
    } catch (err) {
      props.onError(err);
    }
  }}>${t('deleteRecord')}</button>`;
}

// ---- routing rules ------------------------------------------------------------------------------------------

function RuleForm(props: { record?: Rec; focalPoints: string[]; onSaved: () => void }) {
  const r = props.record ?? {};
  const match = (r.match ?? {}) as Rec;
  const isNew = props.record === undefined;
  const [f, setF] = useState({
    ruleId: str(r.ruleId),
    name: str(r.name),
    priority: String(r.priority ?? 0),
    categories: strs(match.categories),
    governorates: strs(match.governorates),
    sensitivities: strs(match.sensitivities),
    programmes: strs(match.programmes).join(', '),
    focalPoints: strs(r.focalPoints),
    isDefault: r.isDefault === true,
    active: r.active !== false,
  });
  const saving = useRecordSave<{ warnings?: ConfigWarning[] }>(props.onSaved);
  const { error } = saving;
  const set = (k: keyof typeof f) => (v: unknown) => setF((x) => ({ ...x, [k]: v }));
  const lang = getLang();
  const submit = saving.submit(() => {
    const programmes = f.programmes
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const m: Rec = {};
    if (f.categories.length) m.categories = f.categories;
    if (f.governorates.length) m.governorates = f.governorates;
    if (f.sensitivities.length) m.sensitivities = f.sensitivities;
    if (programmes.length) m.programmes = programmes;
    if (match.districts) m.districts = match.districts;
    return save('routing-rules', isNew, f.ruleId, {
      ruleId: f.ruleId,
      ...(f.name ? { name: f.name } : {}),
      priority: Number(f.priority) || 0,
      match: f.isDefault ? {} : m,
      focalPoints: f.focalPoints,
      isDefault: f.isDefault,
      active: f.active,
    }) as Promise<{ warnings?: ConfigWarning[] }>;
  });
  const p = isNew ? 'rule-new' : `rule-${f.ruleId}`;
  return html`<form onSubmit=${submit} class="grid record-form" id=${`${p}-form`}>
    <${Field} id=${`${p}-id`} field="ruleId" label=${t('recordId')} value=${f.ruleId} error=${error} onInput=${set('ruleId')} required=${true} ltr=${true} disabled=${!isNew} />
    <${Field} id=${`${p}-name`} field="name" label=${t('recordName')} value=${f.name} error=${error} onInput=${set('name')} />
    <${Field} id=${`${p}-priority`} field="priority" label=${t('rulePriority')} value=${f.priority} error=${error} onInput=${set('priority')} type="number" />
    <div class="wide"><${CodeChecks} name=${`${p}-fp`} legend=${t('ruleFocalPoints')} values=${f.focalPoints} codes=${props.focalPoints} labelOf=${(x: string) => x} onChange=${set('focalPoints')} />
      <${FieldError} field="focalPoints" error=${error} for=${`${p}-fp`} /></div>
    <p class="wide muted">${t('ruleMatchHint')}</p>
    <div class="wide"><${CodeChecks} name=${`${p}-cat`} legend=${t('colCategory')} values=${f.categories} codes=${CATEGORIES} labelOf=${(x: string) => `${x} ${label('category', x)}`} onChange=${set('categories')} /></div>
    <div class="wide"><${CodeChecks} name=${`${p}-sens`} legend=${t('sensitivity')} values=${f.sensitivities} codes=${SENSITIVITIES} labelOf=${(x: string) => label('sensitivity', x)} onChange=${set('sensitivities')} /></div>
    <div class="wide"><${CodeChecks} name=${`${p}-gov`} legend=${t('colGovernorate')} values=${f.governorates} codes=${GOVERNORATES.map((g) => g.pcode)} labelOf=${(x: string) => placeName(x, lang)} onChange=${set('governorates')} /></div>
    <${Field} id=${`${p}-programmes`} field="match" label=${t('rulePrograms')} value=${f.programmes} error=${error} onInput=${set('programmes')} />
    <div class="wide"><label class="check"><input type="checkbox" id=${`${p}-default`} checked=${f.isDefault} onChange=${(e: Event) => set('isDefault')((e.target as HTMLInputElement).checked)} /> ${t('ruleDefault')}</label>
      <label class="check"><input type="checkbox" id=${`${p}-active`} checked=${f.active} onChange=${(e: Event) => set('active')((e.target as HTMLInputElement).checked)} /> ${t('recordActive')}</label></div>
    <${SaveRow} id=${`${p}-save`} isNew=${isNew} error=${error} saved=${saving.saved !== undefined}>
      <${WarningList} warnings=${saving.saved?.answer.warnings ?? []} />
    <//>
  </form>`;
}

function matchText(match: Rec, lang: ReturnType<typeof getLang>): string {
  const parts = [
    ...strs(match.categories).map((c) => label('category', c)),
    ...strs(match.sensitivities).map((s) => label('sensitivity', s)),
    ...strs(match.governorates).map((g) => placeName(g, lang)),
    ...strs(match.districts).map((d) => placeName(d, lang)),
    ...strs(match.programmes),
  ];
  return parts.join(', ') || t('matchEverything');
}

function RoutingRules() {
  const data = useAsync(() => Promise.all([adminGet('routing-rules'), adminGet('focal-points')]), []);
  const rules = adminItems(data.data?.[0]);
  const fps = (adminItems(data.data?.[1]) as unknown as FocalPointView[]).map((i) =>
    str(i.focalPoint.focalPointId),
  );
  const lang = getLang();
  const warningsOf = (r: Rec) => (r.warnings as ConfigWarning[] | undefined) ?? [];
  return html`<${RecordList}
    collection="routing-rules" newId="new-rule" newLabel="newRule" load=${data} items=${rules}
    columns=${['ruleMatch', 'ruleFocalPoints', 'rulePriority']}
    idOf=${(r: Rec) => str(r.ruleId)}
    nameOf=${(r: Rec) => str(r.name) || str(r.ruleId)}
    tags=${(r: Rec) => [...(r.isDefault ? ['ruleDefaultTag'] : []), ...(r.active === false ? ['inactive'] : [])]}
    warned=${(r: Rec) => warningsOf(r).length > 0}
    cells=${(r: Rec) => [
      r.isDefault ? t('matchRest') : matchText((r.match ?? {}) as Rec, lang),
      html`${strs(r.focalPoints).join(', ')}<${WarningList} warnings=${warningsOf(r)} />`,
      String(r.priority ?? 0),
    ]}
    form=${(r: Rec | undefined) =>
      r
        ? html`<${RuleForm} key=${JSON.stringify(r)} record=${r} focalPoints=${fps} onSaved=${data.reload} />`
        : html`<${RuleForm} focalPoints=${fps} onSaved=${data.reload} />`}
  />`;
}

// ---- SLA policies -------------------------------------------------------------------------------------------

type Span = { amount: string; unit: 'hours' | 'workingDays' };
const spanOf = (target: unknown): Span => {
  const tg = (target ?? {}) as { ms?: number; workingDays?: number };
  return tg.workingDays !== undefined
    ? { amount: String(tg.workingDays), unit: 'workingDays' }
    : { amount: String((tg.ms ?? 0) / HOUR), unit: 'hours' };
};
const targetOf = (s: Span) =>
  s.unit === 'workingDays'
    ? { workingDays: Math.round(Number(s.amount) || 0) }
    : { ms: Math.round((Number(s.amount) || 0) * HOUR) };

function SpanInput(props: {
  id: string;
  label: string;
  span: Span;
  working: boolean;
  onChange: (s: Span) => void;
}) {
  return html`<div class="span-input">
    <label for=${props.id}>${props.label}</label>
    <div class="inline">
      <input id=${props.id} type="number" min="0" step="any" value=${props.span.amount}
        onInput=${(e: Event) => props.onChange({ ...props.span, amount: (e.target as HTMLInputElement).value })} />
      <select id=${`${props.id}-unit`} aria-label=${t('unit')} value=${props.span.unit}
        onChange=${(e: Event) => props.onChange({ ...props.span, unit: (e.target as HTMLSelectElement).value as Span['unit'] })}>
        <option value="hours" selected=${props.span.unit === 'hours'}>${t('unit_hours')}</option>
        ${props.working ? html`<option value="workingDays" selected=${props.span.unit === 'workingDays'}>${t('unit_workingDays')}</option>` : null}
      </select>
    </div>
  </div>`;
}

/**
 * Where a new policy's escalation starts: the focal point at once, then a step up each working day, as the default
 * complaint policy does (all three at zero would tell everyone at the same moment).
 */
const NEW_POLICY_ESCALATION: Record<string, Rec> = {
  focal_point: { ms: 0 },
  supervisor: { workingDays: 1 },
  programme_manager: { workingDays: 2 },
};

function SlaPolicyForm(props: { record?: Rec; onSaved: () => void }) {
  const r = props.record ?? {};
  const match = (r.match ?? {}) as Rec;
  const isNew = props.record === undefined;
  const steps = (Array.isArray(r.escalation) ? r.escalation : []) as { level: string; after: unknown }[];
  const [f, setF] = useState({
    id: str(r.id),
    name: str(r.name),
    description: str(r.description),
    clock: str(r.clock) || 'working',
    sensitivities: strs(match.sensitivities),
    urgencies: strs(match.urgencies),
    types: strs(match.types),
    categories: strs(match.categories),
    acknowledge: spanOf(r.acknowledgeWithin ?? { workingDays: 2 }),
    resolve: spanOf(r.resolveWithin ?? { workingDays: 7 }),
    warnHours: String(Number(r.warnBeforeMs ?? 4 * HOUR) / HOUR),
    escalation: Object.fromEntries(
      ESCALATION_LEVELS.map((l) => {
        const s = steps.find((x) => x.level === l);
        return [l, { on: s !== undefined || isNew, span: spanOf(s?.after ?? NEW_POLICY_ESCALATION[l]) }];
      }),
    ) as Record<string, { on: boolean; span: Span }>,
    priority: String(r.priority ?? 0),
    active: r.active !== false,
  });
  const saving = useRecordSave<unknown>(props.onSaved);
  const { error } = saving;
  const set = (k: keyof typeof f) => (v: unknown) => setF((x) => ({ ...x, [k]: v }));
  const working = f.clock === 'working';
  const submit = saving.submit(() => {
    const m: Rec = {};
    for (const k of ['sensitivities', 'urgencies', 'types', 'categories'] as const)
      if (f[k].length) m[k] = f[k];
    return save('sla-policies', isNew, f.id, {
      id: f.id,
      name: f.name,
      ...(f.description ? { description: f.description } : {}),
      match: m,
      clock: f.clock,
      acknowledgeWithin: targetOf(f.acknowledge),
      resolveWithin: targetOf(f.resolve),
      warnBeforeMs: Math.round((Number(f.warnHours) || 0) * HOUR),
      escalation: ESCALATION_LEVELS.filter((l) => f.escalation[l]?.on).map((l) => ({
        level: l,
        after: targetOf(f.escalation[l]?.span ?? { amount: '0', unit: 'hours' }),
      })),
      priority: Number(f.priority) || 0,
      active: f.active,
    });
  });
  const p = isNew ? 'sla-new' : `sla-${f.id}`;
  return html`<form onSubmit=${submit} class="grid record-form" id=${`${p}-form`}>
    <${Field} id=${`${p}-id`} field="id" label=${t('recordId')} value=${f.id} error=${error} onInput=${set('id')} required=${true} ltr=${true} disabled=${!isNew} />
    <${Field} id=${`${p}-name`} field="name" label=${t('recordName')} value=${f.name} error=${error} onInput=${set('name')} required=${true} />
    <div class="wide"><${Field} id=${`${p}-description`} field="description" label=${t('recordDescription')} value=${f.description} error=${error} onInput=${set('description')} /></div>
    <div><${CodeSelect} id=${`${p}-clock`} label=${t('slaClockKind')} value=${f.clock} codes=${['working', '24x7']} labelOf=${(c: string) => label('clock', c)} onChange=${set('clock')} /></div>
    <${SpanInput} id=${`${p}-ack`} label=${t('slaAcknowledgeWithin')} span=${f.acknowledge} working=${working} onChange=${set('acknowledge')} />
    <${SpanInput} id=${`${p}-resolve`} label=${t('slaResolveWithin')} span=${f.resolve} working=${working} onChange=${set('resolve')} />
    <${Field} id=${`${p}-warn`} field="warnBeforeMs" label=${t('slaWarnHours')} value=${f.warnHours} error=${error} onInput=${set('warnHours')} type="number" />
    <p class="wide muted">${t('slaMatchHint')}</p>
    <div class="wide"><${CodeChecks} name=${`${p}-sens`} legend=${t('sensitivity')} values=${f.sensitivities} codes=${SENSITIVITIES} labelOf=${(x: string) => label('sensitivity', x)} onChange=${set('sensitivities')} /></div>
    <div class="wide"><${CodeChecks} name=${`${p}-urg`} legend=${t('colPriority')} values=${f.urgencies} codes=${URGENCIES} labelOf=${(x: string) => label('urgency', x)} onChange=${set('urgencies')} /></div>
    <div class="wide"><${CodeChecks} name=${`${p}-types`} legend=${t('colType')} values=${f.types} codes=${TYPES} labelOf=${(x: string) => label('type', x)} onChange=${set('types')} /></div>
    <div class="wide"><${CodeChecks} name=${`${p}-cat`} legend=${t('colCategory')} values=${f.categories} codes=${CATEGORIES} labelOf=${(x: string) => `${x} ${label('category', x)}`} onChange=${set('categories')} /></div>
    <fieldset class="wide"><legend>${t('slaEscalation')}</legend>
      ${ESCALATION_LEVELS.map((l) => {
        const step = f.escalation[l] ?? { on: false, span: { amount: '0', unit: 'hours' as const } };
        const put = (next: { on: boolean; span: Span }) => set('escalation')({ ...f.escalation, [l]: next });
        return html`<div class="escalation-step">
          <label class="check"><input type="checkbox" id=${`${p}-esc-${l}`} checked=${step.on} onChange=${(e: Event) => put({ ...step, on: (e.target as HTMLInputElement).checked })} /> ${label('level', l)}</label>
          ${step.on ? html`<${SpanInput} id=${`${p}-esc-${l}-after`} label=${t('slaEscalateAfter')} span=${step.span} working=${working} onChange=${(s: Span) => put({ ...step, span: s })} />` : null}
        </div>`;
      })}
    </fieldset>
    <${Field} id=${`${p}-priority`} field="priority" label=${t('rulePriority')} value=${f.priority} error=${error} onInput=${set('priority')} type="number" />
    <div class="wide"><label class="check"><input type="checkbox" id=${`${p}-active`} checked=${f.active} onChange=${(e: Event) => set('active')((e.target as HTMLInputElement).checked)} /> ${t('recordActive')}</label></div>
    <${SaveRow} id=${`${p}-save`} isNew=${isNew} error=${error} saved=${saving.saved !== undefined} />
  </form>`;
}

const spanText = (target: unknown): string => {
  const s = spanOf(target);
  return s.unit === 'workingDays'
    ? tn('workingDaysCount', Number(s.amount))
    : tn('hoursCount', Number(s.amount));
};

function SlaPolicies() {
  const data = useAsync(() => adminGet('sla-policies'), []);
  return html`<${RecordList}
    collection="sla-policies" newId="new-sla-policy" newLabel="newSlaPolicy" load=${data} items=${adminItems(data.data)}
    columns=${['slaClockKind', 'slaAcknowledgeWithin', 'slaResolveWithin']}
    idOf=${(r: Rec) => str(r.id)}
    nameOf=${(r: Rec) => str(r.name)}
    tags=${(r: Rec) => (r.active === false ? ['inactive'] : [])}
    cells=${(r: Rec) => [label('clock', str(r.clock)), spanText(r.acknowledgeWithin), spanText(r.resolveWithin)]}
    form=${(r: Rec | undefined) =>
      r
        ? html`<${SlaPolicyForm} key=${JSON.stringify(r)} record=${r} onSaved=${data.reload} />`
        : html`<${SlaPolicyForm} onSaved=${data.reload} />`}
  />`;
}

// ---- partners -----------------------------------------------------------------------------------------------

function PartnerForm(props: { record?: Rec; onSaved: () => void }) {
  const r = props.record ?? {};
  const contact = (r.contact ?? {}) as Rec;
  const isNew = props.record === undefined;
  const [f, setF] = useState({
    partnerId: str(r.partnerId),
    name: str(r.name),
    person: str(contact.person),
    email: str(contact.email),
    phone: str(contact.phone),
    receives: strs(r.receives).length
      ? strs(r.receives)
      : ['type', 'category', 'sector', 'urgency', 'governorate'],
    sectors: strs(r.sectors),
    active: r.active !== false,
  });
  const saving = useRecordSave<unknown>(props.onSaved);
  const { error } = saving;
  const set = (k: keyof typeof f) => (v: unknown) => setF((x) => ({ ...x, [k]: v }));
  const submit = saving.submit(() =>
    save('partners', isNew, f.partnerId, {
      partnerId: f.partnerId,
      name: f.name,
      contact: {
        ...(f.person.trim() ? { person: f.person.trim() } : {}),
        ...(f.email.trim() ? { email: f.email.trim() } : {}),
        ...(f.phone.trim() ? { phone: f.phone.replace(/\s+/g, '') } : {}),
      },
      receives: f.receives,
      ...(f.sectors.length ? { sectors: f.sectors } : {}),
      active: f.active,
    }),
  );
  const p = isNew ? 'partner-new' : `partner-${f.partnerId}`;
  return html`<form onSubmit=${submit} class="grid record-form" id=${`${p}-form`}>
    <${Field} id=${`${p}-id`} field="partnerId" label=${t('recordId')} value=${f.partnerId} error=${error} onInput=${set('partnerId')} required=${true} ltr=${true} disabled=${!isNew} />
    <${Field} id=${`${p}-name`} field="name" label=${t('recordName')} value=${f.name} error=${error} onInput=${set('name')} required=${true} />
    <${Field} id=${`${p}-person`} field="contact" label=${t('partnerPerson')} value=${f.person} error=${error} onInput=${set('person')} />
    <${Field} id=${`${p}-email`} field="contact" label=${t('partnerEmail')} value=${f.email} error=${error} onInput=${set('email')} type="email" ltr=${true} />
    <${Field} id=${`${p}-phone`} field="contact" label=${t('partnerPhone')} value=${f.phone} error=${error} onInput=${set('phone')} type="tel" ltr=${true} />
    <div class="wide"><${CodeChecks} name=${`${p}-receives`} legend=${t('partnerReceivesLegend')} values=${f.receives} codes=${PARTNER_FIELDS} labelOf=${(x: string) => t(`field_${x}` as StringKey)} onChange=${set('receives')} />
      <p class="muted">${t('partnerReceivesHint')}</p></div>
    <div class="wide"><${CodeChecks} name=${`${p}-sectors`} legend=${t('partnerSectors')} values=${f.sectors} codes=${SECTORS} labelOf=${(x: string) => label('sector', x)} onChange=${set('sectors')} /></div>
    <div class="wide"><label class="check"><input type="checkbox" id=${`${p}-active`} checked=${f.active} onChange=${(e: Event) => set('active')((e.target as HTMLInputElement).checked)} /> ${t('partnerActive')}</label></div>
    <${SaveRow} id=${`${p}-save`} isNew=${isNew} error=${error} saved=${saving.saved !== undefined} />
  </form>`;
}

function Partners() {
  const data = useAsync(() => adminGet('partners'), []);
  return html`<${RecordList}
    collection="partners" newId="new-partner" newLabel="newPartner" load=${data} items=${adminItems(data.data)}
    columns=${['partnerContact', 'partnerReceivesLegend']}
    idOf=${(r: Rec) => str(r.partnerId)}
    nameOf=${(r: Rec) => str(r.name)}
    tags=${(r: Rec) => (r.active === false ? ['inactive'] : [])}
    cells=${(r: Rec) => {
      const c = (r.contact ?? {}) as Rec;
      return [
        html`${[str(c.person), str(c.email)].filter(Boolean).join(' · ')} ${c.phone ? html`<bdi dir="ltr">${str(c.phone)}</bdi>` : null}`,
        strs(r.receives)
          .map((x) => t(`field_${x}` as StringKey))
          .join(', '),
      ];
    }}
    form=${(r: Rec | undefined) =>
      r
        ? html`<${PartnerForm} key=${JSON.stringify(r)} record=${r} onSaved=${data.reload} />`
        : html`<${PartnerForm} onSaved=${data.reload} />`}
  />`;
}

// ---- calendar (one record, edited as JSON) ------------------------------------------------------------------

function CalendarEditor() {
  const data = useAsync(() => adminGet('calendar'), []);
  const [text, setText] = useState<string | undefined>();
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState(false);
  const value = text ?? (data.data ? JSON.stringify(data.data, null, 2) : '');
  const submit = async (e: Event) => {
    e.preventDefault();
    setSaved(false);
    let record: unknown;
    try {
      record = JSON.parse(value);
    } catch {
      setError(new Error(t('invalidJson')));
      return;
    }
    try {
      await adminPut('calendar', undefined, record);
      setError(undefined);
      setSaved(true);
      data.reload();
    } catch (err) {
      setError(err);
    }
  };
  return html`<form onSubmit=${submit}>
    ${data.loading && !data.data ? html`<${Loading} />` : null}
    <p class="muted">${t('calendarHint')}</p>
    <label for="calendar-json">${t('editRecord')}</label>
    <textarea id="calendar-json" class="json ltr" dir="ltr" rows="16" spellcheck="false" value=${value}
      onInput=${(e: Event) => setText((e.target as HTMLTextAreaElement).value)}></textarea>
    <${ErrorBox} error=${error ?? data.error} />
    ${saved ? html`<p role="status" class="saved">${t('saved')}</p>` : null}
    <button type="submit">${t('save')}</button>
  </form>`;
}

// ---- audit trail --------------------------------------------------------------------------------------------

function AuditTrail() {
  const today = new Date(Date.now() + 3 * HOUR).toISOString().slice(0, 10);
  const [draft, setDraft] = useState({ caseId: '', userId: '', date: today });
  const [query, setQuery] = useState(draft);
  const [pages, setPages] = useState<AuditEntry[][]>([]);
  const [cursor, setCursor] = useState<string | undefined>();
  const [error, setError] = useState<unknown>();
  const q = () => ({
    ...(query.caseId.trim() ? { caseId: query.caseId.trim().toUpperCase() } : {}),
    ...(query.userId.trim() ? { userId: query.userId.trim() } : {}),
    ...(query.date && !query.caseId.trim() && !query.userId.trim() ? { date: query.date } : {}),
    limit: 50,
  });
  const first = useAsync(async () => {
    const page = await auditTrail(q());
    setPages([page.items]);
    setCursor(page.cursor);
    return page;
  }, [JSON.stringify(query)]);
  const more = async () => {
    try {
      const page = await auditTrail({ ...q(), cursor });
      setPages((p) => [...p, page.items]);
      setCursor(page.cursor);
    } catch (err) {
      setError(err);
    }
  };
  const items = pages.flat();
  return html`<div>
    <p class="muted">${t('auditHint')}</p>
    <form class="filters grid" id="audit-filters" onSubmit=${(e: Event) => {
      e.preventDefault();
      setQuery(draft);
    }}>
      <div><label for="au-case">${t('auditCase')}</label><input id="au-case" class="ltr" dir="ltr" value=${draft.caseId} onInput=${(e: Event) => setDraft((d) => ({ ...d, caseId: (e.target as HTMLInputElement).value }))} /></div>
      <div><label for="au-user">${t('auditUser')}</label><input id="au-user" class="ltr" dir="ltr" value=${draft.userId} onInput=${(e: Event) => setDraft((d) => ({ ...d, userId: (e.target as HTMLInputElement).value }))} /></div>
      <div><label for="au-date">${t('auditDay')}</label><input id="au-date" type="date" value=${draft.date} onInput=${(e: Event) => setDraft((d) => ({ ...d, date: (e.target as HTMLInputElement).value }))} /></div>
      <div class="wide"><button type="submit" id="au-apply">${t('apply')}</button></div>
    </form>
    <${ErrorBox} error=${first.error ?? error} />
    ${first.loading && !items.length ? html`<${Loading} />` : null}
    ${first.data ? html`<p class="muted" role="status" id="audit-count">${tn('auditCount', items.length)}</p>` : null}
    <div class="table-wrap"><table class="records" id="audit">
      <thead><tr><th scope="col">${t('auditWhen')}</th><th scope="col">${t('auditWho')}</th><th scope="col">${t('auditWhat')}</th><th scope="col">${t('auditCases')}</th><th scope="col">${t('auditWhy')}</th></tr></thead>
      <tbody>${items.map(
        (e) => html`<tr data-action=${e.action}>
          <td data-label=${t('auditWhen')}><time datetime=${e.at}>${formatDateTime(e.at)}</time></td>
          <td data-label=${t('auditWho')}><span class="ltr">${e.who.userId}</span><br /><small>${e.who.roles.map((r) => label('role', r)).join(', ')}</small></td>
          <td data-label=${t('auditWhat')}>${label('audit', e.action.replace('.', '_'))}<br /><small class="ltr muted">${e.via}</small></td>
          <td data-label=${t('auditCases')}><bdi dir="ltr">${e.caseIds.slice(0, 6).join(', ')}${e.caseIds.length > 6 ? ` +${e.caseIds.length - 6}` : ''}</bdi></td>
          <td data-label=${t('auditWhy')}><div dir="auto">${e.why === 'routine' ? t('auditRoutine') : e.why}</div></td>
        </tr>`,
      )}</tbody>
    </table></div>
    ${cursor ? html`<button type="button" id="audit-more" onClick=${more}>${t('loadMore')}</button>` : null}
  </div>`;
}

// ---- break-glass --------------------------------------------------------------------------------------------

function BreakGlass() {
  const [reference, setReference] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>();
  const [opened, setOpened] = useState<Awaited<ReturnType<typeof breakGlass>> | undefined>();
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    try {
      const id = reference.trim().toUpperCase();
      setOpened(
        await breakGlass(
          /^[A-Z0-9]{4}[A-Z0-9]{4}$/.test(id) ? `${id.slice(0, 4)}-${id.slice(4)}` : id,
          reason.trim(),
        ),
      );
    } catch (err) {
      setError(err);
    }
  };
  return html`<div>
    <p class="alert" id="break-glass-warning">${t('breakGlassWarning')}</p>
    <form onSubmit=${submit} id="break-glass-form">
      <label for="bg-reference">${t('colReference')}</label>
      <input id="bg-reference" class="ltr" dir="ltr" required value=${reference} onInput=${(e: Event) => setReference((e.target as HTMLInputElement).value)} />
      <label for="bg-reason">${t('breakGlassReason')}</label>
      <textarea id="bg-reason" rows="3" dir="auto" required minlength="20" value=${reason}
        onInput=${(e: Event) => setReason((e.target as HTMLTextAreaElement).value)} ...${invalid('reason', error, 'bg-reason')}></textarea>
      <p class="muted">${tn('breakGlassLength', Math.max(0, 20 - reason.trim().length))}</p>
      <${FieldError} field="reason" error=${error} for="bg-reason" />
      <${ErrorBox} error=${error} />
      <button type="submit" id="bg-open">${t('breakGlassOpen')}</button>
    </form>
    ${
      opened
        ? html`<article class="case" id="break-glass-case">
          <h2>${t('caseTitle', { reference: '' })}<span class="ltr" id="bg-case-reference">${opened.case.reference}</span></h2>
          <p class="notice">${t('breakGlassOpened')}</p>
          <${CaseFacts} c=${opened.case} focalPoints=${opened.focalPoints} />
          <${Timeline} events=${opened.timeline} focalPoints=${opened.focalPoints} />
        </article>`
        : null
    }
  </div>`;
}

export function AdminView(props: { tab: AdminTab }) {
  const body: Record<AdminTab, () => unknown> = {
    'focal-points': () => html`<${FocalPoints} />`,
    'routing-rules': () => html`<${RoutingRules} />`,
    'sla-policies': () => html`<${SlaPolicies} />`,
    partners: () => html`<${Partners} />`,
    calendar: () => html`<${CalendarEditor} />`,
    roster: () => html`<${RosterEditor} />`,
    audit: () => html`<${AuditTrail} />`,
    'break-glass': () => html`<${BreakGlass} />`,
  };
  return html`<section>
    <h1>${t('adminTitle')}</h1>
    <nav class="tabs" aria-label=${t('adminTitle')}>
      ${ADMIN_TABS.map(
        (c) =>
          html`<a href=${`#/admin/${c}`} aria-current=${c === props.tab ? 'page' : undefined}>${t(TITLE[c])}</a>`,
      )}
    </nav>
    <h2>${t(TITLE[props.tab])}</h2>
    ${body[props.tab]()}
  </section>`;
}
