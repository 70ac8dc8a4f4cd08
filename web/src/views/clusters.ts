import { useState } from 'preact/hooks';
import {
  type ClusterResolution,
  type ClusterSummary,
  getCluster,
  listClusters,
  OUTCOMES,
  resolveCluster,
} from '../api.ts';
import type { Session } from '../auth.ts';
import { html } from '../html.ts';
import {
  formatDateTime,
  formatNumber,
  getLang,
  LANGUAGE_NAMES,
  LANGUAGES,
  type Lang,
  label,
  t,
  tn,
} from '../i18n.ts';
import { placeName } from '../places.ts';
import { CodeSelect, ErrorBox, Loading, useAsync } from '../ui.ts';

const CASE_READERS = ['operator', 'officer', 'psea'];
const WRITERS = ['officer', 'psea'];
const OPEN = ['new', 'acknowledged', 'in_progress', 'referred', 'reopened'];

/** A cluster's place: its district with the governorate, or the governorate, in the console's language. */
export function clusterPlace(c: Pick<ClusterSummary, 'district' | 'governorate'>): string {
  const lang = getLang();
  if (c.district && c.governorate)
    return `${placeName(c.district, lang)} · ${placeName(c.governorate, lang)}`;
  return placeName(c.district ?? c.governorate ?? '', lang) || t('none');
}

/** The open clusters as a table; the size always shows its n. Rows open the cluster for those who read cases. */
export function ClusterTable(props: { clusters: ClusterSummary[]; session: Session; id: string }) {
  const canOpen = props.session.roles.some((r) => CASE_READERS.includes(r));
  const heads = [t('filterCategory'), t('clusterPlace'), t('clusterSize'), t('clusterNewest')];
  if (props.clusters.length === 0) return html`<p id=${`${props.id}-none`}>${t('clustersNone')}</p>`;
  return html`<div class="table-wrap"><table class="report-table" id=${props.id} data-report="clusters">
    <caption class="visually-hidden">${t('clustersTitle')}</caption>
    <thead><tr>${heads.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead>
    <tbody>${props.clusters.map(
      (c) => html`<tr data-cluster=${c.clusterId}>
        <th scope="row">${
          canOpen
            ? html`<a href=${`#/clusters/${encodeURIComponent(c.clusterId)}`}>${label('category', c.category)}</a>`
            : label('category', c.category)
        }</th>
        <td data-label=${heads[1]}>${clusterPlace(c)}</td>
        <td data-label=${heads[2]} data-size=${c.size}>${t('dashN', { n: formatNumber(c.size) })}</td>
        <td data-label=${heads[3]}>${formatDateTime(c.newestAt)}</td>
      </tr>`,
    )}</tbody>
  </table></div>`;
}

export function ClustersView(props: { session: Session }) {
  const found = useAsync(() => listClusters(), []);
  return html`<section class="clusters" aria-busy=${found.loading ? 'true' : 'false'}>
    <h1>${t('clustersTitle')}</h1>
    <p class="muted">${t('clustersIntro')}</p>
    <${ErrorBox} error=${found.error} />
    ${found.data ? html`<${ClusterTable} clusters=${found.data} session=${props.session} id="clusters-table" />` : html`<${Loading} />`}
  </section>`;
}

function ResolutionReport(props: { result: ClusterResolution }) {
  const r = props.result;
  return html`<section class="notice" role="status" id="cluster-result" aria-labelledby="cluster-result-title">
    <h2 id="cluster-result-title">${t('clusterResolvedCount', { n: formatNumber(r.resolved.length) })}</h2>
    ${
      r.skipped.length
        ? html`<p>${t('clusterSkippedIntro')}</p><ul id="cluster-skipped">${r.skipped.map(
            (s) =>
              html`<li data-reference=${s.reference}><a class="ltr" href=${`#/case/${encodeURIComponent(s.caseId)}`}>${s.reference}</a>: ${label('skip', s.reason.replace(/\W/g, '_'))} (${label('status', s.status)})</li>`,
          )}</ul>`
        : null
    }
    ${r.notShown ? html`<p class="muted">${t('clusterNotShown', { n: formatNumber(r.notShown) })}</p>` : null}
  </section>`;
}

