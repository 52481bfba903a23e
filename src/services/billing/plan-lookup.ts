import type { EntityManager } from '@mikro-orm/postgresql';
import { Plan } from '../../entities/domain/plan.entity.js';
import { isUuid } from '../shared/schemas.js';
import { findInTenantOrFail } from '../shared/scope.js';

/** A plan of the tenant by id or by code (`pro-annual`). */
export function findPlan(em: EntityManager, tenantId: string, idOrCode: string): Promise<Plan> {
  const where = isUuid(idOrCode) ? { id: idOrCode, tenant: tenantId } : { code: idOrCode, tenant: tenantId };
  return findInTenantOrFail(em, Plan, where, `plan ${idOrCode}`);
}
