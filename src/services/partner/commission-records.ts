import type { EntityManager } from '@mikro-orm/postgresql';
import { PartnerCommission } from '../../entities/domain/partner-commission.entity.js';
import { pageSize } from '../shared/parse-input.js';
import { findPartner } from './partner-lookup.js';

export interface CommissionView {
  id: string;
  partnerId: string;
  customerId: string;
  type: string;
  amount: number;
  currency: string;
  rateBps: number | null;
  baseAmount: number | null;
  status: string;
  createdAt: Date;
}

/** Commissions owed to partners, newest first; `partnerId` is a partner's id or code. */
export async function listCommissions(
  em: EntityManager,
  tenantId: string,
  filter: { partnerId?: string | null; first?: number | null },
): Promise<CommissionView[]> {
  const partner = filter.partnerId ? { partner: (await findPartner(em, tenantId, filter.partnerId)).id } : {};
  const rows = await em.find(
    PartnerCommission,
    { tenant: tenantId, ...partner },
    { orderBy: { createdAt: 'desc', id: 'desc' }, limit: pageSize(filter.first) },
  );
  return rows.map((row) => ({
    id: row.id,
    partnerId: row.partner.id,
    customerId: row.customer.id,
    type: row.type,
    amount: row.amount,
    currency: row.currency,
    rateBps: row.rateBps ?? null,
    baseAmount: row.baseAmount ?? null,
    status: row.status,
    createdAt: row.createdAt,
  }));
}
