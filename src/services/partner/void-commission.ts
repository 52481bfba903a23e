import { z } from 'zod';
import { PartnerCommission } from '../../entities/domain/partner-commission.entity.js';
import { uuid } from '../shared/schemas.js';
import { undoStatus } from '../shared/undo-status.js';
import { defineServiceMethod } from '../registry.js';
import { commissionResult } from './record-commission.js';

/**
 * partner.voidCommission(commissionId) → {commissionId, …, status}
 *
 * The compensation of recordCommission: a commission still `accrued` becomes `void` (a partner is not owed
 * for a customer whose provisioning failed). One already paid is left as it is, for people to settle.
 */
export const voidCommission = defineServiceMethod({
  service: 'partner',
  method: 'voidCommission',
  description: 'Voids an accrued commission recorded by a run that failed (compensation of recordCommission; idempotent).',
  effects: 'local',
  input: z.object({ commissionId: uuid }),
  async run(ctx, input) {
    return commissionResult(await undoStatus(ctx, PartnerCommission, input.commissionId, 'commission', { from: 'accrued', to: 'void' }));
  },
});
