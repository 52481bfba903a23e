import { randomBytes } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Tenant } from '../entities/tenant.entity.js';
import { User } from '../entities/user.entity.js';
import { hashPassword } from '../services/passwords.js';

/** An arbitrary constant: processes starting together against an empty database create one admin. */
const BOOTSTRAP_LOCK_ID = 7_358_201_115;
export const DEFAULT_TENANT_SLUG = 'default';

export interface AdminSettings {
  email: string;
  /** Undefined: a random one, returned so that it can be shown once. */
  password: string | undefined;
}

export type BootstrapResult =
  { created: false } | { created: true; tenantId: string; userId: string; email: string; generatedPassword: string | undefined };

/**
 * On a database without users, creates the default tenant and an admin user; otherwise does nothing.
 * Idempotent, and safe when several processes start at once (a transaction-scoped advisory lock).
 */
export async function bootstrapAdmin(orm: MikroORM, settings: AdminSettings): Promise<BootstrapResult> {
  return orm.em.fork().transactional(async (em) => {
    await em.execute('select pg_advisory_xact_lock(?)', [BOOTSTRAP_LOCK_ID]);
    if ((await em.count(User, {})) > 0) return { created: false };
    const password = settings.password ?? randomBytes(18).toString('base64url');
    const tenant =
      (await em.findOne(Tenant, { slug: DEFAULT_TENANT_SLUG })) ?? em.create(Tenant, { slug: DEFAULT_TENANT_SLUG, name: 'Default' });
    const email = settings.email.trim().toLowerCase();
    const user = em.create(User, {
      tenant,
      email,
      passwordHash: await hashPassword(password),
      role: 'admin',
      platformAdmin: true,
    });
    await em.flush();
    return {
      created: true,
      tenantId: tenant.id,
      userId: user.id,
      email,
      generatedPassword: settings.password === undefined ? password : undefined,
    };
  });
}
