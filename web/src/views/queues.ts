import { useRef, useState } from 'preact/hooks';
import { type CaseFilters, type CaseRecord, listCases, lookupCases } from '../api.ts';
import type { Session } from '../auth.ts';
import { CATEGORIES, CHANNELS, STATUSES } from '../codes.ts';
import { html } from '../html.ts';
import { channelLabel, formatDateTime, getLang, label, t, tn } from '../i18n.ts';
import { GOVERNORATES, placeName } from '../places.ts';
import { SlaBadge } from '../sla-view.ts';
import { CodeSelect, ErrorBox, Loading, useAsync } from '../ui.ts';

export const QUEUES = ['mine', 'team', 'overdue', 'status'] as const;
export type Queue = (typeof QUEUES)[number];

/** The API filters behind each queue for the signed-in person. */
export function queueFilters(queue: Queue, session: Session): CaseFilters {
  switch (queue) {
    case 'mine':
      return { assignee: session.userId };
    case 'team':
      return session.focalPointId ? { focalPoint: session.focalPointId } : {};
    case 'overdue':
      return { overdue: true };
    default:
      return {};
  }
}

const QUEUE_LABEL = {
  mine: 'queueMine',
  team: 'queueTeam',
  overdue: 'queueOverdue',
  status: 'queueStatus',
} as const;

/** A queue's count for its tab: up to 100, read on over short pages (a filtered page may come back short). */
async function queueCount(filters: CaseFilters): Promise<string> {
  let seen = 0;
  let cursor: string | undefined;
  for (let pages = 0; pages < 5; pages++) {
    const p = await listCases({ ...filters, limit: 100, ...(cursor ? { cursor } : {}) });
    if (p.count !== undefined) return String(p.count);
    seen += p.items.length;
    cursor = p.nextCursor;
    if (!cursor) return String(seen);
    if (seen >= 100) break;
  }
  // More than shown, or not known after five pages: "100+", never a bare "0+".
  return seen > 0 ? `${seen}+` : '…';
}

function QueueCounts(props: { session: Session; current: Queue }) {
  const counts = useAsync(
    () =>
      Promise.all(
        (['mine', 'team', 'overdue'] as const).map((q) =>
          queueCount(queueFilters(q, props.session)).catch(() => '–'),
        ),
      ),
    [props.session.token],
  );
  return html`<nav class="tabs" aria-label=${t('navQueues')}>
    ${QUEUES.map((q, i) => {
      const n = i < 3 ? counts.data?.[i] : undefined;
      return html`<a href=${`#/queues/${q}`} aria-current=${props.current === q ? 'page' : undefined}>
        ${t(QUEUE_LABEL[q])}${n === undefined ? '' : html` <span class="count">${n}</span>`}</a
      >`;
    })}
  </nav>`;
}

/**
 * A page of a list for the screen: the server reads a bounded stretch of the store per request, so a filtered
 * request (free text above all) can come back short or empty with a cursor to go on. Reads on until the page holds
 * `PAGE` cases or the list ends (at most ten requests), so "Load more" is offered only where more may follow, and
 * pressing it never shows nothing new while cases remain further on.
 */
const PAGE = 50;
async function fillPage(
  filters: CaseFilters,
  from?: string,
): Promise<{ items: CaseRecord[]; cursor?: string; count?: number }> {
  const items: CaseRecord[] = [];
  let cursor = from;
  for (let requests = 0; requests < 10; requests++) {
    const page = await listCases({ ...filters, limit: PAGE - items.length, ...(cursor ? { cursor } : {}) });
    items.push(...page.items);
    cursor = page.nextCursor;
    if (!cursor || items.length >= PAGE)
      return { items, cursor, count: requests === 0 ? page.count : undefined };
  }
  return { items, cursor };
}

