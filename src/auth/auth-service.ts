import { randomBytes } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { ApiKey } from '../entities/auth/api-key.entity.js';
import { User } from '../entities/user.entity.js';
import { Tenant } from '../entities/tenant.entity.js';
import { AppError } from '../errors.js';
import type { Logger } from '../logger.js';
import { hashPassword, verifyPassword } from '../services/passwords.js';
import { looksLikeApiKey, parseApiKey, secretMatches } from './api-key-format.js';
import { clockOf } from './clock.js';
import { ROLE_PERMISSIONS, isPermission } from './permissions.js';
import type { TokenService } from './tokens.js';
import type { ApiKeyViewer, UserViewer, Viewer } from './viewer.js';
import { createAccountWatchers } from './users/account-watchers.js';
import { NO_PASSWORD } from './users/users.js';

/** Turns credentials into viewers. Every failure is UNAUTHENTICATED. */
export interface Authenticator {
  /** A bearer token (JWT) or an API key (`sy_…`). */
  authenticate(credential: string): Promise<Viewer>;
  /** For long-lived connections: the viewer as it is now (role changes, deactivation, revocation, expiry). */
  revalidate(viewer: Viewer): Promise<Viewer>;
  /**
   * For long-lived connections: `onChange` is called once when the user's account changes in a way that
   * ends what the connection was opened with (deactivated, another role). Returns the unwatch function.
   */
  watch?(viewer: Viewer, onChange: () => void): () => void;
}

/** A refused sign-in, with the account it named when there is one (for the audit log; never shown). */
export class LoginRefusedError extends AppError {
  constructor(
    readonly account: { userId: string; tenantId: string; email: string } | undefined,
    code: 'UNAUTHENTICATED' | 'TENANT_SUSPENDED' = 'UNAUTHENTICATED',
    message: string = INVALID_LOGIN,
  ) {
    super(code, message);
  }
}

export interface LoginResult {
  token: string;
  expiresAt: Date;
  viewer: UserViewer;
}

export interface TenantSummary {
  id: string;
  slug: string;
  name: string;
  suspendedAt?: Date | null | undefined;
  concurrencyLimit?: number | null | undefined;
}

export interface AuthService extends Authenticator {
  login(email: string, password: string): Promise<LoginResult>;
  /** A new token for a user who proved who they are another way (changed their password), in their current session generation. */
  startSession(user: User): Promise<LoginResult>;
  /** The viewer's tenant, as `me` and `login` show it. */
  tenantOf(viewer: Viewer): Promise<TenantSummary>;
  /**
   * After a user's role, activity or sessions changed (committed: deactivated, another role, a password
   * reset): this process forgets what it remembered of them and closes their websockets at once; other
   * processes within USER_CACHE_MS.
   */
  accountChanged(userId: string): void;
  /** After a tenant was suspended or its suspension lifted (committed): as accountChanged, for all its users. */
  tenantChanged(tenantId: string): void;
}

const INVALID_LOGIN = 'invalid e-mail or password';

function assertNotSuspended(tenant: Tenant): void {
  if (tenant.suspendedAt) throw new AppError('TENANT_SUSPENDED', `the tenant ${tenant.slug} is suspended`);
}
/** How passwords are hashed and checked; tests pass one that records what it verified. */
export interface PasswordVerifier {
  hash(password: string): Promise<string>;
  verify(passwordHash: string, password: string): Promise<boolean>;
}

const ARGON2ID: PasswordVerifier = { hash: hashPassword, verify: verifyPassword };

/** lastUsedAt is a hint for operators, not an audit log: one write a minute per key is enough. */
const LAST_USED_PRECISION_MS = 60_000;

/** How long a looked-up user is trusted before it is read again. */
const USER_CACHE_MS = 2_000;

