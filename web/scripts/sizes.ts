/**
 * First-load sizes of the public pages and of the staff console, for the size-budget test and the benchmark.
 * A page's first load is its HTML plus every script, style sheet and module preload it references from this site.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { publicPages } from './build-public.ts';

const WEB = join(dirname(fileURLToPath(import.meta.url)), '..');
export const PUBLIC_BUDGET_BYTES = 50 * 1024;
export const CONSOLE_BUDGET_GZIP_BYTES = 300 * 1024;

export interface FirstLoad {
  files: string[];
  /** Uncompressed bytes. */
  bytes: number;
  /** Bytes after gzip (level 9), file by file, as a server or CDN would send them. */
  gzipBytes: number;
}

/** Local assets an HTML page pulls in on load: scripts, style sheets and module preloads. */
function referencedAssets(html: string): string[] {
  const refs = [
    ...html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g),
    ...html.matchAll(/<link\b[^>]*\brel="(?:stylesheet|modulepreload)"[^>]*\bhref="([^"]+)"/g),
    ...html.matchAll(/<link\b[^>]*\bhref="([^"]+)"[^>]*\brel="(?:stylesheet|modulepreload)"/g),
  ].map((m) => m[1] ?? '');
  return [...new Set(refs.filter((r) => r.startsWith('/') && !r.startsWith('//')))];
}

function measure(
  page: { name: string; html: Buffer },
  root: string,
  assetPath: (ref: string) => string,
): FirstLoad {
  const assets = referencedAssets(page.html.toString('utf8')).map(assetPath);
  const contents = [page.html, ...assets.map((file) => readFileSync(file))];
  let bytes = 0;
  let gzipBytes = 0;
  for (const content of contents) {
    bytes += content.length;
    gzipBytes += gzipSync(content, { level: 9 }).length;
  }
  return { files: [page.name, ...assets.map((f) => f.slice(root.length + 1))], bytes, gzipBytes };
}

/** Every channel with a number: the heaviest footer a deployment can give the public pages. */
const ALL_NUMBERS = { sms: '+9647000000000', hotline: '+9647000000001', whatsapp: '+9647000000002' };

/**
 * The first load of one public page (`ar/index.html`), as rendered with every public number set: the page and
 * `/assets/public.js`.
 */
export function publicFirstLoad(path: string): FirstLoad {
  const root = join(WEB, 'public');
  const html = publicPages(ALL_NUMBERS)[path];
  if (html === undefined) throw new Error(`no public page ${path}`);
  return measure({ name: path, html: Buffer.from(`${html}\n`) }, root, (ref) => join(root, ref));
}

/** The console's first load: web/dist/index.html and the entry chunk, CSS and preloaded chunks it names. */
export function consoleFirstLoad(): FirstLoad {
  const root = join(WEB, 'dist');
  return measure({ name: 'index.html', html: readFileSync(join(root, 'index.html')) }, root, (ref) =>
    join(root, ref.replace(/^\/console\//, '')),
  );
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds the console (`vite build`) when web/dist is missing or older than its sources. */
export function ensureConsoleBuilt(): void {
  const built = join(WEB, 'dist', 'index.html');
  const sources = Math.max(newestMtime(join(WEB, 'src')), statSync(join(WEB, 'vite.config.ts')).mtimeMs);
  if (existsSync(built) && statSync(built).mtimeMs >= sources) return;
  execFileSync(
    process.execPath,
    [
      join(WEB, '..', 'node_modules', 'vite', 'bin', 'vite.js'),
      'build',
      '--config',
      join(WEB, 'vite.config.ts'),
      '--logLevel',
      'warn',
    ],
    {
      cwd: join(WEB, '..'),
      stdio: 'inherit',
    },
  );
}
