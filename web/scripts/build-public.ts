/**
 * The public site: one form and one status page per language under `/<lang>/`, and at the root the English form
 * (its script moves a first visitor to their own language) and the English status page, rendered from the same
 * templates the server answers browsers with (functions/public-complaints/pages.ts), plus the files in
 * web/public (the script and the icons).
 *
 * The pages are rendered with the deployment's public numbers, so they are not committed: the local stack
 * renders them at start with its own numbers, and the CDK app at synth with the stage's. To write a copy
 * somewhere (to look at, or to upload by hand):
 *
 *     PUBLIC_SMS_NUMBER=+9647… PUBLIC_HOTLINE_NUMBER=… npx tsx web/scripts/build-public.ts <folder>
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type PublicNumbers, publicNumbersFromEnv } from '#functions/public-complaints/contact.ts';
import { formPage, statusPage } from '#functions/public-complaints/pages.ts';
import { PUBLIC_LANGUAGES } from '#functions/public-complaints/strings.ts';

/** The public site's static files (script, icons): served and uploaded as they are. */
export const PUBLIC_ASSETS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'public');

/** Every rendered page: path under the site root → HTML. */
export function publicPages(numbers: PublicNumbers): Record<string, string> {
  const site = { numbers };
  const pages: Record<string, string> = {
    'index.html': formPage('en', { ...site, root: true }),
    // Linked as `/complaint`: CloudFront's viewer-request function and the local stack serve it from this file.
    'complaint.html': formPage('en', { ...site, root: true }),
    'status.html': statusPage('en', site),
  };
  for (const lang of PUBLIC_LANGUAGES) {
    pages[`${lang}/index.html`] = formPage(lang, site);
    pages[`${lang}/status.html`] = statusPage(lang, site);
  }
  return pages;
}

/**
 * The page a request path names, as a static host serves folders: `/` and `/ar/` are their `index.html`,
 * `/complaint` is `complaint.html`, `/ar/status.html` is itself.
 */
export function publicPageKey(pages: Record<string, string>, pathname: string): string | undefined {
  const rel = pathname.replace(/^\/+/, '').replace(/\/+$/, '');
  const candidates = rel === '' ? ['index.html'] : [rel, `${rel}.html`, `${rel}/index.html`];
  return candidates.find((c) => Object.hasOwn(pages, c));
}

/** Writes the pages and the static files (from `assetsDir`) into `dir`: a whole public site. */
export function writePublicSite(
  dir: string,
  numbers: PublicNumbers,
  assetsDir: string = PUBLIC_ASSETS_DIR,
): string[] {
  cpSync(assetsDir, dir, { recursive: true });
  const written: string[] = [];
  for (const [path, html] of Object.entries(publicPages(numbers))) {
    const file = join(dir, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${html}\n`);
    written.push(path);
  }
  return written;
}

/**
 * The whole public site for a deployment's numbers, in a fresh folder (the CDK app uploads it at synth), or
 * undefined when the static files are not where `assetsDir` says (a synth without the web folder deploys no pages).
 */
export function renderPublicSite(
  numbers: PublicNumbers,
  assetsDir: string = PUBLIC_ASSETS_DIR,
): string | undefined {
  if (!existsSync(assetsDir)) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'cfm-public-site-'));
  writePublicSite(dir, numbers, assetsDir);
  return dir;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const target = process.argv[2];
  if (!target) {
    console.error('usage: npx tsx web/scripts/build-public.ts <folder>');
    process.exit(2);
  }
  const dir = resolve(target);
  for (const path of writePublicSite(dir, publicNumbersFromEnv())) console.log(`wrote ${join(dir, path)}`);
}
