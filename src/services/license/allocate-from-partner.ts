import { z } from 'zod';
import { Customer } from '../../entities/customer.entity.js';
import { License } from '../../entities/domain/license.entity.js';
import { noteRecordChanged } from '../../entities/lineage-records.js';
import { AppError } from '../../errors.js';
import { idOrCode, uuid } from '../shared/schemas.js';
import { findInTenantOrFail } from '../shared/scope.js';
import { findPartner } from '../partner/partner-lookup.js';
import { defineServiceMethod } from '../registry.js';
import { generateLicenseKey } from './license-key.js';
import { licenseResult } from './license-result.js';

/**
 * license.allocateFromPartner(partnerId, customerId, licenseCount) → {licenseKey, licenseId, customerId,
 *   partnerId, seats, seatsAllocated, quotaRemaining, status, issuedAt, expiresAt}
 *
 * A partner's customer holds one license from the partner's pool, and `licenseCount` is the number of
 * seats it holds after the call: the first call takes them from the pool, a larger count later takes only
 * the difference, the same count changes nothing (so a re-run of the provisioning workflow does not take
 * the seats twice) and a smaller count is CONFLICT (seats are not silently handed back). A license whose
 * seats went back to the pool (license.returnToPartner) is taken up again, active, with its seats.
 *
 * Atomic under concurrency: the seats are taken by one conditional `update … set seats_used = seats_used + n
 * where seats_used + n <= seats_total`, so the pool never goes below zero (QUOTA_EXCEEDED instead) whatever
 * runs beside it, and `check (seats_used <= seats_total)` guards every other writer. The partner row is also
 * locked for the transaction, which serialises one customer's allocations (one license per partner).
 */
export const allocateFromPartner = defineServiceMethod({
  service: 'license',
  method: 'allocateFromPartner',
  description: "Gives a partner's customer seats from the partner's license pool.",
  effects: 'local',
  output: z.looseObject({ licenseId: z.uuid(), seatsAllocated: z.int().min(0), quotaRemaining: z.int() }),
  input: z.object({ partnerId: idOrCode, customerId: uuid, licenseCount: z.int().positive().max(1_000_000) }),
  async run(ctx, input) {
    const partner = await findPartner(ctx.em, ctx.tenantId, input.partnerId, { lock: true });
    const customer = await findInTenantOrFail(
      ctx.em,
      Customer,
      { id: input.customerId, tenant: ctx.tenantId },
      `customer ${input.customerId}`,
    );
    if (customer.partnerId !== partner.id)
      throw new AppError('VALIDATION', `customer ${customer.id} is not a customer of partner ${partner.code}`);

    const held = await ctx.em.findOne(License, { tenant: ctx.tenantId, partner: partner.id, customer: customer.id });
    // A revoked license (returnToPartner, the undo of a failed run) holds no seats: they are taken again.
    const heldSeats = held && held.status !== 'revoked' ? held.seats : 0;
    const result = (license: License, seatsAllocated: number, quotaRemaining: number) => ({
      ...licenseResult(license),
      partnerId: partner.id,
      seatsAllocated,
      quotaRemaining,
    });
    if (held && heldSeats === input.licenseCount) return result(held, 0, partner.seatsTotal - partner.seatsUsed);
    if (heldSeats > input.licenseCount) {
      throw new AppError('CONFLICT', `customer ${customer.id} already holds ${heldSeats} seats from partner ${partner.code}`, {
        details: { heldSeats },
      });
    }
    if (partner.status !== 'active') throw new AppError('INVALID_STATE', `partner ${partner.code} is ${partner.status}`);

    // One conditional, relative UPDATE takes the seats: atomic by itself, whoever else writes the pool.
    const needed = input.licenseCount - heldSeats;
    const [pool] = await ctx.em.execute<{ seats_total: number; seats_used: number }[]>(
      'update "partners" set "seats_used" = "seats_used" + ? where "id" = ? and "seats_used" + ? <= "seats_total" returning "seats_total", "seats_used"',
      [needed, partner.id, needed],
    );
    if (!pool) {
      const quotaRemaining = partner.seatsTotal - partner.seatsUsed;
      throw new AppError('QUOTA_EXCEEDED', `partner ${partner.code} has ${quotaRemaining} seats left; ${needed} requested`, {
        details: { requested: needed, quotaRemaining },
      });
    }

    await noteRecordChanged(ctx.em, { type: 'partner', id: partner.id });
    const license =
      held ??
      ctx.em.create(License, {
        tenant: ctx.tenantId,
        customer,
        partner,
        key: generateLicenseKey(),
        seats: input.licenseCount,
        issuedAt: ctx.now,
      });
    license.seats = input.licenseCount;
    if (license.status === 'revoked') license.status = 'active';
    await ctx.em.flush();
    return result(license, needed, pool.seats_total - pool.seats_used);
  },
});
