import * as z from 'zod';
import { AgencyId, DEFAULT_AGENCY } from '../agencies/agency-id.ts';

export const ROLES = ['operator', 'officer', 'psea', 'manager', 'admin'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

/**
 * The signed-in staff member as the API sees them. Scopes come from the token (Cognito custom attributes in AWS,
 * the local user records in the local stack): an officer sees only their governorates and programmes; an empty
 * scope list means "all".
 */
export const PrincipalSchema = z.object({
  userId: z.string().min(1),
  roles: z.array(Role).min(1),
  governorates: z.array(z.string()).default([]),
  programmes: z.array(z.string()).default([]),
  /** The focal point record this user acts as, if any (for "my queue"). */
  focalPointId: z.string().optional(),
  /** The agency this user works for (`custom:agency`); the deployment's default agency when the token has none. */
  agency: AgencyId.default(DEFAULT_AGENCY),
  /**
   * A deployment-wide manager or administrator (`custom:agency` = `*`): reports, the dashboard and the admin API
   * cover every agency. Never set for roles that read cases.
   */
  allAgencies: z.boolean().default(false),
});
export type Principal = z.infer<typeof PrincipalSchema>;

export const hasRole = (p: Principal, ...roles: Role[]): boolean => p.roles.some((r) => roles.includes(r));

/** Only PSEA focal points see restricted (S2/S3) cases in the normal course of work. */
export const canSeeRestricted = (p: Principal): boolean => hasRole(p, 'psea');

/** Roles that may see personal data (phone numbers, names) of the cases they can see. */
export const canSeePersonalData = (p: Principal): boolean => hasRole(p, 'operator', 'officer', 'psea');

/** Roles that may be deployment-wide (`custom:agency` = `*`); every other role belongs to one agency. */
export const DEPLOYMENT_WIDE_ROLES: readonly Role[] = ['manager', 'admin'];
