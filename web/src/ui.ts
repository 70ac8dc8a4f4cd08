import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError } from './api.ts';
import { html } from './html.ts';
import { t } from './i18n.ts';
import type { StringKey } from './strings/en.ts';

/** Loads data for a view and reloads it on demand; the latest request wins. */
export function useAsync<T>(load: () => Promise<T>, deps: unknown[]) {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true, error: undefined }));
    load().then(
      (data) => live && setState({ data, loading: false }),
      (error: unknown) => live && setState({ error, loading: false }),
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { ...state, reload };
}

/** An error in words for the person using the console. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 403) return t('errorForbidden');
    if (error.status === 404) return t('errorNotFound');
    if (error.code === 'CASE.VERSION_CONFLICT') return t('errorConflict');
    return t('errorGeneric', { message: `${error.code}: ${error.message}` });
  }
  return t('errorGeneric', { message: error instanceof Error ? error.message : String(error) });
}

export const ErrorBox = (props: { error: unknown }) =>
  props.error ? html`<div class="alert" role="alert">${errorText(props.error)}</div>` : null;

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
}) {
  return html`<label for=${props.id}>${props.label}</label>
    <select id=${props.id} value=${props.value} onChange=${(e: Event) => props.onChange((e.target as HTMLSelectElement).value)}>
      ${props.blank === undefined ? null : html`<option value="">${props.blank}</option>`}
      ${props.codes.map((c) => html`<option value=${c}>${props.labelOf(c)}</option>`)}
    </select>`;
}

export const labelKey = (prefix: string, code: string): StringKey => `${prefix}_${code}` as StringKey;

/** A random idempotency key for one logical submission. */
export const newKey = (): string =>
  typeof crypto.randomUUID === 'function'
    ? crypto.randomUUID()
    : Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
