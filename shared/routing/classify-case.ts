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
 * (only an officer may: shared/classification/sensitivity-change.ts), and a case whose content nobody can read
 * yet (a recording without a transcription) is unclear and treated as S2 until a focal point reviews it.
 *
 * Every text that reaches a case after that is read too, whoever classified the case: a follow-up message or a
 * transcript appended to the narrative (the part not read yet, see `textRead`), an operator's or officer's note.
 * Such a reading may raise the case's sensitivity (and bring the category that explains it), never lower it.
 */
import { type Actor, type Case, type CaseEvent, isRestricted } from '../cases/case-schema.ts';
import type { EventDraft } from '../cases/case-store.ts';
import { classify } from '../classification/classify.ts';
import type { ClassificationHints } from '../classification/schema.ts';
import { decideSensitivity } from '../classification/sensitivity-change.ts';
import { maxSensitivity, maxUrgency } from '../classification/taxonomy.ts';
import { matchPlace } from '../gazetteer/place-matcher.ts';
import { ROUTER_EVIDENCE } from './router-evidence.ts';

/**
 * Where a case without a location is, from the place its text names ("no water in the camp in Zakho"): SMS and
 * WhatsApp arrive with no place, and routing by place, the reports by governorate and the spike counters need one.
 * A case that already has a place (the person's or an operator's choice) keeps it.
 */
function placeOf(c: Case): Case['location'] | undefined {
  if (c.location.governorate || c.location.district) return undefined;
  const found = matchPlace(c.narrative);
  if (!found) return undefined;
  return { governorate: found.governorate, ...(found.district ? { district: found.district } : {}) };
}

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

  let sensitivity = decideSensitivity(c.sensitivity, result.sensitivity, 'automatic').sensitivity;
  let urgency = byPerson ? result.urgency : maxUrgency(result.urgency, c.urgency);
  let basis = result.basis;
  if (sensitivity !== result.sensitivity) {
    evidence.push(ROUTER_EVIDENCE.keptSensitivity);
    basis = 'person';
  }
  if (isUnclear(c)) {
    if (maxSensitivity(sensitivity, 'S2') !== sensitivity) basis = 'caution';
    sensitivity = maxSensitivity(sensitivity, 'S2');
    urgency = maxUrgency(urgency, 'action');
    evidence.push(ROUTER_EVIDENCE.unheardRecording);
  }

  const location = placeOf(c);
  if (location) evidence.push(ROUTER_EVIDENCE.placeFromText);

  return {
    ...c,
    ...(location ? { location } : {}),
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
      basis,
      textRead: c.narrative.length,
      ...(isRestricted(sensitivity) ? { restrictedBasis: basis } : {}),
    },
  };
}

/**
 * How much of the narrative was read: a case classified before the platform kept count was read whole when an
 * officer decided it (their decision stands on what they read), and not at all otherwise.
 */
const narrativeRead = (c: Case): number =>
  c.classification.textRead ?? (c.classification.source === 'officer' ? c.narrative.length : 0);

/** Whether text was appended to the narrative of a classified case since the platform last read it. */
export function hasUnreadText(c: Case): boolean {
  return !needsClassification(c) && c.narrative.length > narrativeRead(c);
}

/**
 * The classification of an added text. Explicit words and the caution rule are read in the added text alone
 * (they name what happened, however short the text); the learned model, which reads a few words of a follow-up
 * alone far less reliably than the message they follow ("we still have nothing and the children are hungry"),
 * restricts only as far as it also does on the whole text the person has written so far.
 */
function readInContext(added: string, whole: string) {
  const alone = classify(added);
  if (alone.basis !== 'model') return alone;
  const inContext = classify(whole);
  return maxSensitivity(inContext.sensitivity, alone.sensitivity) === alone.sensitivity ? inContext : alone;
}

/** Where a text read after classification came from (recorded on the timeline; never the text itself). */
export type TextOrigin = 'narrative' | 'note';

export interface TextReading {
  next: Case;
  /** A `reclassified` entry when the reading raised the case. */
  event?: EventDraft;
}

/**
 * Reads one text that reached an already classified case: the narrative's unread part (`origin: 'narrative'`,
 * `text` omitted), or a note. The case comes back raised when the text shows more than the case has, with a
 * `reclassified` entry for the timeline (codes only: the classifier's basis and reasons, never words); never
 * lowered. The only function through which later text changes a case's classification.
 */
export function readAddedText(c: Case, origin: TextOrigin, actor: Actor, text?: string): TextReading {
  const read = narrativeRead(c);
  const added = origin === 'narrative' ? c.narrative.slice(read) : (text ?? '');
  const base: Case =
    origin === 'narrative'
      ? { ...c, classification: { ...c.classification, textRead: c.narrative.length } }
      : c;
  if (added.trim() === '') return { next: base };
  const result = readInContext(added, origin === 'narrative' ? c.narrative : `${c.narrative}\n\n${added}`);
  const decision = decideSensitivity(c.sensitivity, result.sensitivity, 'automatic');
  if (decision.direction !== 'raised') return { next: base };
  const category = result.category ?? c.category;
  const urgency = maxUrgency(c.urgency, result.urgency);
  const restricted = isRestricted(decision.sensitivity);
  const { lifted: _lifted, ...kept } = base.classification;
  const next: Case = {
    ...base,
    sensitivity: decision.sensitivity,
    category,
    urgency,
    classification: {
      // A restriction lifted before is gone once the platform restricts the case again on new words.
      ...(restricted ? kept : base.classification),
      // The platform's own answer is now this one, so an officer who lowers it again counts as changing it.
      automatic: {
        type: c.classification.automatic?.type ?? c.type ?? 'complaint',
        category,
        sensitivity: decision.sensitivity,
        urgency,
      },
      ...(restricted ? { restrictedBasis: result.basis } : {}),
      basis: result.basis,
      evidence: [...c.classification.evidence, ...result.reasons.map((r) => `raised:${r}`)]
        .slice(-MAX_EVIDENCE)
        .map((e) => e.slice(0, MAX_EVIDENCE_LENGTH)),
    },
  };
  return {
    next,
    event: {
      type: 'reclassified',
      actor,
      data: {
        kind: 'raised',
        by: 'classifier',
        origin,
        basis: result.basis,
        reasons: result.reasons.slice(0, 10),
        before: { sensitivity: c.sensitivity, category: c.category },
        after: { sensitivity: next.sensitivity, category: next.category },
      },
    },
  };
}

/**
 * Roles whose notes the platform reads: the people who write what a caller said. A PSEA focal point's notes are
 * a reviewer's words about a case she may have just lowered (often restating the allegation), so they are not
 * read, nor an administrator's break-glass reason.
 */
const READ_NOTE_ROLES = new Set(['operator', 'officer']);

/** The staff text a timeline entry adds to its case, when the platform should read it (a note, a callback note). */
export function addedStaffText(event: CaseEvent): string | undefined {
  if (event.type !== 'note' && event.type !== 'callback_requested') return undefined;
  if (event.actor.kind !== 'staff' || !READ_NOTE_ROLES.has(event.actor.role ?? '')) return undefined;
  if (event.data?.kind === 'break_glass') return undefined;
  const text = event.reason?.trim();
  return text ? text : undefined;
}
