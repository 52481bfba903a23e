import { z } from 'zod';
import { idOrCode } from '../shared/schemas.js';
import { defineServiceMethod } from '../registry.js';
import { findPartner } from './partner-lookup.js';

/**
 * partner.checkLicenseQuota(partnerId, requestedLicenses) → {available, quotaRemaining, requestedLicenses,
 *   seatsTotal, seatsUsed, partnerId, partnerStatus}
 *
 * A read: whether the partner's pool has the seats now. `available` is false for a suspended partner. It
 * reserves nothing — license.allocateFromPartner takes the seats atomically and is the real check.
 */
export const checkLicenseQuota = defineServiceMethod({
  service: 'partner',
  method: 'checkLicenseQuota',
  description: "Says whether a partner's license pool has the seats requested.",
  effects: 'none',
  output: z.looseObject({ available: z.boolean(), quotaRemaining: z.int(), partnerId: z.uuid() }),
  input: z.object({ partnerId: idOrCode, requestedLicenses: z.int().positive().max(1_000_000) }),
  async run(ctx, input) {
    const partner = await findPartner(ctx.em, ctx.tenantId, input.partnerId);
    const quotaRemaining = partner.seatsTotal - partner.seatsUsed;
    return {
      available: partner.status === 'active' && input.requestedLicenses <= quotaRemaining,
      quotaRemaining,
      requestedLicenses: input.requestedLicenses,
      seatsTotal: partner.seatsTotal,
      seatsUsed: partner.seatsUsed,
      partnerId: partner.id,
      partnerStatus: partner.status,
    };
  },
});
