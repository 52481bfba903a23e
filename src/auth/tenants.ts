import { randomUUID } from 'node:crypto';
import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import { MAX_TENANT_CONCURRENCY_LIMIT, MIN_TENANT_CONCURRENCY_LIMIT, Tenant } from '../entities/tenant.entity.js';
import type { User } from '../entities/user.entity.js';
import { AppError, type Issue } from '../errors.js';
import { holdTenantRuns } from '../engine/store/tenant-store.js';
import { transactionQueryable } from '../infra/queryable.js';
import type { Clock } from './clock.js';
import type { InvitationDelivery } from './users/invitations.js';
import { addUser, checkNewUser } from './users/users.js';
import { isPlatformAdmin, type Viewer } from './viewer.js';

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_NAME_LENGTH = 100;

export interface NewTenant {
  slug: string;
  name: string;
  /** Its first admin, invited by e-mail. */
  adminEmail: string;
}

export interface TenantChange {
  name?: string | null | undefined;
  /** True: its users and API keys are refused from then on; false: lifted. */
  suspended?: boolean | null | undefined;
  /** A number: the tenant's own concurrency limit; null: the deployment's again; undefined: unchanged. */
  concurrencyLimit?: number | null | undefined;
}

/** Tenants are the platform admin's: a tenant's own admins manage only their tenant. */
export function assertPlatformAdmin(viewer: Viewer): void {
  if (!isPlatformAdmin(viewer)) throw new AppError('FORBIDDEN', 'only the platform admin manages tenants');
}

function nameIssues(name: string): Issue[] {
  return name.length === 0 || name.length > MAX_NAME_LENGTH
    ? [{ path: '$.name', message: `must have 1 to ${MAX_NAME_LENGTH} characters` }]
    : [];
}

function refuse(issues: Issue[]): void {
  if (issues.length > 0)
    throw new AppError('VALIDATION', issues.map((issue) => `${issue.path}: ${issue.message}`).join('; '), { details: { issues } });
}

export async function listTenants(em: EntityManager, viewer: Viewer): Promise<Tenant[]> {
  assertPlatformAdmin(viewer);
  return em.find(Tenant, {}, { orderBy: { createdAt: 'asc', id: 'asc' } });
}

/** A tenant and the invitation of its first admin, in one transaction. */
export async function createTenant(em: EntityManager, clock: Clock, viewer: Viewer, input: NewTenant): Promise<Tenant> {
  assertPlatformAdmin(viewer);
  const slug = input.slug.trim().toLowerCase();
  const name = input.name.trim();
  refuse([
    ...(SLUG.test(slug) ? [] : [{ path: '$.slug', message: 'must be 1 to 63 lower-case letters, digits and inner hyphens' }]),
    ...nameIssues(name),
  ]);
  const { tenant } = await openTenant(em, clock, { slugs: [slug], name, adminEmail: input.adminEmail });
  return tenant;
}

export interface TenantOpening {
  /** The slugs to try, in order: the first one free is the tenant's. */
  slugs: readonly string[];
  name: string;
  adminEmail: string;
  /** Default: the e-mail. */
  adminName?: string;
  /** How the admin's invitation reaches them: its own e-mail (the default), or the caller's welcome e-mail. */
  invitation?: InvitationDelivery;
}

/**
 * The one way a tenant is made — by a platform admin (createTenant) and by the workflows that provision
 * customers' tenants (deployment.provisionTenant, provisionPartnerTenant) — in the caller's transaction:
 * the tenant under the first free slug (claimed with `on conflict do nothing`, so a taken slug costs a
 * try, not an aborted transaction), and its first admin invited by e-mail (a one-time token through the
 * outbox, in an e-mail of its own or in the caller's welcome e-mail; no password exists until they
 * choose one). CONFLICT when no slug is free or the e-mail is taken.
 */
