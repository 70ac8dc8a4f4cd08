import * as z from 'zod';
import { Role } from '#shared/auth/principal.ts';

/** A staff user as the admin API lists them (no secrets: ids, role and scopes). */
export const StaffUserSchema = z.object({
  userId: z.string(),
  name: z.string(),
  role: Role,
  governorates: z.array(z.string()),
  programmes: z.array(z.string()),
  focalPointId: z.string().optional(),
  /** The user's agency; absent is the default agency, `*` deployment-wide (managers and admins only). */
  agency: z.string().optional(),
});
export type StaffUser = z.infer<typeof StaffUserSchema>;

export type UserDirectory = () => Promise<readonly StaffUser[]>;

let directory: UserDirectory | undefined;

/**
 * Installs where `GET /api/admin/users` reads users from. The local stack's seed installs its local users; in
 * AWS nothing does (listing the Cognito user pool is out of scope), and the route answers 501.
 */
export function installUserDirectory(d: UserDirectory | undefined): void {
  directory = d;
}

export const userDirectory = (): UserDirectory | undefined => directory;
