import { describe, expect, it } from 'vitest';
import { PUBLIC_CSS } from '#functions/public-complaints/pages.ts';

/** WCAG 2 relative luminance and contrast ratio of two #rrggbb colours. */
function luminance(hex: string): number {
  const channels = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16) / 255);
  const [r = 0, g = 0, b = 0] = channels.map((c) =>
    c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4,
  );
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
const contrast = (a: string, b: string) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
};

/** The declarations of one rule of the public style sheet. */
const rule = (selector: string): string => {
  const start = PUBLIC_CSS.indexOf(`${selector}{`);
  expect(start, selector).toBeGreaterThanOrEqual(0);
  return PUBLIC_CSS.slice(start + selector.length + 1, PUBLIC_CSS.indexOf('}', start));
};
const colour = (decls: string, prop: string): string => {
  const m = new RegExp(`(?:^|;)${prop}:(#[0-9a-f]{6}|#fff)\\b`).exec(decls);
  expect(m, `${prop} in ${decls}`).not.toBeNull();
  const c = m?.[1] ?? '';
  return c === '#fff' ? '#ffffff' : c;
};

describe('public pages: contrast and type size', () => {
  const page = colour(rule('body'), 'background');
  const text = colour(rule('body'), 'color');

  it('body text, hints, errors and fields reach 4.5:1', () => {
    expect(contrast(text, page)).toBeGreaterThanOrEqual(4.5);
    expect(contrast(colour(rule('.hint'), 'color'), page)).toBeGreaterThanOrEqual(4.5);
    expect(contrast(colour(rule('.opt'), 'color'), page)).toBeGreaterThanOrEqual(4.5);
    expect(contrast(colour(rule('.error'), 'color'), page)).toBeGreaterThanOrEqual(4.5);
  });

  it('the header, buttons and copy buttons reach 4.5:1', () => {
    const header = rule('header');
    expect(contrast(colour(header, 'color'), colour(header, 'background'))).toBeGreaterThanOrEqual(4.5);
    const button = rule('button,.button');
    expect(contrast(colour(button, 'color'), colour(button, 'background'))).toBeGreaterThanOrEqual(4.5);
    const copy = rule('.copy');
    expect(contrast(colour(copy, 'color'), colour(copy, 'background'))).toBeGreaterThanOrEqual(4.5);
    expect(contrast('#ffffff', colour(rule('button[disabled]'), 'background'))).toBeGreaterThanOrEqual(4.5);
  });

  it('the focus ring stands out from the page (3:1 for non-text)', () => {
    const focus = /outline:3px solid (#[0-9a-f]{6})/.exec(rule(':focus-visible'))?.[1] ?? '';
    expect(contrast(focus, page)).toBeGreaterThanOrEqual(3);
  });

  it('sets body text at 18px and controls at 48px high', () => {
    expect(rule('body')).toMatch(/font:1\.125rem\//);
    expect(rule('button,.button')).toContain('min-height:48px');
    expect(PUBLIC_CSS).toMatch(/textarea\{display:block;width:100%;[^}]*min-height:48px/);
  });
});
