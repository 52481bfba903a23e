import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { createTokenService } from '../../../src/auth/tokens.js';

describe('token service', () => {
  it('refuses a remembered token once it expires', async () => {
    const tokens = createTokenService({ secret: randomBytes(32), ttlSeconds: 1 });
    const { token, expiresAt } = await tokens.issue({ userId: 'u-1', tenantId: 't-1' });
    await expect(tokens.verify(token)).resolves.toMatchObject({ userId: 'u-1', tenantId: 't-1' });
    // The second verification answers from memory.
    await expect(tokens.verify(token)).resolves.toMatchObject({ userId: 'u-1' });
    await new Promise((resolve) => setTimeout(resolve, expiresAt.getTime() - Date.now() + 50));
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
