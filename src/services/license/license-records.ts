import type { EntityManager } from '@mikro-orm/postgresql';
import { License } from '../../entities/domain/license.entity.js';
import { pageSize, parseInput } from '../shared/parse-input.js';
import { uuid } from '../shared/schemas.js';

export interface LicenseView {
  id: string;
  key: string;
  customerId: string;
  templateId: string | null;
  templateCode: string | null;
  partnerId: string | null;
  seats: number;
  status: string;
  issuedAt: Date;
  expiresAt: Date | null;
}

export async function listLicenses(
  em: EntityManager,
  tenantId: string,
  filter: { customerId?: string | null; first?: number | null },
): Promise<LicenseView[]> {
  const customer = filter.customerId ? { customer: parseInput(uuid, filter.customerId, 'customerId') } : {};
  const rows = await em.find(
    License,
    { tenant: tenantId, ...customer },
    { orderBy: { issuedAt: 'desc', id: 'desc' }, limit: pageSize(filter.first), populate: ['template'] },
  );
  return rows.map((row) => ({
    id: row.id,
    key: row.key,
    customerId: row.customer.id,
    templateId: row.template?.id ?? null,
    templateCode: row.template?.getEntity().code ?? null,
    partnerId: row.partner?.id ?? null,
    seats: row.seats,
    status: row.status,
    issuedAt: row.issuedAt,
    expiresAt: row.expiresAt ?? null,
  }));
}
