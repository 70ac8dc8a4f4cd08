/**
 * How the router classifies a case: who decides each field, and what counts as unclear.
 *
 * - `pending` (nobody decided yet): the classifier decides type, category, sector, sensitivity and urgency.
 * - `person` (the complainant chose on the IVR or the web form): their choices stand, the classifier fills in
 *   what they did not choose, and the text may raise (never lower) the sensitivity. Done once, while the case
 *   has no `automatic` answer yet.
 * - `classifier` (done) and `officer` (an officer's reclassification): never touched again.
 *
 * Sensitivity favours recall: an automatic classification never lowers the sensitivity a case already has
 * (only an officer may), and a case whose content nobody can read yet (a recording without a transcription) is
 * unclear and treated as S2 until a focal point reviews it.
 */
import type { Case } from '../cases/case-schema.ts';
import { classify } from '../classification/classify.ts';
import type { ClassificationHints } from '../classification/schema.ts';
import { maxSensitivity, maxUrgency } from '../classification/taxonomy.ts';

/** Evidence entries recorded by the router itself (beside the classifier's own). */
export const ROUTER_EVIDENCE = {
  unheardRecording: 'router:content-not-readable→S2',
  keptSensitivity: 'router:sensitivity-kept',
} as const;

const MAX_EVIDENCE = 50;
const MAX_EVIDENCE_LENGTH = 200;

/** Whether the router should (still) classify this case. */
export function needsClassification(c: Case): boolean {
  const source = c.classification.source;
  return source === 'pending' || (source === 'person' && c.classification.automatic === undefined);
}

/**
 * A case whose content nobody can read yet and about which the person chose nothing: no text, but a recording
 * or other media. (A person's own choice on the IVR or web form says what the case is about, so it is not
 * unclear.)
 */
export function isUnclear(c: Case): boolean {
  return c.classification.source === 'pending' && c.narrative.trim() === '' && c.mediaUrls.length > 0;
}

/** The choices a person made, as classifier hints (a default `none` urgency is not a choice). */
function personHints(c: Case): ClassificationHints {
  const hints: ClassificationHints = { sensitivity: c.sensitivity };
  if (c.type !== null) hints.type = c.type;
  if (c.category !== null) hints.category = c.category;
  if (c.urgency !== 'none') hints.urgency = c.urgency;
  return hints;
}

/** The case with the router's classification applied; call only when {@link needsClassification}. */
export function classifyCase(c: Case): Case {
  const own = classify(c.narrative);
  const byPerson = c.classification.source === 'person';
  const result = byPerson ? classify(c.narrative, personHints(c)) : own;
  const evidence = [...result.evidence];

  let sensitivity = maxSensitivity(result.sensitivity, c.sensitivity);
  let urgency = byPerson ? result.urgency : maxUrgency(result.urgency, c.urgency);
  if (sensitivity !== result.sensitivity) evidence.push(ROUTER_EVIDENCE.keptSensitivity);
  if (isUnclear(c)) {
    sensitivity = maxSensitivity(sensitivity, 'S2');
    urgency = maxUrgency(urgency, 'action');
    evidence.push(ROUTER_EVIDENCE.unheardRecording);
  }

  return {
    ...c,
    type: result.type,
    category: result.category,
    sector: byPerson && c.sector !== null ? c.sector : result.sector,
    sensitivity,
    urgency,
    classification: {
      source: byPerson ? 'person' : 'classifier',
      confidence: result.confidence,
      evidence: evidence.slice(0, MAX_EVIDENCE).map((e) => e.slice(0, MAX_EVIDENCE_LENGTH)),
      automatic: {
        type: own.type,
        category: own.category,
        sensitivity: own.sensitivity,
        urgency: own.urgency,
      },
      changedByOfficer: c.classification.changedByOfficer,
    },
  };
}
