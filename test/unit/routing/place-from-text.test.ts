/** The router gives a case without a place the one its text names, and never moves a case that has one. */
import { describe, expect, it } from 'vitest';
import { classifyCase } from '#shared/routing/classify-case.ts';
import { ROUTER_EVIDENCE } from '#shared/routing/router-evidence.ts';
import { makeCase } from './fixtures.ts';

describe('a place read from the text', () => {
  it('an SMS naming Zakho, in Kurmanji, is placed in Zakho district, Duhok', () => {
    const c = classifyCase(makeCase({ narrative: 'av tune li kampê li Zaxo' }));
    expect(c.location).toEqual({ governorate: 'IQG09', district: 'IQG09Q04' });
    expect(c.classification.evidence).toContain(ROUTER_EVIDENCE.placeFromText);
  });

  it('a case whose place someone chose keeps it, whatever the text names', () => {
    const c = classifyCase(
      makeCase({ narrative: 'av tune li kampê li Zaxo', location: { governorate: 'IQG15' } }),
    );
    expect(c.location).toEqual({ governorate: 'IQG15' });
    expect(c.classification.evidence).not.toContain(ROUTER_EVIDENCE.placeFromText);
  });

  it('a text that names no place leaves the case without one', () => {
    const c = classifyCase(
      makeCase({ narrative: 'The water tank in our street has been broken for a week' }),
    );
    expect(c.location).toEqual({});
  });
});
