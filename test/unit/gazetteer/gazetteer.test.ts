import { describe, expect, it } from 'vitest';
import {
  districtsOf,
  findDistrict,
  findGovernorate,
  findSubDistrict,
  Gazetteer,
  governorates,
  isDistrictOf,
  nameOf,
  placeName,
  regionOf,
  subDistrictsOf,
} from '#shared/gazetteer/gazetteer.ts';

describe('gazetteer data', () => {
  it('has the 18 governorates, IQG01 to IQG18', () => {
    const codes = governorates().map((g) => g.pcode);
    expect(codes).toHaveLength(18);
    expect(codes[0]).toBe('IQG01');
    expect(codes[17]).toBe('IQG18');
    expect(new Set(codes).size).toBe(18);
  });

  it("gives every district a P-code that starts with its governorate's", () => {
    let count = 0;
    for (const g of governorates()) {
      for (const d of districtsOf(g.pcode)) {
        expect(d.pcode.startsWith(g.pcode)).toBe(true);
        expect(d.pcode).toMatch(/^IQG\d{2}Q\d{2}$/);
        count++;
      }
    }
    // The CSO dataset (2019) has 101 districts.
    expect(count).toBe(101);
  });

  it('gives every governorate a Sorani and a Kurmanji name', () => {
    for (const g of governorates()) {
      expect(g.names.ckb, g.pcode).toBeTruthy();
      expect(g.names.kmr, g.pcode).toBeTruthy();
    }
  });

  it('rejects a file whose district does not belong to its governorate', () => {
    const bad = {
      source: 'test',
      governorates: [
        { pcode: 'IQG01', region: 'federal', names: { en: 'A', ar: 'أ' }, aliases: [], ambiguous: [] },
      ],
      districts: [
        {
          pcode: 'IQG02Q01',
          governorate: 'IQG01',
          names: { en: 'B', ar: 'ب' },
          aliases: [],
          ambiguous: [],
        },
      ],
      subDistricts: [],
    };
    expect(() => Gazetteer.from(bad)).toThrow(/IQG02Q01/);
  });
});

describe('lookups', () => {
  it('finds the Kurdistan Region governorates with their Kurdish names', () => {
    expect(findGovernorate('IQG11')?.names).toMatchObject({ en: 'Erbil', ckb: 'هەولێر', kmr: 'Hewlêr' });
    expect(findGovernorate('IQG09')?.names).toMatchObject({ en: 'Duhok', ckb: 'دهۆک', kmr: 'Dihok' });
    expect(findGovernorate('IQG06')?.names).toMatchObject({ ckb: 'سلێمانی', kmr: 'Silêmanî' });
    expect(findGovernorate('IQG13')?.names).toMatchObject({ en: 'Kirkuk', ckb: 'کەرکووک' });
  });

  it('finds Halabja as a district of Sulaymaniyah, named in Sorani', () => {
    const halabja = findDistrict('IQG06Q05');
    expect(halabja?.governorate).toBe('IQG06');
    expect(halabja?.names.ckb).toBe('هەڵەبجە');
  });

  it('finds Mosul district in Ninewa', () => {
    expect(findDistrict('IQG15Q05')?.names).toMatchObject({ en: 'Al-Mosul', ar: 'الموصل' });
    expect(isDistrictOf('IQG15Q05', 'IQG15')).toBe(true);
    expect(isDistrictOf('IQG15Q05', 'IQG11')).toBe(false);
    expect(isDistrictOf('IQG99Q01', 'IQG99')).toBe(false);
  });

  it('lists the districts of Duhok', () => {
    expect(districtsOf('IQG09').map((d) => d.names.en)).toEqual(['Al-Amadiya', 'Duhok', 'Sumail', 'Zakho']);
    expect(districtsOf('IQG99')).toEqual([]);
  });

  it('corrects the dataset slip that gave Baladruz the name of its sub-district Mandali', () => {
    expect(findDistrict('IQG10Q03')?.names.ar).toBe('بلدروز');
    expect(findSubDistrict('IQG10Q03N01')?.names.ar).toBe('مندلي');
  });

  it('finds sub-districts of a district', () => {
    expect(subDistrictsOf('IQG15Q05').map((s) => s.names.en)).toContain('Hammam Al-Alil');
    expect(findSubDistrict('IQG15Q05N02')?.district).toBe('IQG15Q05');
  });

  it('answers undefined for unknown codes', () => {
    expect(findGovernorate('IQG19')).toBeUndefined();
    expect(findDistrict('IQG01Q99')).toBeUndefined();
    expect(nameOf('nonsense', 'en')).toBeUndefined();
  });

  it('knows which governorates keep the Kurdistan Region holidays', () => {
    expect(regionOf('IQG11')).toBe('kri');
    expect(regionOf('IQG09')).toBe('kri');
    expect(regionOf('IQG06')).toBe('kri');
    expect(regionOf('IQG13')).toBe('federal');
    expect(regionOf('IQG08')).toBe('federal');
    expect(regionOf('IQG42')).toBeUndefined();
  });
});

describe('names by language', () => {
  it('names a place in each language', () => {
    expect(nameOf('IQG11', 'ar')).toBe('أربيل');
    expect(nameOf('IQG11', 'ckb')).toBe('هەولێر');
    expect(nameOf('IQG11', 'kmr')).toBe('Hewlêr');
    expect(nameOf('IQG11', 'en')).toBe('Erbil');
  });

  it('falls back from Sorani to Arabic and from Kurmanji to English', () => {
    // Al-Karkh (Baghdad) has no Kurdish name in the gazetteer.
    expect(nameOf('IQG08Q03', 'ckb')).toBe('الكرخ');
    expect(nameOf('IQG08Q03', 'kmr')).toBe('Al-Karkh');
  });

  it('uses English when nothing else is there', () => {
    expect(placeName({ names: { en: 'Somewhere', ar: '' } }, 'ar')).toBe('Somewhere');
  });
});
