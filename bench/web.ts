/**
 * Web size budgets: the first load of the heaviest public page (HTML with its inline CSS, plus the shared script,
 * uncompressed) against 50 KB, and the staff console's first load (index.html, entry chunk and CSS, gzip) against
 * 300 KB. The budget is the baseline, so the ratio is the share of the budget used.
 */

import { PUBLIC_LANGUAGES } from '../functions/public-complaints/strings.ts';
import {
  CONSOLE_BUDGET_GZIP_BYTES,
  consoleFirstLoad,
  ensureConsoleBuilt,
  PUBLIC_BUDGET_BYTES,
  publicFirstLoad,
} from '../web/scripts/sizes.ts';
import type { BenchResult } from './types.ts';

const PUBLIC_PAGES = [
  'index.html',
  'status.html',
  ...PUBLIC_LANGUAGES.flatMap((l) => [`${l}/index.html`, `${l}/status.html`]),
];

export async function run(): Promise<BenchResult[]> {
  const heaviest = PUBLIC_PAGES.map((p) => ({ page: p, ...publicFirstLoad(p) })).sort(
    (a, b) => b.bytes - a.bytes,
  )[0];
  ensureConsoleBuilt();
  const consoleLoad = consoleFirstLoad();
  const kb = (bytes: number) => Math.round((bytes / 1024) * 10) / 10;
  return [
    {
      name: `web: public first load (${heaviest?.page}, raw)`,
      value: kb(heaviest?.bytes ?? 0),
      unit: 'KB',
      baseline: PUBLIC_BUDGET_BYTES / 1024,
      ratio: (heaviest?.bytes ?? 0) / PUBLIC_BUDGET_BYTES,
      goal: '< 1.0x (50 KB)',
    },
    {
      name: 'web: console first load (gzip)',
      value: kb(consoleLoad.gzipBytes),
      unit: 'KB',
      baseline: CONSOLE_BUDGET_GZIP_BYTES / 1024,
      ratio: consoleLoad.gzipBytes / CONSOLE_BUDGET_GZIP_BYTES,
      goal: '< 1.0x (300 KB)',
    },
  ];
}
