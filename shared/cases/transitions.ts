import type { CaseStatus } from './case-schema.ts';

export const TRANSITION_ACTIONS = ['acknowledge', 'start', 'refer', 'resolve', 'close', 'reopen'] as const;
export type TransitionAction = (typeof TRANSITION_ACTIONS)[number];

/** Which clock field a transition stamps the first time it happens. */
type ClockField = 'acknowledgedAt' | 'firstActionAt' | 'resolvedAt' | 'closedAt' | 'reopenedAt';

export interface TransitionRule {
  from: readonly CaseStatus[];
  to: CaseStatus;
  /** Clock fields set (if still unset) when the transition happens. */
  stamps: readonly ClockField[];
  /** Clock fields cleared, as when a case is reopened. */
  clears?: readonly ClockField[];
}

/**
 * The case lifecycle: new → acknowledged → in_progress → (referred) → resolved → closed, with reopened from
 * resolved or closed. A transition straight from `new` also stamps the steps it skips, so that every closed case
 * has a complete clock.
 */
export const TRANSITIONS: Record<TransitionAction, TransitionRule> = {
  acknowledge: { from: ['new', 'reopened'], to: 'acknowledged', stamps: ['acknowledgedAt'] },
  start: {
    from: ['acknowledged', 'referred', 'reopened'],
    to: 'in_progress',
    stamps: ['acknowledgedAt', 'firstActionAt'],
  },
  refer: {
    from: ['new', 'acknowledged', 'in_progress', 'reopened'],
    to: 'referred',
    stamps: ['acknowledgedAt', 'firstActionAt'],
  },
  resolve: {
    from: ['new', 'acknowledged', 'in_progress', 'referred', 'reopened'],
    to: 'resolved',
    stamps: ['acknowledgedAt', 'firstActionAt', 'resolvedAt'],
  },
  close: { from: ['resolved'], to: 'closed', stamps: ['closedAt'] },
  reopen: {
    from: ['resolved', 'closed'],
    to: 'reopened',
    stamps: ['reopenedAt'],
    clears: ['resolvedAt', 'closedAt'],
  },
};

export const canTransition = (action: TransitionAction, status: CaseStatus): boolean =>
  TRANSITIONS[action].from.includes(status);