export function createAuthService(deps: {
  orm: MikroORM;
  tokens: TokenService;
  logger: Logger;
  passwords?: PasswordVerifier;
}): AuthService {
  const { orm, tokens, logger, passwords = ARGON2ID } = deps;
  const watchers = createAccountWatchers(orm, logger, USER_CACHE_MS);
  // Verified when the e-mail is unknown, so that answering takes as long as for a wrong password.
  let dummyHash: Promise<string> | undefined;

  const toUserViewer = (user: User, expiresAt: Date): UserViewer => ({
    sessionGeneration: user.sessionGeneration,
    kind: 'user',
    userId: user.id,
    email: user.email,
    role: user.role,
    platformAdmin: user.platformAdmin,
    tenantId: user.tenant.id,
    permissions: ROLE_PERMISSIONS[user.role],
    expiresAt,
  });

  // Looked up per request, but remembered for USER_CACHE_MS: a deactivated user or a changed role takes
  // effect within that, not at the token's expiry — and a busy API is not one user query per request.
  // Timed by the ORM's clock (auth/clock.ts), which tests move instead of waiting.
  const recentUsers = new Map<string, { until: number; user: Promise<User | null> }>();
  const findUser = (userId: string): Promise<User | null> => {
    const now = clockOf(orm).now().getTime();
    const cached = recentUsers.get(userId);
    if (cached && cached.until > now) return cached.user;
    if (recentUsers.size > 10_000) recentUsers.clear();
    const user = orm.em.fork().findOne(User, { id: userId }, { populate: ['tenant'] });
    recentUsers.set(userId, { until: now + USER_CACHE_MS, user });
    user.catch(() => recentUsers.delete(userId));
    return user;
  };
  const userViewer = async (userId: string, tenantId: string, expiresAt: Date, generation: number): Promise<UserViewer> => {
    const user = await findUser(userId);
    if (!user || !user.active || user.tenant.id !== tenantId)
      throw new AppError('UNAUTHENTICATED', 'the account of this token is no longer active');
    if (user.sessionGeneration !== generation)
      throw new AppError('UNAUTHENTICATED', 'this session ended when the password was changed or reset; log in again');
    assertNotSuspended(user.tenant.getEntity());
    return toUserViewer(user, expiresAt);
  };

  const startSession = async (user: User): Promise<LoginResult> => {
    const { token, expiresAt } = await tokens.issue({ userId: user.id, tenantId: user.tenant.id, generation: user.sessionGeneration });
    return { token, expiresAt, viewer: toUserViewer(user, expiresAt) };
  };

  const apiKeyViewer = (row: ApiKey): ApiKeyViewer => {
    if (row.revokedAt) throw new AppError('UNAUTHENTICATED', 'API key revoked');
    assertNotSuspended(row.tenant.getEntity());
    return {
      kind: 'apiKey',
      apiKeyId: row.id,
      name: row.name,
      tenantId: row.tenant.id,
      permissions: new Set(row.permissions.filter(isPermission)),
    };
  };

  const authenticateApiKey = async (key: string): Promise<ApiKeyViewer> => {
    const parsed = parseApiKey(key);
    if (!parsed) throw new AppError('UNAUTHENTICATED', 'malformed API key');
    const em = orm.em.fork();
    const row = await em.findOne(ApiKey, { prefix: parsed.prefix }, { populate: ['tenant'] });
    if (!row || !secretMatches(parsed.secret, row.secretHash)) throw new AppError('UNAUTHENTICATED', 'invalid API key');
    const viewer = apiKeyViewer(row);
    const now = new Date();
    if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > LAST_USED_PRECISION_MS) {
      await em.nativeUpdate(ApiKey, { id: row.id }, { lastUsedAt: now });
    }
    return viewer;
  };

  return {
    async tenantOf(viewer) {
      const tenant = await orm.em.fork().findOne(Tenant, { id: viewer.tenantId });
      if (!tenant) throw new AppError('UNAUTHENTICATED', 'the tenant of this credential no longer exists');
      return { id: tenant.id, slug: tenant.slug, name: tenant.name, suspendedAt: tenant.suspendedAt ?? null };
    },

    async authenticate(credential) {
      if (looksLikeApiKey(credential)) return authenticateApiKey(credential);
      const claims = await tokens.verify(credential);
      return userViewer(claims.userId, claims.tenantId, claims.expiresAt, claims.generation);
    },

    async revalidate(viewer) {
      if (viewer.kind === 'user') {
        if (viewer.expiresAt.getTime() <= Date.now()) throw new AppError('UNAUTHENTICATED', 'token expired; log in again');
        return userViewer(viewer.userId, viewer.tenantId, viewer.expiresAt, viewer.sessionGeneration);
      }
      const row = await orm.em.fork().findOne(ApiKey, { id: viewer.apiKeyId }, { populate: ['tenant'] });
      if (!row) throw new AppError('UNAUTHENTICATED', 'invalid API key');
      return apiKeyViewer(row);
    },

    accountChanged(userId) {
      recentUsers.delete(userId);
      watchers.changed(userId);
    },

    tenantChanged() {
      // Rare: forgetting every remembered user is simpler than finding the tenant's.
      recentUsers.clear();
      watchers.changedAll();
    },

    watch: (viewer, onChange) => watchers.watch(viewer, onChange),

    async login(email, password) {
      const user = await orm.em.fork().findOne(User, { email: email.trim().toLowerCase() }, { populate: ['passwordHash', 'tenant'] });
      const verifyDummy = async () => {
        dummyHash ??= passwords.hash(randomBytes(24).toString('base64url'));
        await passwords.verify(await dummyHash, password);
        return false;
      };
      if (!user) {
        await verifyDummy();
        logger.info({ reason: 'unknown e-mail' }, 'login refused');
        throw new LoginRefusedError(undefined);
      }
      // An invited user who has not accepted yet has no password: as long to refuse as a wrong one.
      const valid = user.passwordHash === NO_PASSWORD ? await verifyDummy() : await passwords.verify(user.passwordHash, password);
      if (!valid || !user.active) {
        logger.info({ userId: user.id, reason: valid ? 'inactive' : 'wrong password' }, 'login refused');
        throw new LoginRefusedError({ userId: user.id, tenantId: user.tenant.id, email: user.email });
      }
      // Told only to whoever knows the password.
      const tenant = user.tenant.getEntity();
      if (tenant.suspendedAt) {
        throw new LoginRefusedError(
          { userId: user.id, tenantId: tenant.id, email: user.email },
          'TENANT_SUSPENDED',
          `the tenant ${tenant.slug} is suspended`,
        );
      }
      return startSession(user);
    },

    startSession: (user) => startSession(user),
  };
}
