import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GAZETTEER_PACK } from '#shared/gazetteer/gazetteer.data.ts';
import { packGazetteer, unpackGazetteer } from '#shared/gazetteer/gazetteer-pack.ts';

const jsonFile = new URL('../../../data/gazetteer/iraq-admin.json', import.meta.url);

describe('the packed gazetteer the Lambdas carry', () => {
  it('holds exactly the committed JSON file (run `npm run build:gazetteer-pack` when this fails)', () => {
    expect(unpackGazetteer(GAZETTEER_PACK)).toEqual(JSON.parse(readFileSync(jsonFile, 'utf8')));
  });

  it('is less than a third of the minified JSON it holds', () => {
    const minified = JSON.stringify(JSON.parse(readFileSync(jsonFile, 'utf8')));
    expect(GAZETTEER_PACK.length * 3).toBeLessThan(Buffer.byteLength(minified));
  });

  it('round-trips data that names places in every script', () => {
    const json = JSON.stringify({
      names: { en: 'Duhok', ar: 'دهوك', ckb: 'دهۆک', kmr: 'Dihok' },
      list: [1, 'ç ş ê î û'],
    });
    expect(unpackGazetteer(packGazetteer(json))).toEqual(JSON.parse(json));
  });
});
