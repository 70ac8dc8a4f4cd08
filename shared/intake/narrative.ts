/** The case narrative's limit in the case schema. */
export const NARRATIVE_LIMIT = 5000;

/**
 * A later message from the complainant (a follow-up SMS, a transcribed voice message) added to a case's narrative,
 * after a blank line. The narrative is where personal text lives (events carry none), and it stays within the
 * schema's limit: the earliest text is kept whole and the overflow of the newest is cut.
 */
export function appendNarrative(narrative: string, text: string): string {
  const addition = text.trim();
  if (!addition) return narrative;
  const joined = narrative ? `${narrative}\n\n${addition}` : addition;
  return joined.slice(0, NARRATIVE_LIMIT);
}