export async function openTenant(em: EntityManager, clock: Clock, opening: TenantOpening): Promise<{ tenant: Tenant; admin: User }> {
  const admin = checkNewUser({
    email: opening.adminEmail,
    name: (opening.adminName ?? opening.adminEmail).trim().slice(0, 100) || opening.adminEmail,
    role: 'admin',
  });
  for (const slug of opening.slugs) {
    const id = randomUUID();
    const rows = await em.execute<Array<{ id: string }>>(
      'insert into "tenants" ("id", "slug", "name", "created_at") values (?, ?, ?, ?) on conflict ("slug") do nothing returning "id"',
      [id, slug, opening.name, clock.now()],
    );
    if (rows.length === 1) {
      const tenant = await em.findOneOrFail(Tenant, { id });
      const { user } = await addUser(em, clock, admin, tenant.id, opening.invitation);
      return { tenant, admin: user };
    }
  }
  throw new AppError(
    'CONFLICT',
    opening.slugs.length === 1 ? `a tenant with the slug ${opening.slugs[0]} exists already` : `no free tenant slug for ${opening.name}`,
  );
}

/**
 * The one way a tenant is suspended or its suspension lifted (updateTenant; business_activation's undo
 * and its retry), in the caller's transaction, which must lock the tenant's row FOR UPDATE first
 * (lockTenant): that waits for the starts being recorded for the tenant, which read the suspension
 * FOR KEY SHARE, and makes later ones wait for this commit and read it (engine/store/tenant-store.ts).
 * Then suspended_at, and its runs held or let go in the same transaction. Returns how many runs, or
 * undefined when it was so already; once committed, tell the engine (tenantSuspensionChanged) and the
 * auth cache (tenantChanged) where the caller can reach them — other processes see it within their
 * trust window, and their workers at their next poll.
 */
export async function setTenantSuspension(em: EntityManager, tenant: Tenant, suspended: boolean, now: Date): Promise<number | undefined> {
  if (Boolean(tenant.suspendedAt) === suspended) return undefined;
  tenant.suspendedAt = suspended ? now : null;
  await em.flush();
  return holdTenantRuns(transactionQueryable(em), tenant.id, suspended);
}

/** The tenant, its row locked FOR UPDATE until the transaction ends (see setTenantSuspension), read afresh. */
export async function lockTenant(em: EntityManager, id: string): Promise<Tenant | null> {
  return em.findOne(Tenant, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
}

/** Renames, suspends, lifts a suspension. The platform admin's own tenant is never suspended. */
export async function updateTenant(
  em: EntityManager,
  clock: Clock,
  viewer: Viewer,
  id: string,
  change: TenantChange,
): Promise<{ tenant: Tenant; heldOrReleased: number | undefined; concurrencyLimitChanged: boolean }> {
  assertPlatformAdmin(viewer);
  if (!UUID.test(id)) throw new AppError('BAD_USER_INPUT', 'id must be a UUID');
  const suspended = change.suspended ?? undefined;
  const tenant = suspended === undefined ? await em.findOne(Tenant, { id }) : await lockTenant(em, id);
  if (!tenant) throw new AppError('NOT_FOUND', `no tenant ${id}`);
  const name = change.name?.trim();
  if (name !== undefined) refuse(nameIssues(name));
  if (suspended === true && tenant.id === viewer.tenantId)
    throw new AppError('INVALID_STATE', "the platform admin's own tenant cannot be suspended", { details: { reason: 'own_tenant' } });
  const limit = change.concurrencyLimit;
  if (
    limit !== undefined &&
    limit !== null &&
    !(Number.isInteger(limit) && limit >= MIN_TENANT_CONCURRENCY_LIMIT && limit <= MAX_TENANT_CONCURRENCY_LIMIT)
  ) {
    throw new AppError(
      'BAD_USER_INPUT',
      `concurrencyLimit must be an integer from ${MIN_TENANT_CONCURRENCY_LIMIT} to ${MAX_TENANT_CONCURRENCY_LIMIT}, or null for the deployment's`,
      {
        details: { field: 'concurrencyLimit' },
      },
    );
  }
  const limitBefore = tenant.concurrencyLimit ?? null;
  if (limit !== undefined) tenant.concurrencyLimit = limit;
  if (name !== undefined) tenant.name = name;
  const heldOrReleased = suspended === undefined ? undefined : await setTenantSuspension(em, tenant, suspended, clock.now());
  await em.flush();
  return { tenant, heldOrReleased, concurrencyLimitChanged: limitBefore !== (tenant.concurrencyLimit ?? null) };
}
