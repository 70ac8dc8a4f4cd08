/**
 * Keeps a case's cluster membership in step with the case, from the projector (functions/projector): a new open,
 * non-restricted case that the router has classified and placed joins the cluster of the most similar open case of
 * its category and place that has one (among those similar enough), or else makes a new cluster with the most
 * similar; a member that becomes restricted leaves at once; a cluster whose members are all resolved or closed
 * leaves the open list.
 *
 * Why the projector and not the router: the projector sees every image of every case after the router has written
 * its classification and place, including an officer's later reclassification (which may restrict the case) and
 * every resolution, so joining, leaving and settling are one idempotent step on one stream consumer.
 */
import { type Case, isRestricted, OPEN_STATUSES } from '../cases/case-schema.ts';
import {
  type Cluster,
  type ClusterMember,
  ClusterRaceError,
  type ClusterStore,
  clusterIdFor,
  MAX_CLUSTER_MEMBERS,
} from './cluster-store.ts';
import { SIMILARITY_THRESHOLD, signature, similarity } from './similarity.ts';

export type ClusterOutcome =
  | { code: 'CLUSTER.NOT_ELIGIBLE' | 'CLUSTER.NO_MATCH' }
  | {
      code:
        | 'CLUSTER.CREATED'
        | 'CLUSTER.JOINED'
        | 'CLUSTER.ALREADY_MEMBER'
        | 'CLUSTER.LEFT'
        | 'CLUSTER.SETTLED';
      clusterId: string;
    };

/** Tries before a record is failed (and retried by the stream): each retry follows a write another projector made. */
const ATTEMPTS = 5;

const isOpen = (c: Pick<Case, 'status'>) => (OPEN_STATUSES as readonly string[]).includes(c.status);

/** Whether a case may be clustered now: open, not restricted, read by the router, with a category and a place. */
export function clusterable(c: Case): boolean {
  return (
    isOpen(c) &&
    !isRestricted(c.sensitivity) &&
    c.category !== null &&
    c.classification.source !== 'pending' &&
    (c.location.district !== undefined || c.location.governorate !== undefined) &&
    c.narrative.trim().length > 0
  );
}

/**
 * The cases at or above the similarity threshold, most similar first; ties go to the earlier case, so every reader
 * ranks them the same.
 */
