import { randomBytes } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Client } from 'graphql-ws';
import { SignJWT } from 'jose';
import { TOKEN_AUDIENCE, TOKEN_ISSUER } from '../../src/auth/tokens.js';
import { Tenant, User, type UserRole } from '../../src/entities/index.js';
import { hashPassword } from '../../src/services/passwords.js';
import { LoginDocument } from '../generated/graphql.js';
import { execute } from './graphql.js';

/** Shared by every server a test file starts, so that their tokens are valid on each other. */
export const TEST_JWT_SECRET = randomBytes(32).toString('hex');
export const TEST_ADMIN_EMAIL = 'admin@switchyard.local';
export const TEST_ADMIN_PASSWORD = 'admin-password-for-tests';

export function bearer(credential: string): Record<string, string> {
  return { authorization: `Bearer ${credential}` };
}

/** Logs in over HTTP; fails the test on anything but a token. */
export async function login(url: string, email: string, password: string): Promise<{ token: string; tenantId: string; userId: string }> {
  const response = await execute(url, LoginDocument, { email, password });
  const payload = response.data?.login;
  if (!payload) throw new Error(`login of ${email} failed: ${JSON.stringify(response.errors)}`);
  return { token: payload.token, tenantId: payload.viewer.tenant.id, userId: payload.viewer.id };
}

export interface TestUser {
  id: string;
  email: string;
  password: string;
  tenantId: string;
  role: UserRole;
}

/** A user straight in the database, in a new tenant unless one is given. */
export async function createUser(orm: MikroORM, role: UserRole, options: { tenantId?: string; active?: boolean } = {}): Promise<TestUser> {
  const em = orm.em.fork();
  const suffix = randomBytes(4).toString('hex');
  const tenant = options.tenantId
    ? em.getReference(Tenant, options.tenantId)
    : em.create(Tenant, { slug: `tenant-${suffix}`, name: `Tenant ${suffix}` });
  const password = `password-${suffix}`;
  const user = em.create(User, {
    tenant,
    email: `${role}-${suffix}@example.test`,
    passwordHash: await hashPassword(password),
    role,
    active: options.active ?? true,
  });
  await em.flush();
  return { id: user.id, email: user.email, password, tenantId: tenant.id, role };
}

/** A token signed as the server would, with any claim or header changed. */
export async function signToken(
  claims: { sub: string; tid: string },
  options: { secret?: string; algorithm?: string; audience?: string; issuer?: string; expiresAt?: Date } = {},
): Promise<string> {
  const expiresAt = options.expiresAt ?? new Date(Date.now() + 60_000);
  return new SignJWT({ tid: claims.tid })
    .setProtectedHeader({ alg: options.algorithm ?? 'HS256', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuer(options.issuer ?? TOKEN_ISSUER)
    .setAudience(options.audience ?? TOKEN_AUDIENCE)
    .setIssuedAt(Math.floor(Date.now() / 1000) - 120)
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .sign(new TextEncoder().encode(options.secret ?? TEST_JWT_SECRET));
}

/** `alg: none`: a header and claims with an empty signature, which no library of ours would make. */
export function unsignedToken(claims: { sub: string; tid: string }): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${encode({ alg: 'none', typ: 'JWT' })}.${encode({ ...claims, iss: TOKEN_ISSUER, aud: TOKEN_AUDIENCE, iat: now, exp: now + 600 })}.`;
}

/** The smallest definition the engine accepts, for tests that need a workflow to exist. */
export const NOOP_DEFINITION = { steps: [{ name: 'noop', type: 'transform', output: { done: true } }] };

/** The code of the next close of a graphql-ws client's socket (4403: Forbidden). */
export function nextCloseCode(client: Client): Promise<number> {
  return new Promise((resolve) => {
    const off = client.on('closed', (event) => {
      off();
      resolve(typeof event === 'object' && event !== null && 'code' in event ? Number(event.code) : -1);
    });
  });
}
