import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/**
 * The README's "Classifier" section: its commands run as printed (through `npm run`, in a shell), and the figures
 * it gives are the ones `npm run eval:classifier` prints now, to the digit.
 */

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const run = promisify(execFile);
const README = readFileSync(`${ROOT}/README.md`, 'utf8');
const SECTION = README.slice(README.indexOf('## Classifier'), README.indexOf('## Known limits'));
const COMMANDS = (/```sh\n([\s\S]*?)```/.exec(SECTION)?.[1] ?? '').split('\n');

async function shell(command: string): Promise<string> {
  const { stdout } = await run('sh', ['-c', command], { cwd: ROOT, maxBuffer: 1 << 24 });
  return stdout;
}

/** The README command line that starts with `start` (with its trailing comment, as a reader would paste it). */
function command(start: string): string {
  const line = COMMANDS.find((l) => l.startsWith(start));
  expect(line, `README's Classifier block has a line starting "${start}"`).toBeDefined();
  return line as string;
}

describe('README: the classifier examples, run as printed', () => {
  const examples = COMMANDS.filter((l) => l.startsWith('echo '));

  it('prints the distributor asking for money as fraud, restricted on a rule (C06, S2)', async () => {
    const distributor = examples.find((l) => l.includes('والموزع طلب منا مالاً'));
    expect(distributor).toBeDefined();
    const printed = (await shell(distributor as string)).trim().split('\n');
    expect(printed).toHaveLength(1);
    expect(JSON.parse(printed[0] as string)).toMatchObject({
      language: 'ar',
      script: 'arabic',
      type: 'complaint',
      category: 'C06',
      sensitivity: 'S2',
      basis: 'explicit',
    });
  }, 120_000);

  it('prints the water cut in the camp as a service complaint (C03, S0)', async () => {
    const water = examples.find((l) => l.includes('الماء مقطوع في المخيم منذ ثلاثة أيام'));
    expect(water).toBeDefined();
    const printed = (await shell(water as string)).trim().split('\n');
    expect(printed).toHaveLength(1);
    expect(JSON.parse(printed[0] as string)).toMatchObject({
      language: 'ar',
      type: 'complaint',
      category: 'C03',
      sector: 'basic_services',
      sensitivity: 'S0',
      basis: 'none',
    });
  }, 120_000);
});

/** The README's name for each group `npm run eval:classifier` prints, in the order of the README's table. */
const README_LABELS: Readonly<Record<string, string>> = {
  all: '**all**',
  ar: 'Arabic',
  ckb: 'Sorani',
  kmr: 'Kurmanji/Badini',
  en: 'English',
  msa: 'Arabic, MSA',
  iraqi: 'Arabic, Iraqi dialect',
  arabizi: 'Arabizi (Latin letters, digits)',
  'sorani-keyboard': 'Sorani, Kurdish keyboard',
  'arabic-keyboard': 'Sorani, Arabic keyboard',
  'latin-diacritics': 'Kurmanji, Latin with ç ş ê î û',
  'latin-plain': 'Kurmanji, Latin without',
  'arabic-script': 'Badini, Arabic script',
  short: 'four words or fewer',
  euphemism: 'euphemism',
  'code-switch': 'code-switching',
};

const FIGURE = String.raw`(\d\.\d{3}|n/a)(!?)`;
/** A row of the printed goal tables: group, messages, S3, S2, restricted precision (each with its count), F1, language. */
const GOAL_ROW = new RegExp(
  String.raw`^ {2}(\S+) +(\d+) +${FIGURE} +\((\d+)\) +${FIGURE} +\((\d+)\) +${FIGURE} +\((\d+)\) +${FIGURE} +${FIGURE} *$`,
);

/** The goal rows `npm run eval:classifier` printed, in order. */
function goalRows(printed: string): RegExpExecArray[] {
  return printed
    .split('\n')
    .map((line) => GOAL_ROW.exec(line))
    .filter((m) => m !== null);
}

/** The README's table row for a printed goal row: below-goal figures (marked `!`) in bold, as the README says. */
function readmeRow(printed: RegExpExecArray): string {
  const [, group, messages, s3, s3Low, s3n, s2, s2Low, s2n, prec, precLow, , f1, f1Low, lang, langLow] =
    printed;
  const cell = (value?: string, low?: string) => (low === '!' ? `**${value}**` : `${value}`);
  const label = README_LABELS[group as string];
  expect(label, `the README has a name for the printed group ${group}`).toBeDefined();
  return `| ${label} | ${messages} | ${cell(s3, s3Low)} (${s3n}) | ${cell(s2, s2Low)} (${s2n}) | ${cell(prec, precLow)} | ${cell(f1, f1Low)} | ${cell(lang, langLow)} |`;
}

/** The body rows of the README table whose header row starts with `header`. */
function tableAfter(header: string): string[] {
  const lines = SECTION.split('\n');
  const start = lines.findIndex((l) => l.startsWith(header));
  expect(start, `README's Classifier section has a table "${header}"`).toBeGreaterThanOrEqual(0);
  const body: string[] = [];
  for (let i = start + 2; i < lines.length && lines[i]?.startsWith('| '); i++) body.push(lines[i] as string);
  return body;
}

/** A printed percentage ("93.1%") as the README writes it ("0.931"). */
const share = (printed: string, label: string): string => {
  const value = new RegExp(String.raw`^ {2}${label} +(\d+\.\d)%`, 'm').exec(printed)?.[1];
  expect(value, `printed ${label}`).toBeDefined();
  return (Number(value) / 100).toFixed(3);
};

