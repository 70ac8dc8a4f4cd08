import * as z from 'zod';
import { DistrictPcode, GovernoratePcode } from '../cases/case-schema.ts';

/** A place's names: English and Arabic always (the dataset has both), Kurdish where the project knows them. */
export const PlaceNames = z.object({
  en: z.string().min(1),
  ar: z.string().min(1),
  /** Sorani, Arabic script. */
  ckb: z.string().min(1).optional(),
  /** Kurmanji/Badini, Latin script. */
  kmr: z.string().min(1).optional(),
});
export type PlaceNames = z.infer<typeof PlaceNames>;

export const SubDistrictPcode = z.string().regex(/^IQG\d{2}Q\d{2}N\d{2}$/, 'must be a sub-district P-code');

export const GovernorateRecord = z.object({
  pcode: GovernoratePcode,
  /** Which public holidays apply: the Kurdistan Region's or the federal ones. */
  region: z.enum(['kri', 'federal']),
  names: PlaceNames,
  /** Other spellings people write, in any language. */
  aliases: z.array(z.string().min(1)),
  /** Names or aliases that are also everyday words: a matcher needs context before it trusts them. */
  ambiguous: z.array(z.string().min(1)),
});
export type GovernorateRecord = z.infer<typeof GovernorateRecord>;

export const DistrictRecord = z.object({
  pcode: DistrictPcode,
  governorate: GovernoratePcode,
  names: PlaceNames,
  aliases: z.array(z.string().min(1)),
  ambiguous: z.array(z.string().min(1)),
});
export type DistrictRecord = z.infer<typeof DistrictRecord>;

export const SubDistrictRecord = z.object({
  pcode: SubDistrictPcode,
  district: DistrictPcode,
  names: PlaceNames,
  aliases: z.array(z.string().min(1)),
  /** Whether free-text matching looks for it (distinctive town names only). */
  matchable: z.boolean(),
});
export type SubDistrictRecord = z.infer<typeof SubDistrictRecord>;

/** The committed gazetteer file, `data/gazetteer/iraq-admin.json`, checked whole when it is loaded. */
export const GazetteerSchema = z
  .object({
    source: z.string(),
    governorates: z.array(GovernorateRecord).min(1),
    districts: z.array(DistrictRecord).min(1),
    subDistricts: z.array(SubDistrictRecord),
  })
  .superRefine((data, ctx) => {
    const govs = new Set(data.governorates.map((g) => g.pcode));
    const dists = new Set(data.districts.map((d) => d.pcode));
    for (const [i, d] of data.districts.entries()) {
      if (!govs.has(d.governorate) || !d.pcode.startsWith(d.governorate)) {
        ctx.addIssue({
          code: 'custom',
          path: ['districts', i],
          message: `${d.pcode} has no matching governorate`,
        });
      }
    }
    for (const [i, s] of data.subDistricts.entries()) {
      if (!dists.has(s.district) || !s.pcode.startsWith(s.district)) {
        ctx.addIssue({
          code: 'custom',
          path: ['subDistricts', i],
          message: `${s.pcode} has no matching district`,
        });
      }
    }
    if (govs.size !== data.governorates.length || dists.size !== data.districts.length) {
      ctx.addIssue({ code: 'custom', message: 'duplicate P-codes' });
    }
  });
export type GazetteerData = z.infer<typeof GazetteerSchema>;
