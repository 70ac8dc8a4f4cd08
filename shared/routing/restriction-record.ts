import { type Case, isRestricted } from '../cases/case-schema.ts';

/**
 * The classification after a staff member changed a case's sensitivity across the restriction line: lifting it
 * records who, when and on what basis the platform had restricted it (the reports count these downgrades by
 * basis); restricting it again clears that. Any other change leaves the record as it was.
 */
export function recordRestrictionChange(
  current: Case,
  next: Case,
  who: { id: string; role?: string | undefined },
  at: string,
): Case['classification'] {
  const was = isRestricted(current.sensitivity);
  const is = isRestricted(next.sensitivity);
  const { lifted: _lifted, ...rest } = next.classification;
  if (!was && is) return rest;
  if (!(was && !is)) return next.classification;
  const basis = current.classification.restrictedBasis ?? current.classification.basis ?? 'none';
  return {
    ...next.classification,
    lifted: { by: who.id, ...(who.role ? { role: who.role } : {}), at, basis },
  };
}
