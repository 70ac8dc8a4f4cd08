import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ALL_AGENCIES } from '#shared/agencies/agency-id.ts';
import {
  DEPLOYMENT_WIDE_ROLES,
  type Principal,
  PrincipalSchema,
  ROLES,
  type Role,
} from '#shared/auth/principal.ts';
import { ForbiddenError, UnauthorizedError } from '#shared/errors/domain-error.ts';

type Claims = Record<string, string | number | boolean | string[]>;

/**
 * API Gateway's JWT authorizer hands array claims over as text: `[officer psea]`; Cognito may also send a JSON
 * array or a comma list. All three are read.
 */
export function claimList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value !== 'string' || value.trim() === '') return [];
  const v = value.trim();
  if (v.startsWith('[') && v.endsWith(']')) {
    try {
      const parsed: unknown = JSON.parse(v);
      if (Array.isArray(parsed)) return parsed.map(String);
    } catch {
      return v
        .slice(1, -1)
        .split(/[\s,]+/)
        .filter(Boolean);
    }
  }
  return v.split(/[\s,]+/).filter(Boolean);
}

/** The staff member behind a request, from the claims the JWT authorizer verified. */
export function principalFrom(event: APIGatewayProxyEventV2): Principal | undefined {
  const ctx = event.requestContext as unknown as { authorizer?: { jwt?: { claims?: Claims } } };
  const claims = ctx.authorizer?.jwt?.claims;
  if (!claims?.sub) return undefined;
  const roles = claimList(claims['cognito:groups']).filter((g): g is Role =>
    (ROLES as readonly string[]).includes(g),
  );
  const agency = typeof claims['custom:agency'] === 'string' ? claims['custom:agency'].trim() : '';
  // `*` is deployment-wide, and only for managers and administrators: a token that gives it to a role that reads
  // cases is refused outright rather than read as some agency.
  const allAgencies = agency === ALL_AGENCIES;
  if (allAgencies && !roles.every((r) => DEPLOYMENT_WIDE_ROLES.includes(r))) return undefined;
  const parsed = PrincipalSchema.safeParse({
    userId: String(claims.sub),
    roles,
    governorates: claimList(claims['custom:governorates']),
    programmes: claimList(claims['custom:programmes']),
    focalPointId: claims['custom:focalPointId'] ? String(claims['custom:focalPointId']) : undefined,
    ...(agency && !allAgencies ? { agency } : {}),
    allAgencies,
  });
  return parsed.success ? parsed.data : undefined;
}

/** The principal if they hold one of `roles`; 401 without a principal, 403 without the role. */
export function requireRoles(event: APIGatewayProxyEventV2, roles: readonly Role[]): Principal {
  const principal = principalFrom(event);
  if (!principal) throw new UnauthorizedError('Sign in to use this route.');
  if (!principal.roles.some((r) => roles.includes(r))) {
    throw new ForbiddenError('Your role may not use this route.');
  }
  return principal;
}
