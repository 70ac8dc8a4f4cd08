/**
 * Writes the static public pages into web/public from the same templates the server renders with
 * (functions/public-complaints/pages.ts): one form and one status page per language under `/<lang>/`, and at the
 * root the English form (its script moves a first visitor to their own language) and the English status page.
 * The output is committed, so the local stack and the site upload need no build step; a unit test fails when it
 * is stale. Run `npx tsx web/scripts/build-public.ts` after changing the templates, strings or gazetteer.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formPage, statusPage } from '#functions/public-complaints/pages.ts';
import { PUBLIC_LANGUAGES } from '#functions/public-complaints/strings.ts';

export const PUBLIC_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'public');

/** Every generated page: path under web/public → HTML. */
export function publicPages(): Record<string, string> {
  const pages: Record<string, string> = {
    'index.html': formPage('en', {}, { root: true }),
    'complaint.html': formPage('en', {}, { root: true }),
    'status.html': statusPage('en'),
  };
  for (const lang of PUBLIC_LANGUAGES) {
    pages[`${lang}/index.html`] = formPage(lang);
    pages[`${lang}/status.html`] = statusPage(lang);
  }
  return pages;
}

export function writePublicPages(dir = PUBLIC_DIR): string[] {
  const written: string[] = [];
  for (const [path, html] of Object.entries(publicPages())) {
    const file = join(dir, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${html}\n`);
    written.push(path);
  }
  return written;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const path of writePublicPages()) console.log(`wrote web/public/${path}`);
}
