/**
 * The staff use-cases on clusters of similar complaints (shared/clusters): the list of open clusters, one cluster
 * with the members the caller may read, the cluster on a case's page, and resolving every open member at once.
 *
 * Resolving together is the single resolution, once per member: each goes through the case service's own
 * `transition` (access check, version check, timeline entry, the outcome message stored on the case), so the
 * notifier texts each consenting person exactly as it does after a single resolution, with its idempotency claim.
 * A member that moved on (resolved or closed, restricted, changed by someone since the caller read it) is left as it
 * is and reported back. The resolution is written to the audit trail once, naming the cases it resolved.
 */

import type { Platform } from '#functions/lib/platform.ts';
import { agencyOf } from '#shared/agencies/agency-id.ts';
import { makeAuditTrail } from '#shared/audit/audit-trail.ts';
import type { Principal } from '#shared/auth/principal.ts';
import { canReadCase, inScope, seesAllRestricted } from '#shared/cases/access.ts';
import { type Case, OPEN_STATUSES } from '#shared/cases/case-schema.ts';
import type { Language } from '#shared/classification/taxonomy.ts';
import { type Cluster, makeClusterStore } from '#shared/clusters/cluster-store.ts';
import { ConflictError, NotFoundError } from '#shared/errors/domain-error.ts';
import type { Outcome } from '#shared/messages/templates.ts';
import type { CaseService } from './case-service.ts';

export class ClusterNotFoundError extends NotFoundError {
  constructor() {
    super('CLUSTER.NOT_FOUND', 'No such cluster, or none you may see.');
  }
}

export interface ResolveClusterBody {
  outcome: Outcome;
  message: string;
  messages?: Partial<Record<Language, string>> | undefined;
  reason?: string | undefined;
  versions?: Record<string, number> | undefined;
}

type SkipReason = 'CASE.NOT_OPEN' | 'CASE.VERSION_CONFLICT';

const isOpen = (c: Pick<Case, 'status'>) => (OPEN_STATUSES as readonly string[]).includes(c.status);

/** What anyone allowed the list may know of a cluster: no references, no text. */
const summary = (c: Cluster) => ({
  clusterId: c.clusterId,
  category: c.category,
  ...(c.governorate ? { governorate: c.governorate } : {}),
  ...(c.district ? { district: c.district } : {}),
  status: c.status,
  size: c.members.length,
  createdAt: c.createdAt,
  newestAt: c.newestAt,
});

const memberView = (c: Case) => ({
  caseId: c.caseId,
  reference: c.reference,
  status: c.status,
  version: c.version,
  language: c.language,
  receivedAt: c.receivedAt,
  /** Whether the person will hear the outcome by SMS (consented; the notifier also checks the number). */
  consentToFollowUp: c.consentToFollowUp,
});

export function makeClusterService(platform: Platform, cases: CaseService) {
  const store = makeClusterStore({ db: platform.db, tableName: platform.tableName });
  const audit = makeAuditTrail({ db: platform.db, tableName: platform.tableName, now: platform.now });

  /** A cluster the caller may see: one with at least one member they may read. */
  async function visible(p: Principal, clusterId: string): Promise<{ cluster: Cluster; members: Case[] }> {
    const cluster = await store.get(clusterId);
    if (!cluster || cluster.status === 'dissolved') throw new ClusterNotFoundError();
    const members = (await platform.cases.getMany(cluster.members.map((m) => m.caseId))).filter((c) =>
      canReadCase(p, c),
    );
    if (members.length === 0) throw new ClusterNotFoundError();
    return { cluster, members };
  }

  return {
    /** Open clusters within the caller's governorates (all of them for unscoped staff), newest first. */
    async list(p: Principal, filter: { category?: string; governorate?: string; district?: string } = {}) {
      const open = await store.listOpen(filter);
      const within = open.filter(
        (c) =>
          agencyOf(c) === p.agency &&
          (seesAllRestricted(p) ||
            p.governorates.length === 0 ||
            (c.governorate !== undefined && p.governorates.includes(c.governorate))),
      );
      return { clusters: within.map(summary) };
    },

    async get(p: Principal, clusterId: string) {
      const { cluster, members } = await visible(p, clusterId);
      return { cluster: summary(cluster), members: members.map(memberView) };
    },

    /** The case page: the case as the case service shows it, with its cluster's other members the caller may read. */
    async caseDetail(p: Principal, caseId: string) {
      const detail = await cases.detail(p, caseId);
      const membership = await store.membership(caseId);
      const cluster = membership ? await store.get(membership.clusterId) : undefined;
      if (!cluster || cluster.status === 'dissolved') return { ...detail, cluster: null };
      const others = (
        await platform.cases.getMany(cluster.members.map((m) => m.caseId).filter((id) => id !== caseId))
      ).filter((c) => canReadCase(p, c) && inScope(p, c));
      return {
        ...detail,
        cluster: {
          ...summary(cluster),
          members: others.map((c) => ({ caseId: c.caseId, reference: c.reference, status: c.status })),
        },
      };
    },

    async resolve(p: Principal, clusterId: string, body: ResolveClusterBody) {
      const { cluster, members } = await visible(p, clusterId);
      const hidden = cluster.members.length - members.length;
      const resolved: { caseId: string; reference: string; version: number }[] = [];
      const skipped: { caseId: string; reference: string; status: string; reason: SkipReason }[] = [];
      for (const m of members) {
        if (!isOpen(m)) {
          skipped.push({
            caseId: m.caseId,
            reference: m.reference,
            status: m.status,
            reason: 'CASE.NOT_OPEN',
          });
          continue;
        }
        const expected = body.versions?.[m.caseId] ?? m.version;
        try {
          const out = await cases.transition(p, m.caseId, expected, {
            action: 'resolve',
            outcome: body.outcome,
            message: body.messages?.[m.language] ?? body.message,
            reason:
              body.reason ?? `Resolved together with the other members of cluster ${cluster.clusterId}.`,
          });
          resolved.push({ caseId: m.caseId, reference: m.reference, version: out.version });
        } catch (err) {
          if (!(err instanceof ConflictError)) throw err;
          const now = (await platform.cases.getMany([m.caseId]))[0];
          skipped.push({
            caseId: m.caseId,
            reference: m.reference,
            status: now?.status ?? m.status,
            reason: err.code === 'CASE.INVALID_TRANSITION' ? 'CASE.NOT_OPEN' : 'CASE.VERSION_CONFLICT',
          });
        }
      }
      if (resolved.length > 0) {
        await audit.record({
          who: { userId: p.userId, roles: p.roles },
          action: 'case.write',
          caseIds: resolved.map((r) => r.caseId),
          why: `resolved together (cluster ${cluster.clusterId}, outcome ${body.outcome})`,
          via: 'POST /api/clusters/{clusterId}/resolve',
        });
      }
      // Members restricted since they joined, or outside the caller's scope, are only counted: never named.
      return { clusterId: cluster.clusterId, resolved, skipped, notShown: hidden };
    },
  };
}

export type ClusterService = ReturnType<typeof makeClusterService>;
