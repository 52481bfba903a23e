import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API keys look like `sy_<prefix>_<secret>`: 12 hex characters that find the key's row, then 32 random
 * bytes (base64url). Only SHA-256(secret) is stored. A password hash (argon2) would add nothing: the
 * secret has 256 bits of entropy, so no dictionary or brute force gets near it, and a slow hash would
 * cost tens of milliseconds of CPU on every request an integration makes.
 */
const KEY_PATTERN = /^sy_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

export interface GeneratedApiKey {
  /** The whole key, to show once. */
  key: string;
  prefix: string;
  secretHash: string;
}

export function looksLikeApiKey(credential: string): boolean {
  return credential.startsWith('sy_');
}

export function generateApiKey(): GeneratedApiKey {
  const prefix = randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { key: `sy_${prefix}_${secret}`, prefix, secretHash: hashSecret(secret) };
}

export function parseApiKey(key: string): { prefix: string; secret: string } | undefined {
  const match = KEY_PATTERN.exec(key);
  return match?.[1] && match[2] ? { prefix: match[1], secret: match[2] } : undefined;
}

export function secretMatches(secret: string, storedHash: string): boolean {
  const expected = Buffer.from(storedHash, 'hex');
  const actual = Buffer.from(hashSecret(secret), 'hex');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
