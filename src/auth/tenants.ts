import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/postgresql';
import { Tenant } from '../entities/tenant.entity.js';
import { AppError, type Issue } from '../errors.js';
import type { Clock } from './clock.js';
import { createUser } from './users/users.js';
import { isPlatformAdmin, type Viewer } from './viewer.js';

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
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
}

/** Tenants are the platform admin's: a tenant's own admins manage only their tenant. */
export function assertPlatformAdmin(viewer: Viewer): void {
  if (!isPlatformAdmin(viewer)) throw new AppError('FORBIDDEN', 'only the platform admin manages tenants');
}

function nameIssues(name: string): Issue[] {
  return name.length === 0 || name.length > MAX_NAME_LENGTH ? [{ path: '$.name', message: `must have 1 to ${MAX_NAME_LENGTH} characters` }] : [];
}

function refuse(issues: Issue[]): void {
  if (issues.length > 0) throw new AppError('VALIDATION', issues.map((issue) => `${issue.path}: ${issue.message}`).join('; '), { details: { issues } });
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
  refuse([...(SLUG.test(slug) ? [] : [{ path: '$.slug', message: 'must be 1 to 63 lower-case letters, digits and inner hyphens' }]), ...nameIssues(name)]);
  if (await em.findOne(Tenant, { slug })) throw new AppError('CONFLICT', `a tenant with the slug ${slug} exists already`);
  const tenant = em.create(Tenant, { slug, name });
  try {
    await em.flush();
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) throw new AppError('CONFLICT', `a tenant with the slug ${slug} exists already`, { cause: error });
    throw error;
  }
  await createUser(em, clock, viewer, { email: input.adminEmail, name: input.adminEmail.trim(), role: 'admin' }, tenant.id);
  return tenant;
}

/** Renames, suspends, lifts a suspension. The platform admin's own tenant is never suspended. */
export async function updateTenant(em: EntityManager, clock: Clock, viewer: Viewer, id: string, change: TenantChange): Promise<{ tenant: Tenant; suspensionChanged: boolean }> {
  assertPlatformAdmin(viewer);
  if (!UUID.test(id)) throw new AppError('BAD_USER_INPUT', 'id must be a UUID');
  const tenant = await em.findOne(Tenant, { id });
  if (!tenant) throw new AppError('NOT_FOUND', `no tenant ${id}`);
  const name = change.name?.trim();
  if (name !== undefined) refuse(nameIssues(name));
  if (change.suspended === true && tenant.id === viewer.tenantId) throw new AppError('INVALID_STATE', 'the platform admin\'s own tenant cannot be suspended', { details: { reason: 'own_tenant' } });
  const wasSuspended = Boolean(tenant.suspendedAt);
  if (name !== undefined) tenant.name = name;
  if (change.suspended === true && !tenant.suspendedAt) tenant.suspendedAt = clock.now();
  if (change.suspended === false) tenant.suspendedAt = null;
  await em.flush();
  return { tenant, suspensionChanged: wasSuspended !== Boolean(tenant.suspendedAt) };
}
