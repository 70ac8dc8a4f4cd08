import type { IvrState, StepInput } from '#shared/intake/ivr.ts';

/** What the IVR's `decide` is given for one key press: a reachable caller in office hours, from `state`. */
export const ivrInput = (
  digits: string | undefined,
  state: Partial<IvrState> = {},
  extra: Partial<StepInput> = {},
): StepInput => ({
  digits,
  state: { n: 0, ...state },
  closed: false,
  reachable: true,
  ...extra,
});
