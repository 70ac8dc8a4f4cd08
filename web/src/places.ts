import raw from '../../data/gazetteer/iraq-admin.json';
import type { Lang } from './i18n.ts';

/**
 * Governorate and district names for the console, straight from the committed gazetteer file (the server checks
 * the file; the console only reads names). Sub-districts are left out of the bundle's use.
 */
interface Place {
  pcode: string;
  names: { en: string; ar: string; ckb?: string; kmr?: string };
}
interface Governorate extends Place {
  region: 'kri' | 'federal';
}
interface District extends Place {
  governorate: string;
}

const data = raw as unknown as { governorates: Governorate[]; districts: District[] };
export const GOVERNORATES: readonly Governorate[] = data.governorates;
export const DISTRICTS: readonly District[] = data.districts;

const FALLBACK: Record<Lang, readonly ('en' | 'ar' | 'ckb' | 'kmr')[]> = {
  ar: ['ar', 'en'],
  ckb: ['ckb', 'ar', 'en'],
  kmr: ['kmr', 'en'],
  en: ['en'],
};

export function placeName(pcode: string | undefined, lang: Lang): string {
  if (!pcode) return '';
  const place = GOVERNORATES.find((g) => g.pcode === pcode) ?? DISTRICTS.find((d) => d.pcode === pcode);
  if (!place) return pcode;
  for (const key of FALLBACK[lang]) {
    const name = place.names[key];
    if (name) return name;
  }
  return place.names.en;
}

export const districtsOf = (governorate: string): District[] =>
  DISTRICTS.filter((d) => d.governorate === governorate);

/** Whose public holidays a case's working-time clock keeps: the Kurdistan Region's or the federal ones. */
export const regionOf = (governorate: string | undefined): 'kri' | 'federal' =>
  GOVERNORATES.find((g) => g.pcode === governorate)?.region ?? 'federal';
