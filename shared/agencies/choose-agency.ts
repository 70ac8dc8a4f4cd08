/**
 * Which agency a new case belongs to. Pure: the agency records come in, the decision goes out with its basis.
 *
 * In this order (the first that applies decides):
 *   1. the operator's choice (a hotline call or a walk-in logged in the console);
 *   2. the public number the person texted or called: an agency's own `numbers`;
 *   3. the programme: the agency whose `programmes` lists the case's;
 *   4. the place: the agency whose `districts` list the case's district, else whose `governorates` list its
 *      governorate;
 *   5. the deployment's default agency.
 * Inactive agencies are skipped. Two agencies claiming the same number, programme or place are resolved by id
 * (alphabetical), so the choice never depends on the order records were stored in.
 */
import type { Agency } from '../config/schemas.ts';
import { type AgencyBasis, DEFAULT_AGENCY } from './agency-id.ts';

export interface AgencyInput {
  /** The agency an operator chose when logging the case. */
  chosen?: string | undefined;
  /** The public number the message or call arrived on, as the transport gave it. */
  receivedOn?: string | undefined;
  programme?: string | undefined;
  location?: { governorate?: string | undefined; district?: string | undefined } | undefined;
}

export interface AgencyDecision {
  agency: string;
  basis: AgencyBasis;
}

/** A number as stored: no `whatsapp:` prefix, no spaces, dashes, dots or brackets. */
export const compactNumber = (n: string): string => n.replace(/^whatsapp:/i, '').replace(/[\s\-().]/g, '');

export function chooseAgency(input: AgencyInput, agencies: readonly Agency[]): AgencyDecision {
  if (input.chosen) return { agency: input.chosen, basis: 'operator' };
  const active = agencies.filter((a) => a.active).sort((a, b) => (a.agencyId < b.agencyId ? -1 : 1));
  const first = (pred: (a: Agency) => boolean) => active.find(pred)?.agencyId;
  const to = input.receivedOn ? compactNumber(input.receivedOn) : undefined;
  const byNumber = to ? first((a) => a.numbers.includes(to)) : undefined;
  if (byNumber) return { agency: byNumber, basis: 'number' };
  const programme = input.programme;
  const byProgramme = programme ? first((a) => a.programmes.includes(programme)) : undefined;
  if (byProgramme) return { agency: byProgramme, basis: 'programme' };
  const district = input.location?.district;
  const governorate = input.location?.governorate ?? district?.slice(0, 5);
  const byPlace =
    (district ? first((a) => a.districts.includes(district)) : undefined) ??
    (governorate ? first((a) => a.governorates.includes(governorate)) : undefined);
  if (byPlace) return { agency: byPlace, basis: 'place' };
  return { agency: DEFAULT_AGENCY, basis: 'default' };
}
