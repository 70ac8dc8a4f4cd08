import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const web = dirname(fileURLToPath(import.meta.url));
const root = resolve(web, '..');

/**
 * The staff console: `npm run build:web` (vite build --config web/vite.config.ts) writes web/dist, which the local
 * stack serves at /console/ and the deploy uploads next to the public pages. web/public holds the public pages
 * (served at /), not console assets, so Vite's public-dir copying is off.
 */
export default defineConfig({
  root: web,
  base: '/console/',
  publicDir: false,
  resolve: {
    alias: [{ find: /^#shared\/(.*)$/, replacement: `${resolve(root, 'shared')}/$1` }],
  },
  build: {
    outDir: resolve(web, 'dist'),
    emptyOutDir: true,
    target: 'es2020',
    sourcemap: false,
    reportCompressedSize: false,
  },
  server: {
    proxy: {
      '/api': 'http://localhost:3000',
      '/dev': 'http://localhost:3000',
      '/webhooks': 'http://localhost:3000',
    },
  },
});
