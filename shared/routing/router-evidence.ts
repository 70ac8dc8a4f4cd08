/**
 * Evidence entries recorded by the router itself (beside the classifier's own), in a module of their own so that
 * the console, which says each in words, does not bundle the classifier with them.
 */
export const ROUTER_EVIDENCE = {
  unheardRecording: 'router:content-not-readable→S2',
  keptSensitivity: 'router:sensitivity-kept',
  placeFromText: 'router:place-from-text',
} as const;
