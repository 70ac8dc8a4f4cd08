import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { costPer10k, type MeasuredPerCase, PRICES } from '../../bench/cost-model.ts';

/**
 * docs/cost.md's "AWS per 10,000 cases" table is the cost model applied to what `npm run bench:cost -- --write`
 * measured (bench/cost-measured.json): every line's quantity and dollars, and the total, as printed there.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DOC = readFileSync(`${ROOT}/docs/cost.md`, 'utf8');
const MEASURED = JSON.parse(readFileSync(`${ROOT}/bench/cost-measured.json`, 'utf8')) as MeasuredPerCase;

/** The rows of the doc's per-10,000-cases table: `| item | quantity unit | $x.xx |`. */
function tableRows(): Map<string, { quantity: string; usd: string }> {
  const start = DOC.indexOf('<!-- cost-table -->');
  const end = DOC.indexOf('<!-- /cost-table -->');
  expect(start, 'docs/cost.md marks its measured table').toBeGreaterThan(0);
  const rows = new Map<string, { quantity: string; usd: string }>();
  for (const line of DOC.slice(start, end).split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 5 || (!cells[3]?.startsWith('$') && !cells[3]?.startsWith('**$'))) continue;
    rows.set((cells[1] as string).replace(/\*/g, ''), {
      quantity: (cells[2] as string).replace(/\*/g, ''),
      usd: (cells[3] as string).replace(/\*/g, ''),
    });
  }
  return rows;
}

const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 2 });

describe('docs/cost.md', () => {
  const { lines, total } = costPer10k(MEASURED);
  const rows = tableRows();

  it('prints every line of the cost model, with its quantity and dollars', () => {
    expect(lines.length).toBeGreaterThan(8);
    for (const l of lines) {
      const row = rows.get(l.item);
      expect(row, `docs/cost.md has a row for ${l.item}`).toBeDefined();
      expect(row?.quantity).toBe(`${fmt(l.quantity)} ${l.unit}`);
      expect(row?.usd).toBe(`$${l.usd.toFixed(2)}`);
    }
  });

  it('gives the total the model computes, within the goal of $5 per 10,000 cases', () => {
    expect(rows.get('AWS per 10,000 cases')?.usd).toBe(`$${total.toFixed(2)}`);
    expect(DOC).toContain(`**$${total.toFixed(2)}**`);
    expect(total).toBeLessThanOrEqual(5);
  });

  it('says which region the prices are for and how many cases were measured', () => {
    expect(DOC).toContain(PRICES.region);
    expect(DOC).toContain(`${MEASURED.cases} cases`);
  });
});
