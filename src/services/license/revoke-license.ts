import { z } from 'zod';
import { License } from '../../entities/domain/license.entity.js';
import { noteRecordChanged } from '../../entities/lineage-records.js';
import { uuid } from '../shared/schemas.js';
import { findInTenantOrFail } from '../shared/scope.js';
import { undoStatus } from '../shared/undo-status.js';
import { defineServiceMethod } from '../registry.js';
import { licenseResult } from './license-result.js';

/**
 * license.revokeLicense(licenseId, created) → {licenseId, licenseKey, customerId, seats, status, issuedAt, expiresAt}
 *
 * The compensation of issueLicense: the license a failed onboarding issued is `revoked`. `created: false`
 * (the customer held it already) revokes nothing. A license no longer active is answered as it is.
 */
export const revokeLicense = defineServiceMethod({
  service: 'license',
  method: 'revokeLicense',
  description: 'Revokes a license issued by a run that failed (compensation of issueLicense; idempotent).',
  effects: 'local',
  input: z.object({ licenseId: uuid, created: z.boolean().default(true) }),
  async run(ctx, input) {
    // Not created by the undone call (the customer held it already): nothing of the call's to revoke.
    if (!input.created)
      return licenseResult(
        await findInTenantOrFail(ctx.em, License, { id: input.licenseId, tenant: ctx.tenantId }, `license ${input.licenseId}`),
      );
    return licenseResult(await undoStatus(ctx, License, input.licenseId, 'license', { from: 'active', to: 'revoked' }));
  },
});

/**
 * license.returnToPartner(licenseId, seats) → {licenseId, …, partnerId, seatsReturned, quotaRemaining}
 *
 * The compensation of allocateFromPartner: the `seats` that call took (its `seatsAllocated`) go back to the
 * partner's pool, and a license left with none is `revoked`. Returning from a revoked license returns
 * nothing again.
 */
export const returnToPartner = defineServiceMethod({
  service: 'license',
  method: 'returnToPartner',
  description: "Gives the seats a failed run took back to the partner's pool (compensation of allocateFromPartner; idempotent).",
  effects: 'local',
  input: z.object({ licenseId: uuid, seats: z.int().min(0).max(1_000_000) }),
  async run(ctx, input) {
    const license = await findInTenantOrFail(ctx.em, License, { id: input.licenseId, tenant: ctx.tenantId }, `license ${input.licenseId}`, {
      lock: true,
    });
    const partnerId = license.partner?.id ?? null;
    const returned = partnerId && license.status === 'active' ? Math.min(input.seats, license.seats) : 0;
    let quotaRemaining: number | null = null;
    if (partnerId) {
      const [pool] = await ctx.em.execute<{ seats_total: number; seats_used: number }[]>(
        'update "partners" set "seats_used" = "seats_used" - ? where "id" = ? returning "seats_total", "seats_used"',
        [returned, partnerId],
      );
      quotaRemaining = pool ? pool.seats_total - pool.seats_used : null;
      if (pool && returned > 0) await noteRecordChanged(ctx.em, { type: 'partner', id: partnerId });
    }
    if (returned > 0) {
      // seats > 0 always holds: a license whose every seat went back keeps its count and is revoked.
      if (returned === license.seats) license.status = 'revoked';
      else license.seats -= returned;
      await ctx.em.flush();
    }
    return { ...licenseResult(license), partnerId, seatsReturned: returned, quotaRemaining };
  },
});
