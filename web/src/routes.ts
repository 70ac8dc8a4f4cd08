import type { Session } from './auth.ts';
import { ADMIN_TABS, type AdminTab } from './views/admin.ts';
import { QUEUES, type Queue } from './views/queues.ts';

/** Hash routes: `#/queues/mine`, `#/case/<id>`, `#/clusters`, `#/clusters/<id>`, `#/operator`, `#/live-calls`, `#/dashboard`, `#/admin/<tab>`, … */
export type Route =
  | { view: 'queues'; queue: Queue }
  | { view: 'case'; caseId: string }
  | { view: 'clusters' }
  | { view: 'cluster'; clusterId: string }
  | { view: 'operator' | 'live-calls' | 'dashboard' | 'simulator' | 'outbox' | 'inbox' }
  | { view: 'admin'; tab: AdminTab };

/** The local stack's mailboxes (what the platform sent and notified): for the local admin only. */
const adminOnly = new Set(['outbox', 'inbox']);

export function parseRoute(hash: string, session?: Session): Route {
  const [view = '', arg = ''] = hash.replace(/^#\/?/, '').split('/');
  // `#/cases/<id>` is the form older notification links used.
  if ((view === 'case' || view === 'cases') && arg) return { view: 'case', caseId: decodeURIComponent(arg) };
  if (view === 'clusters')
    return arg ? { view: 'cluster', clusterId: decodeURIComponent(arg) } : { view: 'clusters' };
  if (view === 'queues')
    return { view: 'queues', queue: (QUEUES as readonly string[]).includes(arg) ? (arg as Queue) : 'team' };
  if (view === 'admin')
    return {
      view: 'admin',
      tab: (ADMIN_TABS as readonly string[]).includes(arg) ? (arg as AdminTab) : 'focal-points',
    };
  if (adminOnly.has(view) && !session?.roles.includes('admin')) return homeRoute(session);
  if (['operator', 'live-calls', 'dashboard', 'simulator', 'outbox', 'inbox'].includes(view))
    return { view } as Route;
  return homeRoute(session);
}

function homeRoute(session?: Session): Route {
  const roles = session?.roles ?? [];
  if (roles.includes('operator')) return { view: 'operator' };
  if (roles.includes('manager')) return { view: 'dashboard' };
  if (roles.includes('admin') && !roles.includes('officer')) return { view: 'admin', tab: 'focal-points' };
  return { view: 'queues', queue: 'team' };
}
