import { LockMode, type EntityName, type FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Tenant } from '../../entities/tenant.entity.js';
import { AppError } from '../../errors.js';
import type { ServiceCallContext } from '../registry.js';

/**
 * A `tenantId` parameter names the tenant the caller believes it acts for. It must be the acting tenant
 * (`ctx.tenantId`), given as its id or its slug (the seeds' workflows pass slugs such as `tenant-1`);
 * anything else is refused rather than silently ignored.
 */
export async function assertActingTenant(ctx: ServiceCallContext, tenantId: string): Promise<void> {
  if (tenantId === ctx.tenantId) return;
  const acting = await ctx.em.findOne(Tenant, { id: ctx.tenantId });
  if (acting && acting.slug === tenantId) return;
  throw new AppError('FORBIDDEN', `tenantId ${tenantId} is not the tenant this call acts for`, { details: { tenantId } });
}

/** Loads a row (the `where` names the acting tenant) or fails with NOT_FOUND naming what was looked for. */
export async function findInTenantOrFail<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  where: FilterQuery<T>,
  what: string,
  options: { lock?: boolean } = {},
): Promise<T> {
  // `lock`: SELECT … FOR UPDATE, re-read even when the row is already in the identity map.
  const found = await em.findOne(entity, where, options.lock ? { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true } : {});
  if (!found) throw new AppError('NOT_FOUND', `${what} not found`);
  return found;
}
