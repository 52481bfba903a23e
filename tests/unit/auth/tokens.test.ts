import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import type { Clock } from '../../../src/auth/clock.js';
import { createTokenService } from '../../../src/auth/tokens.js';

/** A clock the test moves. */
function movableClock(start: string): Clock & { advance(ms: number): void } {
  let now = new Date(start).getTime();
  return { now: () => new Date(now), advance: (ms) => (now += ms) };
}

describe('token service', () => {
  it('refuses a remembered token once it expires', async () => {
    const clock = movableClock('2026-12-02T10:00:00Z');
    const tokens = createTokenService({ secret: randomBytes(32), ttlSeconds: 60, clock });
    const { token, expiresAt } = await tokens.issue({ userId: 'u-1', tenantId: 't-1' });
    expect(expiresAt.toISOString()).toBe('2026-12-02T10:01:00.000Z');
    await expect(tokens.verify(token)).resolves.toMatchObject({ userId: 'u-1', tenantId: 't-1' });
    clock.advance(59_999);
    // The second verification answers from memory, still within the token's life.
    await expect(tokens.verify(token)).resolves.toMatchObject({ userId: 'u-1' });
    clock.advance(1);
    await expect(tokens.verify(token)).rejects.toMatchObject({ code: 'UNAUTHENTICATED', message: 'token expired; log in again' });
  });

  it('refuses an expired token it has never seen (the signature check uses the same clock)', async () => {
    const clock = movableClock('2026-12-02T10:00:00Z');
    const tokens = createTokenService({ secret: randomBytes(32), ttlSeconds: 60, clock });
    const { token } = await tokens.issue({ userId: 'u-1', tenantId: 't-1' });
    clock.advance(61_000);
    await expect(tokens.verify(token)).rejects.toMatchObject({ code: 'UNAUTHENTICATED', message: 'token expired; log in again' });
  });

  it('refuses a forged signature on a token it has just verified', async () => {
    const tokens = createTokenService({ secret: randomBytes(32), ttlSeconds: 60 });
    const { token } = await tokens.issue({ userId: 'u-1', tenantId: 't-1' });
    await expect(tokens.verify(token)).resolves.toMatchObject({ userId: 'u-1' });
    // Same header and claims, another signature: what is remembered is the whole token, not its claims.
    const [header, claims] = token.split('.');
    const forged = `${header}.${claims}.${Buffer.alloc(32, 7).toString('base64url')}`;
    await expect(tokens.verify(forged)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