export function similarCases(c: Case, candidates: readonly Case[]): Case[] {
  const mine = signature(c.narrative);
  const scored: { c: Case; score: number; key: string }[] = [];
  for (const other of candidates) {
    if (isRestricted(other.sensitivity) || other.caseId === c.caseId) continue;
    const score = similarity(mine, signature(other.narrative));
    if (score >= SIMILARITY_THRESHOLD)
      scored.push({ c: other, score, key: `${other.receivedAt}#${other.caseId}` });
  }
  scored.sort((a, b) => b.score - a.score || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return scored.map((x) => x.c);
}

/**
 * How many of the similar cases are looked up for a cluster to join before a new one is made: enough that a
 * cluster forming among the first cases of a burst is found (its members are the most similar), bounded so that a
 * case among hundreds of similar unclustered ones reads a fixed number of memberships.
 */
const MEMBERSHIPS_READ = 10;

const memberOf = (c: Case, at: string): ClusterMember => ({
  caseId: c.caseId,
  reference: c.reference,
  receivedAt: c.receivedAt,
  joinedAt: at,
});

export function makeClustering(deps: { store: ClusterStore; now: () => Date }) {
  const { store } = deps;
  const stamp = () => deps.now().toISOString();

  async function join(c: Case): Promise<ClusterOutcome> {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const mine = await store.membership(c.caseId);
      if (mine) return { code: 'CLUSTER.ALREADY_MEMBER', clusterId: mine.clusterId };
      const similar = similarCases(c, await store.openCasesLike(c));
      const best = similar[0];
      if (!best) return { code: 'CLUSTER.NO_MATCH' };
      // Join the cluster of the most similar case that has one, rather than pair with a more similar case that has
      // none: otherwise the cases of one burst, read in whatever order the stream brings them, pair off into
      // several clusters of the same problem.
      let theirs: Awaited<ReturnType<ClusterStore['membership']>>;
      for (const other of similar.slice(0, MEMBERSHIPS_READ)) {
        theirs = await store.membership(other.caseId);
        if (theirs) break;
      }
      const at = stamp();
      try {
        if (theirs) {
          const cluster = await store.get(theirs.clusterId);
          if (!cluster || cluster.members.length >= MAX_CLUSTER_MEMBERS) return { code: 'CLUSTER.NO_MATCH' };
          await store.join(cluster, memberOf(c, at), at);
          return { code: 'CLUSTER.JOINED', clusterId: cluster.clusterId };
        }
        // Named after the earlier of the two, so two projectors pairing the same two cases name the same cluster.
        const [first, second] = [c, best].sort((a, b) =>
          `${a.receivedAt}#${a.caseId}` < `${b.receivedAt}#${b.caseId}` ? -1 : 1,
        ) as [Case, Case];
        const clusterId = clusterIdFor(first.caseId);
        const cluster: Cluster = {
          clusterId,
          ...(c.agency ? { agency: c.agency } : {}),
          category: c.category as NonNullable<Case['category']>,
          ...(c.location.governorate ? { governorate: c.location.governorate } : {}),
          ...(c.location.district ? { district: c.location.district } : {}),
          status: 'open',
          members: [memberOf(first, at), memberOf(second, at)],
          createdAt: at,
          updatedAt: at,
          newestAt: second.receivedAt,
          version: 1,
        };
        await store.create(cluster);
        return { code: 'CLUSTER.CREATED', clusterId };
      } catch (err) {
        if (!(err instanceof ClusterRaceError)) throw err;
      }
    }
    throw new ClusterRaceError('The cluster kept changing; the record will be tried again.');
  }

  async function leave(caseId: string): Promise<ClusterOutcome> {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const mine = await store.membership(caseId);
      if (!mine) return { code: 'CLUSTER.NOT_ELIGIBLE' };
      const cluster = await store.get(mine.clusterId);
      if (!cluster) return { code: 'CLUSTER.NOT_ELIGIBLE' };
      try {
        await store.leave(cluster, caseId, stamp());
        return { code: 'CLUSTER.LEFT', clusterId: cluster.clusterId };
      } catch (err) {
        if (!(err instanceof ClusterRaceError)) throw err;
      }
    }
    throw new ClusterRaceError('The cluster kept changing; the record will be tried again.');
  }

  /**
   * A member resolved or closed: when no member is open any more the cluster leaves the open list, and a member
   * reopened puts it back. Reads the members (at most {@link MAX_CLUSTER_MEMBERS}, by key).
   */
  async function settle(c: Case, openMembers: (ids: string[]) => Promise<number>): Promise<ClusterOutcome> {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const mine = await store.membership(c.caseId);
      if (!mine) return { code: 'CLUSTER.NOT_ELIGIBLE' };
      const cluster = await store.get(mine.clusterId);
      if (!cluster || cluster.status === 'dissolved') return { code: 'CLUSTER.NOT_ELIGIBLE' };
      const open = isOpen(c) || (await openMembers(cluster.members.map((m) => m.caseId))) > 0;
      const status = open ? 'open' : 'resolved';
      if (status === cluster.status) return { code: 'CLUSTER.SETTLED', clusterId: cluster.clusterId };
      try {
        await store.setStatus(cluster, status, stamp());
        return { code: 'CLUSTER.SETTLED', clusterId: cluster.clusterId };
      } catch (err) {
        if (!(err instanceof ClusterRaceError)) throw err;
      }
    }
    throw new ClusterRaceError('The cluster kept changing; the record will be tried again.');
  }

  return {
    /**
     * Brings the case's membership in step with the case image. `openMembers` counts the open cases among ids
     * (the case store's batch read), used only when a member stops being open.
     */
    async handle(c: Case, openMembers: (ids: string[]) => Promise<number>): Promise<ClusterOutcome> {
      if (isRestricted(c.sensitivity)) return leave(c.caseId);
      if (clusterable(c)) {
        const joined = await join(c);
        // A member reopened after its cluster was resolved puts the cluster back on the open list.
        return joined.code === 'CLUSTER.ALREADY_MEMBER' ? settle(c, openMembers) : joined;
      }
      if (!isOpen(c)) return settle(c, openMembers);
      return { code: 'CLUSTER.NOT_ELIGIBLE' };
    },
  };
}

export type Clustering = ReturnType<typeof makeClustering>;
