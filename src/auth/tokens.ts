import { randomUUID } from 'node:crypto';
import { SignJWT, errors as joseErrors, jwtVerify } from 'jose';
import { AppError } from '../errors.js';
import { systemClock, type Clock } from './clock.js';

export const TOKEN_ISSUER = 'switchyard';
export const TOKEN_AUDIENCE = 'switchyard-api';
/** Fixed: the algorithm is never taken from the token's header (no `none`, no algorithm confusion). */
export const TOKEN_ALGORITHM = 'HS256';
/** HS256 wants a key at least as long as its output. */
export const MIN_SECRET_BYTES = 32;

export interface TokenClaims {
  userId: string;
  tenantId: string;
  expiresAt: Date;
  /** The user's generation of sessions it was issued in (0 when it names none). */
  generation: number;
}

export interface TokenService {
  issue(subject: { userId: string; tenantId: string; generation?: number }): Promise<{ token: string; expiresAt: Date }>;
  /** The claims of a valid token; UNAUTHENTICATED for anything else. */
  verify(token: string): Promise<TokenClaims>;
}

/** Verified tokens remembered (a client sends the same one with every request); the signature is checked once. */
const VERIFIED_CAPACITY = 10_000;

/** `clock`: what time it is for issuing and expiry (tests move it). Default: the system clock. */
export function createTokenService(options: { secret: Uint8Array; ttlSeconds: number; clock?: Clock }): TokenService {
  const { secret, ttlSeconds, clock = systemClock } = options;
  if (secret.byteLength < MIN_SECRET_BYTES) throw new Error(`the JWT secret must be at least ${MIN_SECRET_BYTES} bytes`);
  const verified = new Map<string, TokenClaims>();
  return {
    async issue({ userId, tenantId, generation = 0 }) {
      const now = Math.floor(clock.now().getTime() / 1000);
      const expiresAt = new Date((now + ttlSeconds) * 1000);
      const token = await new SignJWT({ tid: tenantId, gen: generation })
        .setProtectedHeader({ alg: TOKEN_ALGORITHM, typ: 'JWT' })
        .setSubject(userId)
        .setIssuer(TOKEN_ISSUER)
        .setAudience(TOKEN_AUDIENCE)
        .setIssuedAt(now)
        .setExpirationTime(expiresAt)
        .setJti(randomUUID())
        .sign(secret);
      return { token, expiresAt };
    },
    async verify(token) {
      const known = verified.get(token);
      if (known) {
        if (known.expiresAt.getTime() > clock.now().getTime()) return known;
        verified.delete(token);
        throw new AppError('UNAUTHENTICATED', 'token expired; log in again');
      }
      try {
        const { payload } = await jwtVerify(token, secret, {
          algorithms: [TOKEN_ALGORITHM],
          issuer: TOKEN_ISSUER,
          audience: TOKEN_AUDIENCE,
          requiredClaims: ['exp', 'sub', 'iat'],
          currentDate: clock.now(),
        });
        const { sub, tid, exp, gen = 0 } = payload;
        if (typeof sub !== 'string' || typeof tid !== 'string' || typeof exp !== 'number' || typeof gen !== 'number')
          throw new AppError('UNAUTHENTICATED', 'invalid token');
        const claims = { userId: sub, tenantId: tid, expiresAt: new Date(exp * 1000), generation: gen };
        if (verified.size >= VERIFIED_CAPACITY) verified.clear();
        verified.set(token, claims);
        return claims;
      } catch (error) {
        if (error instanceof AppError) throw error;
        if (error instanceof joseErrors.JWTExpired) throw new AppError('UNAUTHENTICATED', 'token expired; log in again', { cause: error });
        if (error instanceof joseErrors.JOSEError) throw new AppError('UNAUTHENTICATED', 'invalid token', { cause: error });
        throw error;
      }
    },
  };
}
