import { createHash, randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { OneTimeToken, type OneTimeTokenPurpose } from '../../entities/auth/one-time-token.entity.js';
import { Tenant } from '../../entities/tenant.entity.js';
import { User } from '../../entities/user.entity.js';
import { AppError } from '../../errors.js';
import type { Clock } from '../clock.js';

/** How long each kind of token is good for. */
export const TOKEN_TTL_MS: { readonly [P in OneTimeTokenPurpose]: number } = {
  invitation: 7 * 24 * 3600_000,
  password_reset: 3600_000,
};

/** One answer for unknown, expired and used tokens: which one it was is nobody's business. */
export const INVALID_TOKEN_MESSAGE = 'this link is invalid, expired or already used';

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A new token: 32 random bytes, base64url, and the hash that is all that is kept of it. */
export function newToken(clock: Clock, purpose: OneTimeTokenPurpose): { token: string; tokenHash: string; expiresAt: Date } {
  const token = randomBytes(32).toString('base64url');
  return { token, tokenHash: hashToken(token), expiresAt: new Date(clock.now().getTime() + TOKEN_TTL_MS[purpose]) };
}

/** A new token for the user; only its hash is kept. Earlier unused ones of the same purpose stop working. */
export async function issueToken(
  em: EntityManager,
  clock: Clock,
  user: User,
  purpose: OneTimeTokenPurpose,
): Promise<{ token: string; expiresAt: Date }> {
  const now = clock.now();
  await em.nativeUpdate(OneTimeToken, { user: user.id, purpose, usedAt: null }, { usedAt: now });
  const { token, tokenHash, expiresAt } = newToken(clock, purpose);
  em.create(OneTimeToken, {
    tenant: em.getReference(Tenant, user.tenant.id),
    user,
    purpose,
    tokenHash,
    expiresAt,
    createdAt: now,
  });
  await em.flush();
  return { token, expiresAt };
}

/**
 * Uses a token, once: the conditional update makes two concurrent uses of the same token end with one
 * winner. Returns its user; BAD_USER_INPUT with one message for anything else.
 */
export async function consumeToken(em: EntityManager, clock: Clock, token: string, purpose: OneTimeTokenPurpose): Promise<User> {
  const invalid = new AppError('BAD_USER_INPUT', INVALID_TOKEN_MESSAGE);
  if (!TOKEN_SHAPE.test(token)) throw invalid;
  const now = clock.now();
  const row = await em.findOne(OneTimeToken, { tokenHash: hashToken(token), purpose }, { filters: false });
  if (!row || row.usedAt || row.expiresAt.getTime() <= now.getTime()) throw invalid;
  const taken = await em.nativeUpdate(OneTimeToken, { id: row.id, usedAt: null }, { usedAt: now }, { filters: false });
  if (taken !== 1) throw invalid;
  const user = await em.findOne(User, { id: row.user.id }, { filters: false });
  if (!user) throw invalid;
  return user;
}
