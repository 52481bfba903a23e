import { z } from 'zod';
import { withoutUndefined } from '../../entities/entity-data.js';
import { Customer } from '../../entities/customer.entity.js';
import { License } from '../../entities/domain/license.entity.js';
import { COMMISSION_TYPES, PartnerCommission } from '../../entities/domain/partner-commission.entity.js';
import { AppError } from '../../errors.js';
import { conflictOnDuplicate } from '../shared/constraint-errors.js';
import { idOrCode, minorUnits, uuid } from '../shared/schemas.js';
import { findInTenantOrFail } from '../shared/scope.js';
import { defineServiceMethod } from '../registry.js';
import { applyBasisPoints } from './commission-rules.js';
import { findPartner } from './partner-lookup.js';

export function commissionResult(commission: PartnerCommission) {
  return {
    commissionId: commission.id,
    partnerId: commission.partner.id,
    customerId: commission.customer.id,
    commissionType: commission.type,
    amount: commission.amount,
    currency: commission.currency,
    rateBps: commission.rateBps ?? null,
    baseAmount: commission.baseAmount ?? null,
    status: commission.status,
  };
}

/**
 * partner.recordCommission(partnerId, customerId, commissionType, amount?) → {commissionId, partnerId,
 *   customerId, commissionType, amount, currency, rateBps, baseAmount, status: 'accrued'}
 *
 * An accrued commission, in the partner's currency. `amount` (integer minor units) is taken as given;
 * without it the partner's rate (basis points) is applied, rounded half up, to the list value of the seats
 * the customer holds from the partner's pool — no seats, nothing to base it on: VALIDATION. The customer
 * must be the partner's (VALIDATION). `new_customer` is earned once per customer: asking again returns the
 * first (accrued again if a failed run's undo voided it); other types (renewal, upsell, referral) accrue
 * once per call.
 */
export const recordCommission = defineServiceMethod({
  service: 'partner',
  method: 'recordCommission',
  description: 'Records a commission owed to a partner for a customer.',
  effects: 'local',
  input: z.object({ partnerId: idOrCode, customerId: uuid, commissionType: z.enum(COMMISSION_TYPES), amount: minorUnits.nullish() }),
  output: z.looseObject({
    commissionId: uuid,
    partnerId: uuid,
    customerId: uuid,
    commissionType: z.enum(COMMISSION_TYPES),
    amount: minorUnits,
    currency: z.string(),
    status: z.string(),
  }),
  async run(ctx, input) {
    const partner = await findPartner(ctx.em, ctx.tenantId, input.partnerId);
    const customer = await findInTenantOrFail(
      ctx.em,
      Customer,
      { id: input.customerId, tenant: ctx.tenantId },
      `customer ${input.customerId}`,
    );
    if (customer.partnerId !== partner.id)
      throw new AppError('VALIDATION', `customer ${customer.id} is not a customer of partner ${partner.code}`);

    if (input.commissionType === 'new_customer') {
      const earned = await ctx.em.findOne(PartnerCommission, {
        tenant: ctx.tenantId,
        partner: partner.id,
        customer: customer.id,
        type: 'new_customer',
      });
      // Voided by the undo of a failed run (voidCommission), it is owed again when a retry gets this far.
      if (earned?.status === 'void') {
        earned.status = 'accrued';
        await ctx.em.flush();
      }
      if (earned) return commissionResult(earned);
    }

    let amount = input.amount ?? undefined;
    let baseAmount: number | undefined;
    if (amount === undefined) {
      const license = await ctx.em.findOne(License, { tenant: ctx.tenantId, partner: partner.id, customer: customer.id, status: 'active' });
      baseAmount = (license?.seats ?? 0) * partner.seatPriceAmount;
      if (baseAmount === 0) {
        throw new AppError(
          'VALIDATION',
          `no amount given, and customer ${customer.id} holds no priced seats from partner ${partner.code} to apply the rate to`,
        );
      }
      amount = applyBasisPoints(baseAmount, partner.commissionRateBps);
    }

    const commission = ctx.em.create(
      PartnerCommission,
      withoutUndefined({
        tenant: ctx.tenantId,
        partner,
        customer,
        type: input.commissionType,
        amount,
        currency: partner.currency,
        rateBps: baseAmount === undefined ? undefined : partner.commissionRateBps,
        baseAmount,
        createdAt: ctx.now,
      }),
    );
    await conflictOnDuplicate(
      () => ctx.em.flush(),
      `partner ${partner.code} already earned the new_customer commission for customer ${customer.id}`,
    );
    return commissionResult(commission);
  },
});