export function CaseTable(props: { items: CaseRecord[] }) {
  const lang = getLang();
  const now = new Date();
  return html`<div class="table-wrap"><table class="cases">
    <thead><tr>
      <th scope="col">${t('colReference')}</th><th scope="col">${t('colReceived')}</th>
      <th scope="col">${t('colStatus')}</th><th scope="col">${t('colType')}</th>
      <th scope="col">${t('colCategory')}</th><th scope="col">${t('colPriority')}</th>
      <th scope="col">${t('colGovernorate')}</th><th scope="col">${t('colChannel')}</th>
      <th scope="col">${t('colSla')}</th>
    </tr></thead>
    <tbody>
      ${props.items.map(
        (c) => html`<tr data-reference=${c.reference} data-new-message=${c.newMessage ? 'true' : undefined}>
          <td><a class="ref" href=${`#/case/${encodeURIComponent(c.caseId)}`}>${c.reference}</a>
            ${c.sensitivity === 'S2' || c.sensitivity === 'S3' ? html` <span class="tag restricted" title=${label('sensitivity', c.sensitivity)}>${c.sensitivity}</span>` : null}
            ${c.restrictedBy === 'caution' || c.restrictedBy === 'model' ? html` <span class="tag to-review" data-basis=${c.restrictedBy} title=${t('toReviewTitle')}>${t('toReview')}: ${t(`basis_${c.restrictedBy}`)}</span>` : null}
            ${c.newMessage ? html` <span class="tag new-message">${t('newMessageTag')}</span>` : null}</td>
          <td data-label=${t('colReceived')}>${formatDateTime(c.receivedAt)}</td>
          <td data-label=${t('colStatus')}><span class=${`status status-${c.status}`}>${label('status', c.status)}</span></td>
          <td data-label=${t('colType')}>${label('type', c.type)}</td>
          <td data-label=${t('colCategory')}>${label('category', c.category)}</td>
          <td data-label=${t('colPriority')}>${label('urgency', c.urgency)}</td>
          <td data-label=${t('colGovernorate')}>${placeName(c.location?.governorate, lang) || html`<span class="muted" aria-label=${t('none')}>–</span>`}</td>
          <td data-label=${t('colChannel')}>${channelLabel(c.channel, c.transport)}</td>
          <td data-label=${t('colSla')}><${SlaBadge} c=${c} now=${now} compact=${true} /></td>
        </tr>`,
      )}
    </tbody>
  </table></div>`;
}

/** Go straight to a case by its reference. */
function ReferenceJump(props: { navigate: (hash: string) => void }) {
  const [value, setValue] = useState('');
  const [error, setError] = useState<unknown>();
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    try {
      const [found] = await lookupCases({ reference: value.trim().toUpperCase() });
      if (found) props.navigate(`#/case/${encodeURIComponent(found.caseId)}`);
      else setError(new Error(t('errorNotFound')));
    } catch (err) {
      setError(err);
    }
  };
  return html`<form class="inline" onSubmit=${submit} role="search">
    <label for="jump">${t('colReference')}</label>
    <input id="jump" class="ltr" dir="ltr" value=${value} onInput=${(e: Event) => setValue((e.target as HTMLInputElement).value)} />
    <button type="submit">${t('openCase')}</button>
    <${ErrorBox} error=${error} />
  </form>`;
}

/**
 * A phone's width (the stylesheet's own breakpoint): there the filters start folded under their heading, so the
 * cases come first rather than two screens down, and each case reads as a card.
 */
const onPhone = () => window.matchMedia('(max-width: 30rem)').matches;