describe('README: the classifier figures are what npm run eval:classifier prints', () => {
  const prose = SECTION.replace(/\s+/g, ' ');

  it('has the printed goal table, every group, in order, with what misses its goal in bold', async () => {
    const printed = await shell(command('npm run eval:classifier '));
    const rows = goalRows(printed);
    expect(rows.map((m) => m[1])).toEqual(Object.keys(README_LABELS));

    expect(tableAfter('| group |')).toEqual(rows.map(readmeRow));
    expect(prose).toContain(`**Figures on the held-out part** (${rows[0]?.[2]} messages:`);

    const typeF1 = /^ {2}type macro-F1 +(\d\.\d{3})/m.exec(printed)?.[1];
    expect(prose).toContain(
      `Feedback type macro-F1 ${typeF1}; S3 precision ${share(printed, 'S3 recall .*S3 precision')}.`,
    );

    const basis = (name: string) => {
      const m = new RegExp(String.raw`^ {2}${name} +(\d+) +\((\d+) not in gold\)`, 'm').exec(printed);
      expect(m, `printed basis ${name}`).not.toBeNull();
      return { restricted: Number(m?.[1]), wrong: Number(m?.[2]) };
    };
    const [explicit, caution, model] = [basis('explicit'), basis('caution'), basis('model')];
    const restricted = /^ {2}restricted precision .*\((\d+) predicted S2 or S3\)/m.exec(printed)?.[1];
    const all = rows[0] as RegExpExecArray;
    const unrestricted = Number(all[2]) - Number(all[5]) - Number(all[8]);
    const wronglyRestricted = ((100 * (explicit.wrong + caution.wrong + model.wrong)) / unrestricted).toFixed(
      1,
    );
    expect(prose).toContain(
      `Of the ${restricted} messages restricted, ${explicit.restricted} were restricted by the rules ` +
        `(${explicit.wrong} not restricted in gold), ${caution.restricted} by caution (${caution.wrong} not) and ` +
        `${model.restricted} by the model (${model.wrong} not); ${wronglyRestricted} % of the ${unrestricted} ` +
        'unrestricted messages were restricted.',
    );
  }, 120_000);

  // Groups without messages in these sets are not printed; the others keep the README's order.
  it.each([
    ['fresh', '| group (fresh part) |', '(`data/classifier/fresh.jsonl`, {n} messages:'],
    ['summaries', "| group (operators' summaries) |", '(`data/classifier/summaries.jsonl`, {n} messages,'],
  ])(
    'has the %s goal table as npm run eval:classifier -- --set prints it (%s)',
    async (set, header, sentence) => {
      const printed = await shell(command(`npm run eval:classifier -- --set ${set}`));
      expect(printed).toContain(`set: ${set}`);
      const rows = goalRows(printed);
      const order = Object.keys(README_LABELS);
      const positions = rows.map((m) => order.indexOf(m[1] as string));
      expect(positions.every((p, i) => p >= 0 && (i === 0 || p > (positions[i - 1] as number)))).toBe(true);
      expect(rows.length).toBeGreaterThanOrEqual(10);
      expect(tableAfter(header)).toEqual(rows.map(readmeRow));
      expect(prose).toContain(sentence.replace('{n}', String(rows[0]?.[2])));
    },
    120_000,
  );

  it.each([
    ['field', 'data/classifier/field.jsonl'],
    ['final', 'data/classifier/final.jsonl'],
  ])(
    'has the %s held-out part’s goal table as npm run eval:classifier -- --set prints it (%s)',
    async (set, file) => {
      const printed = await shell(command(`npm run eval:classifier -- --set ${set}`));
      expect(printed).toContain(`set: ${set}`);
      const rows = goalRows(printed);
      expect(rows.map((m) => m[1])).toEqual(Object.keys(README_LABELS));
      expect(tableAfter(`| group (${set} part) |`)).toEqual(rows.map(readmeRow));
      expect(prose).toContain(`(\`${file}\`, ${rows[0]?.[2]} messages,`);
    },
    120_000,
  );

  it('has the ordinary messages restricted for nothing, per language, as printed', async () => {
    const printed = await shell(command('npm run eval:classifier '));
    const block = printed.slice(printed.indexOf('Ordinary messages ('));
    const rows = block
      .split('\n')
      .map((line) =>
        /^ {2}(all|ar|ckb|kmr|en) +(\d+) +(\d\.\d{3}) \((\d+)\) +(\d\.\d{3}) \((\d+)\)$/.exec(line),
      )
      .filter((m) => m !== null);
    expect(rows.map((m) => m[1])).toEqual(['all', 'ar', 'ckb', 'kmr', 'en']);
    const names: Readonly<Record<string, string>> = {
      all: 'all',
      ar: 'Arabic',
      ckb: 'Sorani',
      kmr: 'Kurmanji/Badini',
      en: 'English',
    };
    expect(tableAfter('| language | messages | restricted')).toEqual(
      rows.map(
        ([, g, n, r, rn, s3, s3n]) => `| ${names[g as string]} | ${n} | ${r} (${rn}) | ${s3} (${s3n}) |`,
      ),
    );
  }, 120_000);

  it('gives the rules and caution alone as npm run eval:classifier -- --without-model prints them', async () => {
    const printed = await shell(command('npm run eval:classifier -- --without-model'));
    expect(printed).toContain('rules alone (no model)');
    expect(prose).toContain(
      `The rules and caution alone: S3 recall ${share(printed, 'S3 recall')}, S2 ${share(printed, 'S2 recall')}, ` +
        `restricted precision ${share(printed, 'restricted precision')}.`,
    );
  }, 120_000);
});
