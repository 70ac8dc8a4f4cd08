/**
 * Agencies: one deployment may serve several organisations, each with its own cases, staff, focal points, routing
 * rules and reports. A deployment that configures none has exactly one, {@link DEFAULT_AGENCY}: every case and user
 * without an agency belongs to it, so single-agency deployments need no configuration and nothing to migrate.
 */
import * as z from 'zod';

/** The implicit agency of a deployment, of every case stored without one, and of every user without one. */
export const DEFAULT_AGENCY = 'default';

/**
 * What `custom:agency` holds for a deployment-wide manager or administrator: reports and the dashboard count every
 * agency. Case readers (operator, officer, psea) always belong to one agency.
 */
export const ALL_AGENCIES = '*';

/** An agency id: short, URL-safe, stable (it is part of index keys and of tokens). */
export const AgencyId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, 'must be lower-case letters, digits, - or _ (at most 32)');
export type AgencyId = z.infer<typeof AgencyId>;

/**
 * How a case's agency was decided, strongest first: the operator's choice, the public number the person texted or
 * called, the programme, the place, the deployment's default; or a transfer between agencies.
 */
export const AGENCY_BASES = ['operator', 'number', 'programme', 'place', 'default', 'transfer'] as const;
export type AgencyBasis = (typeof AGENCY_BASES)[number];

/** Bases a later reading of the case (the router's, once it knows the place) may not override. */
export const PINNED_AGENCY_BASES: readonly AgencyBasis[] = ['operator', 'number', 'transfer'];

/** A case's agency; a case stored before agencies existed reads as the default one. */
export const agencyOf = (c: { agency?: string | undefined }): string => c.agency ?? DEFAULT_AGENCY;
