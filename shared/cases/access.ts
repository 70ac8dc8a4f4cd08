/**
 * Who may see which case, and how much of it. One place for the rules, used by the case API, the lookups, the
 * list queries, the reports and the export, so they cannot disagree.
 *
 * - operator, officer, psea read cases; manager reads aggregate reports only; admin reads a case only through
 *   break-glass (audited and notified).
 * - Restricted cases (S2/S3) are visible only to psea and to the case's designated focal points (a user whose
 *   `focalPointId` the case was routed to). To anyone else they do not exist: a 404, never a 403.
 * - Officers and operators are scoped to their governorates and programmes (an empty list means all). A scoped
 *   user does not see a case outside the scope, nor one without a governorate (or programme) at all: a scope is a
 *   restriction, and an unlocated case is for the unscoped officers to triage. psea is not scoped.
 * - Every case belongs to one agency (shared/agencies) and every case reader to one: a case of another agency does
 *   not exist for them (a 404, like an unknown one), whatever their role, psea included. The rules above hold
 *   within the agency.
 * - Personal data (phone number, name) only in case detail and only for operator, officer and psea.
 * - Reports for roles without the right leave restricted cases out entirely (their aggregates are kept apart), so
 *   no count, however small, says anything about a restricted case.
 */
import { agencyOf, DEFAULT_AGENCY } from '../agencies/agency-id.ts';
import { hasRole, type Principal } from '../auth/principal.ts';
import { type Case, isRestricted } from './case-schema.ts';

/** Roles that read case records in the normal course of work. */
export const mayReadCases = (p: Principal): boolean => hasRole(p, 'operator', 'officer', 'psea');

/** Only PSEA sees every restricted case. */
export const seesAllRestricted = (p: Principal): boolean => hasRole(p, 'psea');

/** Whether `p` is one of the focal points this case was routed to. */
export const isDesignatedFocalPoint = (p: Principal, c: Pick<Case, 'routing'>): boolean =>
  p.focalPointId !== undefined && (c.routing?.focalPoints ?? []).includes(p.focalPointId);

/** Whether the case belongs to the user's agency. */
export const sameAgency = (p: Principal, c: Pick<Case, 'agency'>): boolean => agencyOf(c) === p.agency;

/** Whether the case lies inside the user's agency, governorates and programmes. */
export function inScope(p: Principal, c: Pick<Case, 'location' | 'programme' | 'agency'>): boolean {
  if (!sameAgency(p, c)) return false;
  if (seesAllRestricted(p)) return true;
  const govOk =
    p.governorates.length === 0 ||
    (c.location.governorate !== undefined && p.governorates.includes(c.location.governorate));
  const progOk =
    p.programmes.length === 0 || (c.programme !== undefined && p.programmes.includes(c.programme));
  return govOk && progOk;
}

/** Whether `p` may read this case at all (detail, notes, transitions). Admins go through break-glass instead. */
export function canReadCase(
  p: Principal,
  c: Pick<Case, 'sensitivity' | 'routing' | 'location' | 'programme' | 'agency'>,
): boolean {
  if (!mayReadCases(p) || !sameAgency(p, c)) return false;
  if (isRestricted(c.sensitivity)) return seesAllRestricted(p) || isDesignatedFocalPoint(p, c);
  return inScope(p, c);
}

/** Whether `p` may see personal data (decrypted phone, name) of a case they can read. */
export const canSeePersonalData = (p: Principal): boolean => hasRole(p, 'operator', 'officer', 'psea');

/** Whether `p`'s reports and exports include restricted cases. */
export const reportsIncludeRestricted = (p: Principal): boolean => seesAllRestricted(p);

/** Whether `p` may change cases (reclassify, transitions, referral). */
export const mayWriteCases = (p: Principal): boolean => hasRole(p, 'officer', 'psea');

/** What a list query may read for `p`: which partitions, and the scope applied inside them. */
export interface ListScope {
  /** The agency whose index partitions are read (case-keys.ts); absent for the default agency. */
  agency?: string;
  includeRestricted: boolean;
  governorates: string[];
  programmes: string[];
}

export function listScope(p: Principal): ListScope {
  const all = seesAllRestricted(p);
  return {
    ...(p.agency === DEFAULT_AGENCY ? {} : { agency: p.agency }),
    includeRestricted: all,
    governorates: all ? [] : p.governorates,
    programmes: all ? [] : p.programmes,
  };
}

/**
 * Whether a case is a row of `p`'s export: restricted cases only for psea (a designated focal point reads their
 * restricted cases in the console, not in bulk exports); others within the user's scope.
 */
export function canExportCase(
  p: Principal,
  c: Pick<Case, 'sensitivity' | 'location' | 'programme' | 'agency'>,
): boolean {
  if (!sameAgency(p, c)) return false;
  if (isRestricted(c.sensitivity)) return seesAllRestricted(p);
  return inScope(p, c);
}
