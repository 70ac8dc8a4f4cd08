import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from './api.ts';
import { html } from './html.ts';
import { formatPhone, t } from './i18n.ts';
import { en, type StringKey } from './strings/en.ts';

/**
 * Loads data for a view and reloads it on demand; the latest request wins. `loading` is true from the very render
 * in which the inputs change or a reload is asked for (the request itself starts only after that render): otherwise
 * that first render shows the old data as settled, and a control pressed then, or a test waiting on `aria-busy`,
 * meets data about to be replaced.
 */
export function useAsync<T>(load: () => Promise<T>, deps: unknown[]) {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  const inputs = [...deps, tick];
  const settledFor = useRef<unknown[] | undefined>(undefined);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true, error: undefined }));
    load().then(
      (data) => {
        if (!live) return;
        settledFor.current = inputs;
        setState({ data, loading: false });
      },
      (error: unknown) => {
        if (!live) return;
        settledFor.current = inputs;
        setState({ error, loading: false });
      },
    );
    return () => {
      live = false;
    };
  }, inputs);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  const settled = settledFor.current;
  const current =
    settled !== undefined &&
    settled.length === inputs.length &&
    settled.every((v, i) => Object.is(v, inputs[i]));
  return { ...state, loading: state.loading || !current, reload };
}

/** The string key that explains an API error code (`CASE.VERSION_CONFLICT` → `err_CASE_VERSION_CONFLICT`). */
export const errorKey = (code: string): StringKey | undefined => {
  const key = `err_${code.replace(/\W/g, '_')}`;
  return key in en ? (key as StringKey) : undefined;
};

/**
 * An error in words for the person using the console, in their language, from the API's stable code. A code the
 * console does not know yet is named, so it can be reported, but the sentence around it is still translated.
 */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) {
    const key = errorKey(error.code);
    if (key) return t(key);
    if (error.status === 403) return t('errorForbidden');
    if (error.status === 404) return t('errorNotFound');
    if (error.status >= 500) return t('err_INTERNAL');
    return t('errorUnknown', { code: error.code });
  }
  if (error instanceof TypeError) return t('errorNetwork');
  return t('errorGeneric', { message: error instanceof Error ? error.message : String(error) });
}

/**
 * Which form fields an error is about: the paths of a 400's details (`body.phone` → `phone`), and the field a
 * stable code always concerns.
 */
export function fieldErrors(error: unknown): Set<string> {
  const out = new Set<string>();
  if (!(error instanceof ApiError)) return out;
  const byCode: Record<string, string> = {
    'CASE.INVALID_PHONE': 'phone',
    'CASE.CALLBACK_NEEDS_PHONE': 'phone',
    'CASE.REASON_REQUIRED': 'reason',
    'CASE.OUTCOME_REQUIRED': 'outcome',
    'CASE.CONSENT_IN_FUTURE': 'consentAt',
  };
  const field = byCode[error.code];
  if (field) out.add(field);
  if (Array.isArray(error.details)) {
    for (const d of error.details as { path?: unknown }[]) {
      if (typeof d?.path === 'string') out.add(d.path.replace(/^body\./, '').split('.')[0] ?? '');
    }
  }
  return out;
}

/** The problems a configuration change would cause (ADMIN.CONFIG_CONFLICT), each in words. */
const problemsOf = (error: unknown): string[] => {
  if (!(error instanceof ApiError)) return [];
  const problems = (error.details as { problems?: { code?: unknown }[] } | undefined)?.problems ?? [];
  return problems.map((p) => {
    const key = typeof p.code === 'string' ? errorKey(p.code) : undefined;
    return key ? t(key) : String(p.code);
  });
};

/** Whether the error is told in full beside the form's own fields (so the box above would only repeat it). */
const shownBesideFields = (error: unknown, fields: readonly string[] | undefined): boolean => {
  if (!fields || !(error instanceof ApiError) || error.code === 'REQUEST.INVALID') return false;
  const concerned = fieldErrors(error);
  return concerned.size > 0 && [...concerned].every((f) => fields.includes(f));
};

export const ErrorBox = (props: { error: unknown; id?: string; fields?: readonly string[] }) =>
  props.error && !shownBesideFields(props.error, props.fields)
    ? html`<div class="alert" role="alert" id=${props.id} data-code=${props.error instanceof ApiError ? props.error.code : undefined}>${errorText(props.error)}
        ${problemsOf(props.error).length ? html`<ul>${[...new Set(problemsOf(props.error))].map((p) => html`<li>${p}</li>`)}</ul>` : null}</div>`
    : null;

/** The message under a field the API refused, tied to it with aria-describedby (`<id>-error`). */
export function FieldError(props: { field: string; error: unknown; for: string }) {
  if (!fieldErrors(props.error).has(props.field)) return null;
  const key = props.error instanceof ApiError ? errorKey(props.error.code) : undefined;
  return html`<p class="field-error" id=${`${props.for}-error`}>${key && props.error instanceof ApiError && props.error.code !== 'REQUEST.INVALID' ? t(key) : t('fieldInvalid')}</p>`;
}

/** The attributes of a field the API refused. */
export const invalid = (field: string, error: unknown, id: string) =>
  fieldErrors(error).has(field) ? { 'aria-invalid': 'true', 'aria-describedby': `${id}-error` } : {};

/** A phone number, grouped and kept left-to-right inside right-to-left text. */
export const Phone = (props: { value: string | undefined }) =>
  props.value ? html`<bdi class="phone-number" dir="ltr">${formatPhone(props.value)}</bdi>` : null;

export const Loading = () => html`<p class="muted" role="status">${t('loading')}</p>`;

/** A labelled select over codes, with the option labels looked up by key prefix. */
export function CodeSelect(props: {
  id: string;
  label: string;
  value: string;
  codes: readonly string[];
  labelOf: (code: string) => string;
  onChange: (value: string) => void;
  blank?: string;
  required?: boolean;
}) {
  return html`<label for=${props.id}>${props.label}</label>
    <select id=${props.id} value=${props.value} required=${props.required} onChange=${(e: Event) => props.onChange((e.target as HTMLSelectElement).value)}>
      ${props.blank === undefined ? null : html`<option value="">${props.blank}</option>`}
      ${props.codes.map((c) => html`<option value=${c} selected=${c === props.value}>${props.labelOf(c)}</option>`)}
    </select>`;
}

/** Check boxes over codes, for the lists a rule or a partner record holds. */
export function CodeChecks(props: {
  name: string;
  legend: string;
  values: readonly string[];
  codes: readonly string[];
  labelOf: (code: string) => string;
  onChange: (values: string[]) => void;
}) {
  const toggle = (code: string, on: boolean) =>
    props.onChange(on ? [...props.values, code] : props.values.filter((v) => v !== code));
  return html`<fieldset class="checks"><legend>${props.legend}</legend>
    ${props.codes.map(
      (
        c,
      ) => html`<label class="check"><input type="checkbox" name=${props.name} value=${c} checked=${props.values.includes(c)}
        onChange=${(e: Event) => toggle(c, (e.target as HTMLInputElement).checked)} /> ${props.labelOf(c)}</label>`,
    )}
  </fieldset>`;
}

export const labelKey = (prefix: string, code: string): StringKey => `${prefix}_${code}` as StringKey;

/** A random idempotency key for one logical submission. */
export const newKey = (): string =>
  typeof crypto.randomUUID === 'function'
    ? crypto.randomUUID()
    : Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
