import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { withoutUndefined } from '../../entities/entity-data.js';
import { Partner, type PartnerStatus } from '../../entities/domain/partner.entity.js';
import { AppError } from '../../errors.js';
import { code } from '../billing/manage-plans.js';
import { conflictOnDuplicate } from '../shared/constraint-errors.js';
import { pageSize, parseInput } from '../shared/parse-input.js';
import { currency, email, label, minorUnits } from '../shared/schemas.js';

export interface PartnerView {
  id: string;
  code: string;
  name: string;
  email: string | null;
  status: PartnerStatus;
  seatsTotal: number;
  seatsUsed: number;
  seatsRemaining: number;
  seatPriceAmount: number;
  currency: string;
  commissionRateBps: number;
  createdAt: Date;
}

export function partnerView(partner: Partner): PartnerView {
  return {
    id: partner.id,
    code: partner.code,
    name: partner.name,
    email: partner.email ?? null,
    status: partner.status,
    seatsTotal: partner.seatsTotal,
    seatsUsed: partner.seatsUsed,
    seatsRemaining: partner.seatsTotal - partner.seatsUsed,
    seatPriceAmount: partner.seatPriceAmount,
    currency: partner.currency,
    commissionRateBps: partner.commissionRateBps,
    createdAt: partner.createdAt,
  };
}

const createPartnerInput = z.object({
  code,
  name: label(),
  email: email.nullish(),
  seatsTotal: z.int().min(0).max(1_000_000),
  seatPriceAmount: minorUnits,
  currency,
  commissionRateBps: z.int().min(0).max(10_000),
});

/** A reseller with a seat pool and a commission rate (basis points). The code is unique per tenant (CONFLICT). */
export async function createPartner(em: EntityManager, tenantId: string, input: unknown): Promise<PartnerView> {
  const data = parseInput(createPartnerInput, input, 'createPartner');
  if (await em.count(Partner, { tenant: tenantId, code: data.code })) {
    throw new AppError('CONFLICT', `a partner with code ${data.code} already exists`, { details: { code: data.code } });
  }
  const partner = em.create(Partner, withoutUndefined({ tenant: tenantId, ...data, email: data.email ?? undefined }));
  await conflictOnDuplicate(() => em.flush(), `a partner with code ${data.code} already exists`, { code: data.code });
  return partnerView(partner);
}

export async function listPartners(em: EntityManager, tenantId: string, filter: { first?: number | null }): Promise<PartnerView[]> {
  const partners = await em.find(Partner, { tenant: tenantId }, { orderBy: { code: 'asc' }, limit: pageSize(filter.first) });
  return partners.map(partnerView);
}
