import type { EntityManager } from '@mikro-orm/postgresql';
import { ApiKey } from '../entities/auth/api-key.entity.js';
import { Tenant } from '../entities/tenant.entity.js';
import { AppError } from '../errors.js';
import { generateApiKey } from './api-key-format.js';
import type { Permission } from './permissions.js';
import { TENANT_FILTER } from './tenant-scope.js';
import { isPlatformAdmin, viewerSource, type Viewer } from './viewer.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_NAME_LENGTH = 100;

export interface NewApiKey {
  name: string;
  permissions: readonly Permission[];
  /** Another tenant than the viewer's: platform admins only. */
  tenantId?: string | undefined;
}

function assertUuid(value: string, what: string): void {
  if (!UUID.test(value)) throw new AppError('BAD_USER_INPUT', `${what} must be a UUID`);
}

/** The viewer's own tenant, or any tenant for a platform admin. */
function assertManages(viewer: Viewer, tenantId: string): void {
  if (tenantId !== viewer.tenantId && !isPlatformAdmin(viewer)) {
    throw new AppError('FORBIDDEN', "only an admin user manages another tenant's API keys");
  }
}

/** The tenant filter stays on, except for platform admins, who may reach every tenant's keys. */
function scopeFor(viewer: Viewer) {
  return isPlatformAdmin(viewer) ? { filters: { [TENANT_FILTER]: false } } : {};
}

/** Creates a key; the returned `key` is the only time its secret exists outside the caller. */
export async function createApiKey(em: EntityManager, viewer: Viewer, input: NewApiKey): Promise<{ apiKey: ApiKey; key: string }> {
  const name = input.name.trim();
  if (name.length === 0 || name.length > MAX_NAME_LENGTH)
    throw new AppError('BAD_USER_INPUT', `name must have 1 to ${MAX_NAME_LENGTH} characters`);
  const permissions = [...new Set(input.permissions)];
  if (permissions.length === 0) throw new AppError('BAD_USER_INPUT', 'an API key needs at least one permission');
  // No escalation: a key never gets a permission its creator lacks.
  const beyond = permissions.filter((permission) => !viewer.permissions.has(permission));
  if (beyond.length > 0) throw new AppError('FORBIDDEN', `cannot grant permissions you do not have: ${beyond.join(', ')}`);

  const tenantId = input.tenantId ?? viewer.tenantId;
  assertUuid(tenantId, 'tenant');
  assertManages(viewer, tenantId);
  if (!(await em.findOne(Tenant, { id: tenantId }))) throw new AppError('NOT_FOUND', `no tenant ${tenantId}`);

  const generated = generateApiKey();
  const apiKey = em.create(ApiKey, {
    tenant: em.getReference(Tenant, tenantId),
    name,
    prefix: generated.prefix,
    secretHash: generated.secretHash,
    permissions,
    createdBy: viewerSource(viewer),
  });
  await em.flush();
  return { apiKey, key: generated.key };
}

export async function listApiKeys(em: EntityManager, viewer: Viewer, tenantId: string = viewer.tenantId): Promise<ApiKey[]> {
  assertUuid(tenantId, 'tenant');
  assertManages(viewer, tenantId);
  return em.find(ApiKey, { tenant: tenantId }, { orderBy: { createdAt: 'asc', id: 'asc' }, ...scopeFor(viewer) });
}

/** Idempotent: revoking a revoked key returns it unchanged. */
export async function revokeApiKey(em: EntityManager, viewer: Viewer, id: string): Promise<ApiKey> {
  assertUuid(id, 'id');
  const apiKey = await em.findOne(ApiKey, { id }, scopeFor(viewer));
  if (!apiKey) throw new AppError('NOT_FOUND', `no API key ${id}`);
  apiKey.revokedAt ??= new Date();
  await em.flush();
  return apiKey;
}
