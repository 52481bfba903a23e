import { z } from 'zod';
import { RadCheck, RadReply, RadUserGroup } from '../../entities/domain/radius.entity.js';
import { defineServiceMethod } from '../registry.js';

const input = z.object({ username: z.string().trim().min(1) });

/** Compensation of createSubscriber: removes the user's rows, so the NAS rejects it from now on. Idempotent. */
export const deleteSubscriber = defineServiceMethod({
  service: 'radius',
  method: 'deleteSubscriber',
  description: 'Removes a RADIUS subscriber (radcheck, radreply, radusergroup rows). Returns {username, removedRows}.',
  effects: 'local',
  input,
  async run(ctx, { username }) {
    const where = { tenant: ctx.tenantId, username };
    const removedRows =
      (await ctx.em.nativeDelete(RadCheck, where)) +
      (await ctx.em.nativeDelete(RadReply, where)) +
      (await ctx.em.nativeDelete(RadUserGroup, where));
    return { username, removedRows };
  },
});
