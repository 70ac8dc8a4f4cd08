import { useState } from 'preact/hooks';

/**
 * What a person has typed into a case's forms, kept outside the components so that reloading the case (after a
 * 409, or a refresh of the data) never throws their words away. Cleared field by field once a write succeeds.
 */
const drafts = new Map<string, Map<string, string>>();

export function useDraft(caseId: string, field: string, initial = ''): [string, (v: string) => void] {
  const kept = drafts.get(caseId)?.get(field);
  const [value, setValue] = useState(kept ?? initial);
  const set = (v: string) => {
    let forCase = drafts.get(caseId);
    if (!forCase) {
      forCase = new Map();
      drafts.set(caseId, forCase);
    }
    forCase.set(field, v);
    setValue(v);
  };
  return [value, set];
}

/** Forgets fields once what they held has been saved. */
export function clearDrafts(caseId: string, ...fields: string[]): void {
  const forCase = drafts.get(caseId);
  for (const f of fields) forCase?.delete(f);
}
