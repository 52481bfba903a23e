import type { EntityName, FilterQuery } from '@mikro-orm/core';
import type { ServiceCallContext } from '../registry.js';
import { findInTenantOrFail } from './scope.js';

/**
 * What most undos of a failed run come to: lock the row the run made (of the acting tenant, by id) and
 * move it from the state the run left it in to the one that says it was taken back; a row in any other
 * state (already undone, or moved on since — paid, accepted) is left as it is. Returns the row.
 */
export async function undoStatus<T extends { id: string; status: string }>(
  ctx: ServiceCallContext,
  entity: EntityName<T>,
  id: string,
  what: string,
  transition: { from: T['status']; to: T['status'] },
): Promise<T> {
  const row = await findInTenantOrFail(ctx.em, entity, { id, tenant: ctx.tenantId } as FilterQuery<T>, `${what} ${id}`, { lock: true });
  if (row.status === transition.from) {
    row.status = transition.to;
    await ctx.em.flush();
  }
  return row;
}
