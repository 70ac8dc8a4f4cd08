/**
 * When a staff write meets a stale version. `version` moves on every write, the platform's own included (the
 * router's classification and routing, the sweeper's escalations, the notifier's pause); `staffVersion` moves
 * only when a staff member changes the case. A person who read version `v` is behind only if someone changed the
 * case after `v` — so the write goes ahead on the fresh case when every later write was the platform's, and is a
 * 409 naming who changed what when another person acted.
 */
import type { Case, CaseEvent } from '#shared/cases/case-schema.ts';
import { ConflictError } from '#shared/errors/domain-error.ts';

/** Thrown inside a change callback; the service turns it into an {@link EditConflictError} with the details. */
export class StaleEditError extends ConflictError {
  constructor(
    readonly expectedVersion: number,
    readonly currentVersion: number,
  ) {
    super('CASE.VERSION_CONFLICT', 'Another person changed this case since you read it.');
  }
}

/** What another person changed, as the console shows it: who, when, and the timeline entries. */
export interface ChangeByOther {
  at: string;
  actor: CaseEvent['actor'];
  type: CaseEvent['type'];
  fromStatus?: CaseEvent['fromStatus'];
  toStatus?: CaseEvent['toStatus'];
  data?: CaseEvent['data'];
}

export class EditConflictError extends ConflictError {
  constructor(expectedVersion: number, currentVersion: number, changes: ChangeByOther[]) {
    super(
      'CASE.VERSION_CONFLICT',
      'Another person changed this case since you read it; reload it and try again.',
      { expectedVersion, currentVersion, changes },
    );
  }
}

/**
 * Throws {@link StaleEditError} unless a write based on `expected` may go ahead on `current`. A case stored before
 * `staffVersion` existed has no record of who moved its version, so there only the exact version passes.
 */
export function assertCurrentForStaff(current: Case, expected: number): void {
  const lastByPerson = current.staffVersion ?? current.version;
  if (expected > current.version || expected < lastByPerson) {
    throw new StaleEditError(expected, current.version);
  }
}

/** The staff changes made after `expected`, from the case's timeline (each change event carries its version). */
export function changesByOthers(timeline: readonly CaseEvent[], expected: number): ChangeByOther[] {
  return timeline
    .filter((e) => e.actor.kind === 'staff' && e.version !== undefined && e.version > expected)
    .map((e) => ({
      at: e.at,
      actor: e.actor,
      type: e.type,
      ...(e.fromStatus ? { fromStatus: e.fromStatus } : {}),
      ...(e.toStatus ? { toStatus: e.toStatus } : {}),
      ...(e.data ? { data: e.data } : {}),
    }));
}