export function ClusterView(props: { session: Session; clusterId: string }) {
  const found = useAsync(() => getCluster(props.clusterId), [props.clusterId]);
  const [outcome, setOutcome] = useState<string>('assistance_provided');
  const [message, setMessage] = useState('');
  const [perLanguage, setPerLanguage] = useState<Partial<Record<Lang, string>>>({});
  const [result, setResult] = useState<ClusterResolution | undefined>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  if (found.error)
    return html`<section><p><a href="#/clusters">${t('clustersBack')}</a></p><${ErrorBox} error=${found.error} /></section>`;
  if (!found.data) return html`<${Loading} />`;
  const { cluster, members } = found.data;
  const canWrite = props.session.roles.some((r) => WRITERS.includes(r));
  const open = members.filter((m) => OPEN.includes(m.status));
  const languages = LANGUAGES.filter((l) => open.some((m) => m.language === l));
  const texted = open.filter((m) => m.consentToFollowUp).length;
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    try {
      const messages = Object.fromEntries(
        Object.entries(perLanguage).filter(([, v]) => v?.trim()),
      ) as Partial<Record<string, string>>;
      setResult(
        await resolveCluster(cluster.clusterId, {
          outcome,
          message: message.trim(),
          ...(Object.keys(messages).length ? { messages } : {}),
          versions: Object.fromEntries(open.map((m) => [m.caseId, m.version])),
        }),
      );
      setError(undefined);
      found.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const heads = [t('colReference'), t('filterStatus'), t('language'), t('received'), t('clusterTexted')];
  return html`<article class="cluster" aria-busy=${found.loading ? 'true' : 'false'}>
    <p><a href="#/clusters">${t('clustersBack')}</a></p>
    <h1 id="cluster-title">${t('clusterTitle', { category: label('category', cluster.category), place: clusterPlace(cluster) })}</h1>
    <p id="cluster-size">${t('clusterSizeLine', { n: formatNumber(cluster.size), open: formatNumber(open.length) })}</p>
    ${result ? html`<${ResolutionReport} result=${result} />` : null}
    <div class="table-wrap"><table class="report-table" id="cluster-members">
      <caption class="visually-hidden">${t('clusterMembers')}</caption>
      <thead><tr>${heads.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead>
      <tbody>${members.map(
        (m) => html`<tr data-reference=${m.reference}>
          <th scope="row"><a class="ltr" href=${`#/case/${encodeURIComponent(m.caseId)}`}>${m.reference}</a></th>
          <td data-label=${heads[1]}>${label('status', m.status)}</td>
          <td data-label=${heads[2]} lang=${m.language}>${LANGUAGE_NAMES[m.language as Lang] ?? m.language}</td>
          <td data-label=${heads[3]}>${formatDateTime(m.receivedAt)}</td>
          <td data-label=${heads[4]}>${m.consentToFollowUp ? t('yes') : t('no')}</td>
        </tr>`,
      )}</tbody>
    </table></div>
    ${
      canWrite && open.length > 0
        ? html`<form class="panel action-form" id="cluster-resolve" onSubmit=${submit} aria-labelledby="cluster-resolve-title">
          <h2 id="cluster-resolve-title">${tn('clusterResolveTitle', open.length)}</h2>
          <p class="muted">${t('clusterResolveHint', { n: formatNumber(texted) })}</p>
          <${ErrorBox} error=${error} id="cluster-error" />
          <${CodeSelect} id="c-outcome" label=${t('outcome')} value=${outcome} codes=${OUTCOMES}
            labelOf=${(o: string) => label('outcome', o)} onChange=${setOutcome} />
          <label for="c-message">${t('clusterMessage')}</label>
          <textarea id="c-message" rows="3" maxlength="320" dir="auto" required value=${message}
            onInput=${(e: Event) => setMessage((e.target as HTMLTextAreaElement).value)}></textarea>
          ${
            languages.length > 1 || (languages.length === 1 && languages[0] !== getLang())
              ? html`<details id="c-per-language">
            <summary>${t('clusterPerLanguage')}</summary>
            ${languages.map(
              (l) => html`<label for=${`c-message-${l}`}>${LANGUAGE_NAMES[l]}</label>
                <textarea id=${`c-message-${l}`} rows="2" maxlength="320" dir="auto" lang=${l} value=${perLanguage[l] ?? ''}
                  onInput=${(e: Event) => setPerLanguage({ ...perLanguage, [l]: (e.target as HTMLTextAreaElement).value })}></textarea>`,
            )}
          </details>`
              : null
          }
          <button type="submit" id="confirm-cluster-resolve" disabled=${busy}>${tn('clusterResolve', open.length)}</button>
        </form>`
        : null
    }
  </article>`;
}
