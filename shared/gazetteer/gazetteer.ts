/**
 * Iraq's governorates, districts and sub-districts by P-code, with names in the platform's four languages.
 * The data is the committed `data/gazetteer/iraq-admin.json` (built by scripts/build-gazetteer.ts), shipped packed
 * (gazetteer-pack.ts) and checked with zod the first time it is used; a broken file fails loudly at the first
 * lookup, not with a wrong answer.
 */
import type { Language } from '../classification/taxonomy.ts';
import { GAZETTEER_PACK } from './gazetteer.data.ts';
import { unpackGazetteer } from './gazetteer-pack.ts';
import {
  type DistrictRecord,
  type GazetteerData,
  GazetteerSchema,
  type GovernorateRecord,
  type PlaceNames,
  type SubDistrictRecord,
} from './gazetteer-schema.ts';

export type { DistrictRecord, GovernorateRecord, PlaceNames, SubDistrictRecord } from './gazetteer-schema.ts';
export type Region = GovernorateRecord['region'];

/** A validated gazetteer with its lookup tables. */
export class Gazetteer {
  readonly governorates: readonly GovernorateRecord[];
  readonly districts: readonly DistrictRecord[];
  readonly subDistricts: readonly SubDistrictRecord[];
  private readonly govByCode: ReadonlyMap<string, GovernorateRecord>;
  private readonly distByCode: ReadonlyMap<string, DistrictRecord>;
  private readonly subByCode: ReadonlyMap<string, SubDistrictRecord>;

  constructor(data: GazetteerData) {
    this.governorates = data.governorates;
    this.districts = data.districts;
    this.subDistricts = data.subDistricts;
    this.govByCode = new Map(data.governorates.map((g) => [g.pcode, g]));
    this.distByCode = new Map(data.districts.map((d) => [d.pcode, d]));
    this.subByCode = new Map(data.subDistricts.map((s) => [s.pcode, s]));
  }

  /** Parses and checks gazetteer data (throws a ZodError naming the bad record). */
  static from(data: unknown): Gazetteer {
    return new Gazetteer(GazetteerSchema.parse(data));
  }

  findGovernorate(pcode: string): GovernorateRecord | undefined {
    return this.govByCode.get(pcode);
  }

  findDistrict(pcode: string): DistrictRecord | undefined {
    return this.distByCode.get(pcode);
  }

  findSubDistrict(pcode: string): SubDistrictRecord | undefined {
    return this.subByCode.get(pcode);
  }

  districtsOf(governorate: string): DistrictRecord[] {
    return this.districts.filter((d) => d.governorate === governorate);
  }

  subDistrictsOf(district: string): SubDistrictRecord[] {
    return this.subDistricts.filter((s) => s.district === district);
  }

  isDistrictOf(district: string, governorate: string): boolean {
    return this.distByCode.get(district)?.governorate === governorate;
  }
}

let loaded: Gazetteer | undefined;

/** The platform's gazetteer, loaded and validated on first use. */
export function gazetteer(): Gazetteer {
  loaded ??= Gazetteer.from(unpackGazetteer(GAZETTEER_PACK));
  return loaded;
}

/** The 18 governorates, in P-code order. */
export const governorates = (): readonly GovernorateRecord[] => gazetteer().governorates;
/** The districts of a governorate (none for an unknown P-code). */
export const districtsOf = (governorate: string): DistrictRecord[] => gazetteer().districtsOf(governorate);
export const findGovernorate = (pcode: string): GovernorateRecord | undefined =>
  gazetteer().findGovernorate(pcode);
export const findDistrict = (pcode: string): DistrictRecord | undefined => gazetteer().findDistrict(pcode);
export const findSubDistrict = (pcode: string): SubDistrictRecord | undefined =>
  gazetteer().findSubDistrict(pcode);
export const subDistrictsOf = (district: string): SubDistrictRecord[] => gazetteer().subDistrictsOf(district);
/** Whether `district` lies in `governorate` (false when either is unknown). */
export const isDistrictOf = (district: string, governorate: string): boolean =>
  gazetteer().isDistrictOf(district, governorate);

/** Whether a governorate's holidays are the Kurdistan Region's or the federal ones; undefined when unknown. */
export const regionOf = (governorate: string): Region | undefined =>
  gazetteer().findGovernorate(governorate)?.region;

/**
 * Where a missing name falls back to: Sorani readers read Arabic script, so Sorani falls back to Arabic;
 * Kurmanji is written in Latin letters, so it falls back to English; everything ends at English, which every
 * record has.
 */
const FALLBACK: Readonly<Record<Language, readonly (keyof PlaceNames)[]>> = {
  ar: ['ar', 'en'],
  ckb: ['ckb', 'ar', 'en'],
  kmr: ['kmr', 'en'],
  en: ['en'],
};

/** A place's name in `language`, or the nearest readable one. */
export function placeName(place: { names: PlaceNames }, language: Language): string {
  for (const key of FALLBACK[language]) {
    const name = place.names[key];
    if (name) return name;
  }
  return place.names.en;
}

/** The name of a governorate, district or sub-district by P-code, or undefined for an unknown code. */
export function nameOf(pcode: string, language: Language): string | undefined {
  const g = gazetteer();
  const place = g.findGovernorate(pcode) ?? g.findDistrict(pcode) ?? g.findSubDistrict(pcode);
  return place ? placeName(place, language) : undefined;
}
