/**
 * Writes the KoboToolbox field form programmes copy: docs/kobo/complaint-form.xlsx (the XLSForm to upload to a Kobo
 * project) and the same sheets as CSV beside it, for review. `npm run build:kobo-form`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { csv, koboFormSheets } from './lib/kobo-form.ts';
import { xlsx } from './lib/xlsx.ts';

const KOBO_FORM_DIR = resolve(fileURLToPath(new URL('../docs/kobo', import.meta.url)));

const sheets = koboFormSheets();
mkdirSync(KOBO_FORM_DIR, { recursive: true });
writeFileSync(join(KOBO_FORM_DIR, 'complaint-form.xlsx'), xlsx(sheets));
for (const sheet of sheets)
  writeFileSync(join(KOBO_FORM_DIR, `complaint-form.${sheet.name}.csv`), csv(sheet));
console.log(`Wrote ${KOBO_FORM_DIR}/complaint-form.xlsx and its ${sheets.length} sheets as CSV`);
