import type { EntityManager } from '@mikro-orm/postgresql';
import { Partner } from '../../entities/domain/partner.entity.js';
import { findInTenantOrFail } from '../shared/scope.js';
import { isUuid } from '../shared/schemas.js';

/** A partner of the tenant by id or by code (`acme-reseller`); `lock` takes its row for the transaction. */
export function findPartner(em: EntityManager, tenantId: string, idOrCode: string, options: { lock?: boolean } = {}): Promise<Partner> {
  const where = isUuid(idOrCode) ? { id: idOrCode, tenant: tenantId } : { code: idOrCode, tenant: tenantId };
  return findInTenantOrFail(em, Partner, where, `partner ${idOrCode}`, options);
}
