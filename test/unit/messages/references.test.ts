import { describe, expect, it } from 'vitest';
import { findReferences } from '#shared/messages/references.ts';

const refs = (text: string) => findReferences(text).tokens.map((t) => t.candidates);

describe('finding references in what people type', () => {
  it.each([
    ['K7MQ-4XZ9', 'as printed'],
    ['k7mq-4xz9', 'in lower case'],
    ['K7MQ4XZ9', 'without the dash'],
    ['k7mq 4xz9', 'with a space for the dash'],
    ['K7MQ – 4XZ9', 'with an en dash and spaces'],
    ['K٧MQ-٤XZ٩', 'with Arabic-Indic digits'],
    ['K۷MQ-۴XZ۹', 'with Persian digits'],
    ['حالة K7MQ-4XZ9؟', 'inside Arabic text'],
    ['status of case k7mq 4xz9 please', 'after a four-letter word'],
  ])('reads %j (%s)', (text) => {
    expect(refs(text)).toEqual([['K7MQ-4XZ9']]);
  });

  it('reads the look-alikes the alphabet leaves out as every symbol they may stand for', () => {
    expect(refs('K7MO-4XZ9')).toEqual([['K7MQ-4XZ9', 'K7MD-4XZ9']]);
    expect(refs('K7M0-4XZ9')).toEqual([['K7MQ-4XZ9', 'K7MD-4XZ9']]);
    expect(refs('KUMQ-4XZ9')).toEqual([['KVMQ-4XZ9']]);
    expect(refs('K1MQ-4XZ9')).toEqual([['KJMQ-4XZ9', 'K7MQ-4XZ9']]);
    // More than two look-alikes: a word, not a mistyped reference.
    expect(refs('LOUI-4XZ9')).toEqual([]);
  });

  it('tells a token that looks like a reference on its own from two four-letter words', () => {
    const [digit] = findReferences('see k7mq 4xz9').tokens;
    expect(digit?.strong).toBe(true);
    const [dashed] = findReferences('ABCD-EFGH').tokens;
    expect(dashed?.strong).toBe(true);
    const [words] = findReferences('we have been waiting').tokens;
    expect(words).toEqual({ candidates: ['HAVE-BEEN'], strong: false });
  });

  it('gives back what the message says besides its references', () => {
    expect(findReferences('K7MQ-4XZ9 the tank is still empty').rest).toBe('the tank is still empty');
    expect(findReferences('no reference here').rest).toBe('no reference here');
    expect(findReferences('no reference here').tokens).toEqual([]);
  });

  it('reads several references, and none inside longer words', () => {
    expect(refs('K7MQ-4XZ9 and 2345-6789')).toEqual([['K7MQ-4XZ9'], ['2345-6789']]);
    expect(refs('XK7MQ-4XZ9')).toEqual([]);
    expect(refs('DISTRIBUTION')).toEqual([]);
  });
});