export function QueuesView(props: { session: Session; queue: Queue; navigate: (hash: string) => void }) {
  const lang = getLang();
  const [draft, setDraft] = useState<CaseFilters>({});
  const [filters, setFilters] = useState<CaseFilters>({});
  const [pages, setPages] = useState<CaseRecord[][]>([]);
  const base = { ...queueFilters(props.queue, props.session), ...filters };
  const first = useAsync(async () => {
    const page = await fillPage(base);
    setPages([page.items]);
    return page;
  }, [props.queue, JSON.stringify(filters), props.session.token]);
  const [cursor, setCursor] = useState<string | undefined>();
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<unknown>();
  const more = async () => {
    const next = cursor ?? first.data?.cursor;
    if (!next || loadingMore) return;
    setLoadingMore(true);
    setMoreError(undefined);
    try {
      const page = await fillPage(base, next);
      setPages((p) => [...p, page.items]);
      setCursor(page.cursor ?? '');
    } catch (err) {
      setMoreError(err);
    } finally {
      setLoadingMore(false);
    }
  };
  const items = pages.flat();
  const hasMore = cursor === undefined ? Boolean(first.data?.cursor) : cursor !== '';
  const set = (k: keyof CaseFilters) => (v: string) => setDraft((d) => ({ ...d, [k]: v || undefined }));
  const active = Object.values(filters).filter(Boolean).length;
  const [filtersOpen] = useState(() => !onPhone());
  const filtersBox = useRef<HTMLDetailsElement>(null);
  return html`<section aria-busy=${first.loading ? 'true' : 'false'}>
    <h1>${t('navQueues')}</h1>
    <${QueueCounts} session=${props.session} current=${props.queue} />
    <${ReferenceJump} navigate=${props.navigate} />
    <form class="filters" onSubmit=${(e: Event) => {
      e.preventDefault();
      setCursor(undefined);
      setFilters(draft);
      // On a phone the filters fold again once applied, so the cases they found are what the screen shows.
      if (onPhone() && filtersBox.current) filtersBox.current.open = false;
    }}>
      <details open=${filtersOpen} id="filters" ref=${filtersBox}>
        <summary>${t('filters')}${active ? html` <span class="count" id="filters-active">${active}</span>` : null}</summary>
        <div class="grid">
          <div><${CodeSelect} id="f-status" label=${t('filterStatus')} value=${draft.status ?? ''} codes=${STATUSES}
            labelOf=${(c: string) => label('status', c)} onChange=${set('status')} blank=${t('all')} /></div>
          <div><${CodeSelect} id="f-category" label=${t('filterCategory')} value=${draft.category ?? ''} codes=${CATEGORIES}
            labelOf=${(c: string) => label('category', c)} onChange=${set('category')} blank=${t('all')} /></div>
          <div><${CodeSelect} id="f-gov" label=${t('filterGovernorate')} value=${draft.governorate ?? ''}
            codes=${GOVERNORATES.map((g) => g.pcode)} labelOf=${(c: string) => placeName(c, lang)} onChange=${set('governorate')} blank=${t('all')} /></div>
          <div><${CodeSelect} id="f-channel" label=${t('filterChannel')} value=${draft.channel ?? ''} codes=${CHANNELS}
            labelOf=${(c: string) => label('channel', c)} onChange=${set('channel')} blank=${t('all')} /></div>
          <div><label for="f-text">${t('filterText')}</label>
            <input id="f-text" value=${draft.text ?? ''} onInput=${(e: Event) => set('text')((e.target as HTMLInputElement).value)} /></div>
          <div><label for="f-from">${t('filterFrom')}</label>
            <input id="f-from" type="date" value=${draft.from ?? ''} onInput=${(e: Event) => set('from')((e.target as HTMLInputElement).value)} /></div>
          <div><label for="f-to">${t('filterTo')}</label>
            <input id="f-to" type="date" value=${draft.to ?? ''} onInput=${(e: Event) => set('to')((e.target as HTMLInputElement).value)} /></div>
        </div>
        <button type="submit">${t('apply')}</button>
      </details>
    </form>
    ${first.loading && !items.length ? html`<${Loading} />` : null}
    <${ErrorBox} error=${first.error} />
    ${
      first.data
        ? html`<p class="muted" role="status" id="case-count">${tn('caseCount', first.data.count ?? items.length)}</p>
          ${
            items.some((c) => c.newMessage)
              ? html`<p class="flag" id="new-messages">${tn('newMessagesCount', items.filter((c) => c.newMessage).length)}</p>`
              : null
          }
          ${items.length ? html`<${CaseTable} items=${items} />` : html`<p>${t('noCases')}</p>`}
          ${hasMore ? html`<button type="button" id="load-more" disabled=${loadingMore} onClick=${more}>${t('loadMore')}</button>` : null}
          <${ErrorBox} error=${moreError} />`
        : null
    }
  </section>`;
}
