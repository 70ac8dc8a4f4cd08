import { createHash } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import type { LocalUser } from './users.ts';

/**
 * Staff tokens in the local stack: HS256 with a local key, shaped like a Cognito ID token (`cognito:groups`,
 * `custom:*` attributes) so the handlers read them exactly as they read Cognito's through the JWT authorizer.
 */
export const LOCAL_ISSUER = 'cfm-local';
export const LOCAL_AUDIENCE = 'cfm-console';
const TOKEN_TTL_SECONDS = 12 * 3600;

export type Claims = Record<string, string | number | boolean | string[]>;

export class LocalTokens {
  private readonly key: Uint8Array;

  constructor(secret: string) {
    this.key = createHash('sha256').update(`cfm-local-jwt:${secret}`).digest();
  }

  async issue(user: LocalUser, now = new Date()): Promise<{ token: string; expiresAt: string }> {
    const iat = Math.floor(now.getTime() / 1000);
    const token = await new SignJWT({
      'cognito:groups': [user.role],
      'custom:governorates': user.governorates.join(','),
      'custom:programmes': user.programmes.join(','),
      ...(user.focalPointId ? { 'custom:focalPointId': user.focalPointId } : {}),
      ...(user.agency ? { 'custom:agency': user.agency } : {}),
      name: user.name,
      token_use: 'id',
    })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(user.userId)
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setIssuedAt(iat)
      .setExpirationTime(iat + TOKEN_TTL_SECONDS)
      .sign(this.key);
    return { token, expiresAt: new Date((iat + TOKEN_TTL_SECONDS) * 1000).toISOString() };
  }

  /** The verified claims, or undefined for a missing, malformed, expired or foreign token (the authorizer's 401). */
  async verify(authorization: string | undefined): Promise<Claims | undefined> {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!match?.[1]) return undefined;
    try {
      const { payload } = await jwtVerify(match[1], this.key, {
        issuer: LOCAL_ISSUER,
        audience: LOCAL_AUDIENCE,
        algorithms: ['HS256'],
      });
      return payload as unknown as Claims;
    } catch {
      return undefined;
    }
  }
}
