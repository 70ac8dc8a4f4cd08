import { describe, expect, it } from 'vitest';
import {
  decideSensitivity,
  mayLowerSensitivity,
  type SensitivityDecision,
} from '#shared/classification/sensitivity-change.ts';
import type { Sensitivity } from '#shared/classification/taxonomy.ts';

const raised = (to: Sensitivity): SensitivityDecision => ({
  sensitivity: to,
  direction: 'raised',
  refused: false,
});
const kept = (at: Sensitivity): SensitivityDecision => ({
  sensitivity: at,
  direction: 'kept',
  refused: false,
});
const refused = (at: Sensitivity): SensitivityDecision => ({
  sensitivity: at,
  direction: 'kept',
  refused: true,
});
const lowered = (to: Sensitivity): SensitivityDecision => ({
  sensitivity: to,
  direction: 'lowered',
  refused: false,
});

// Every pair of levels, written out: [current, proposed, what the platform's own reading ends with, what staff end with].
const PAIRS: [Sensitivity, Sensitivity, SensitivityDecision, SensitivityDecision][] = [
  ['S0', 'S0', kept('S0'), kept('S0')],
  ['S0', 'S1', raised('S1'), raised('S1')],
  ['S0', 'S2', raised('S2'), raised('S2')],
  ['S0', 'S3', raised('S3'), raised('S3')],
  ['S1', 'S0', refused('S1'), lowered('S0')],
  ['S1', 'S1', kept('S1'), kept('S1')],
  ['S1', 'S2', raised('S2'), raised('S2')],
  ['S1', 'S3', raised('S3'), raised('S3')],
  ['S2', 'S0', refused('S2'), lowered('S0')],
  ['S2', 'S1', refused('S2'), lowered('S1')],
  ['S2', 'S2', kept('S2'), kept('S2')],
  ['S2', 'S3', raised('S3'), raised('S3')],
  ['S3', 'S0', refused('S3'), lowered('S0')],
  ['S3', 'S1', refused('S3'), lowered('S1')],
  ['S3', 'S2', refused('S3'), lowered('S2')],
  ['S3', 'S3', kept('S3'), kept('S3')],
];

describe('may a change lower a case’s sensitivity', () => {
  it.each(PAIRS)('a case at %s, proposed %s', (current, proposed, automatic, staff) => {
    expect(decideSensitivity(current, proposed, 'automatic')).toEqual(automatic);
    expect(decideSensitivity(current, proposed, 'staff')).toEqual(staff);
  });

  it('only staff may lower; the platform’s own reading never does', () => {
    expect(mayLowerSensitivity('automatic')).toBe(false);
    expect(mayLowerSensitivity('staff')).toBe(true);
  });
});
