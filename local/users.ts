import type { Role } from '#shared/auth/principal.ts';

/**
 * One local staff user per role (and a scoped officer, and the misconduct focal point), as the Cognito user pool
 * would hold them in AWS. Every focal point the seeded rules route to is held by one of them, so no seeded route
 * ends in a queue nobody reads.
 */
export interface LocalUser {
  userId: string;
  name: string;
  role: Role;
  /** Governorate P-codes this user works in; empty means all. */
  governorates: string[];
  programmes: string[];
  focalPointId?: string;
  /** The agency the user works for (`custom:agency`): absent is the default agency, `*` deployment-wide. */
  agency?: string;
}

export const LOCAL_USERS: readonly LocalUser[] = [
  { userId: 'local-operator', name: 'Hotline operator', role: 'operator', governorates: [], programmes: [] },
  {
    userId: 'local-officer',
    name: 'Accountability officer',
    role: 'officer',
    governorates: [],
    programmes: [],
    focalPointId: 'accountability-officer',
  },
  {
    userId: 'local-officer-ninewa',
    name: 'Accountability officer (Ninewa only)',
    role: 'officer',
    governorates: ['IQG15'],
    programmes: [],
    focalPointId: 'accountability-officer',
  },
  {
    userId: 'local-misconduct',
    name: 'Fraud and misconduct focal point',
    role: 'officer',
    governorates: [],
    programmes: [],
    focalPointId: 'misconduct-focal-point',
  },
  {
    userId: 'local-psea',
    name: 'PSEA focal point',
    role: 'psea',
    governorates: [],
    programmes: [],
    focalPointId: 'psea-focal-point',
  },
  { userId: 'local-manager', name: 'Programme manager', role: 'manager', governorates: [], programmes: [] },
  {
    userId: 'local-admin',
    name: 'Administrator (every agency)',
    role: 'admin',
    governorates: [],
    programmes: [],
    agency: '*',
  },
  // A second agency on the same hotline (local/seed.ts seeds its number, focal points and rules).
  {
    userId: 'local-officer-b',
    name: 'Accountability officer (Agency B)',
    role: 'officer',
    governorates: [],
    programmes: [],
    focalPointId: 'agency-b-officer',
    agency: 'agency-b',
  },
  {
    userId: 'local-psea-b',
    name: 'PSEA focal point (Agency B)',
    role: 'psea',
    governorates: [],
    programmes: [],
    focalPointId: 'agency-b-psea',
    agency: 'agency-b',
  },
  {
    userId: 'local-admin-b',
    name: 'Administrator (Agency B)',
    role: 'admin',
    governorates: [],
    programmes: [],
    agency: 'agency-b',
  },
  {
    userId: 'local-manager-all',
    name: 'Programme manager (every agency)',
    role: 'manager',
    governorates: [],
    programmes: [],
    agency: '*',
  },
  {
    userId: 'local-manager-b',
    name: 'Programme manager (Agency B)',
    role: 'manager',
    governorates: [],
    programmes: [],
    agency: 'agency-b',
  },
];

/** The default local user of a role (the first listed). */
export const userForRole = (role: Role): LocalUser | undefined => LOCAL_USERS.find((u) => u.role === role);
export const userById = (userId: string): LocalUser | undefined =>
  LOCAL_USERS.find((u) => u.userId === userId);
