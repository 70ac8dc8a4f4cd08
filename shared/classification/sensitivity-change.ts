/**
 * The one rule for changing a case's sensitivity, whoever proposes it. Sensitive complaints favour recall: what
 * the platform reads on its own (the classifier on a follow-up, a transcript, an operator's text) may only raise
 * a case; lowering it is a person's reviewed decision (an officer or focal point the console lets reclassify,
 * with a reason), never the machine's.
 */
import { SENSITIVITIES, type Sensitivity } from './taxonomy.ts';

/** Who proposes the change: the platform's own reading (`automatic`), or a staff member (`staff`). */
export const SENSITIVITY_PROPOSERS = ['automatic', 'staff'] as const;
export type SensitivityProposer = (typeof SENSITIVITY_PROPOSERS)[number];

export type SensitivityDirection = 'raised' | 'lowered' | 'kept';

export interface SensitivityDecision {
  /** The case's sensitivity after the decision. */
  sensitivity: Sensitivity;
  /** What happened to the case: `kept` also when a lowering was refused. */
  direction: SensitivityDirection;
  /** Set when the proposal would have lowered the case and the proposer may not. */
  refused: boolean;
}

const rank = (s: Sensitivity): number => SENSITIVITIES.indexOf(s);

/** Whether `proposer` may lower a case's sensitivity at all. */
export const mayLowerSensitivity = (proposer: SensitivityProposer): boolean => proposer === 'staff';

/** The sensitivity a case ends with when `proposer` proposes `proposed` for a case now at `current`. */
export function decideSensitivity(
  current: Sensitivity,
  proposed: Sensitivity,
  proposer: SensitivityProposer,
): SensitivityDecision {
  const delta = rank(proposed) - rank(current);
  if (delta > 0) return { sensitivity: proposed, direction: 'raised', refused: false };
  if (delta === 0) return { sensitivity: current, direction: 'kept', refused: false };
  return mayLowerSensitivity(proposer)
    ? { sensitivity: proposed, direction: 'lowered', refused: false }
    : { sensitivity: current, direction: 'kept', refused: true };
}
