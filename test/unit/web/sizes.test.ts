import { beforeAll, describe, expect, it } from 'vitest';
import {
  CONSOLE_BUDGET_GZIP_BYTES,
  consoleFirstLoad,
  ensureConsoleBuilt,
  PUBLIC_BUDGET_BYTES,
  publicFirstLoad,
} from '../../../web/scripts/sizes.ts';

describe('size budgets', () => {
  beforeAll(() => {
    ensureConsoleBuilt();
  }, 120_000);

  it('keeps the console first load (HTML, entry script and CSS) under 300 KB gzip', () => {
    const load = consoleFirstLoad();
    expect(load.files.some((f) => f.endsWith('.js'))).toBe(true);
    expect(load.files.some((f) => f.endsWith('.css'))).toBe(true);
    expect(load.gzipBytes).toBeGreaterThan(10 * 1024);
    expect(load.gzipBytes).toBeLessThan(CONSOLE_BUDGET_GZIP_BYTES);
  });

  it('counts the public page’s script in its first load, and stays under 50 KB uncompressed', () => {
    const load = publicFirstLoad('ar/index.html');
    expect(load.files).toEqual(['ar/index.html', 'assets/public.js']);
    expect(load.bytes).toBeLessThan(PUBLIC_BUDGET_BYTES);
  });
});
