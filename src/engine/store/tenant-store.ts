import { AppError } from '../../errors.js';
import type { Queryable } from '../../infra/queryable.js';

/**
 * A suspended tenant's runs are not started by its event triggers and schedules: the start is refused
 * with TENANT_SUSPENDED, which the dispatcher records on the event's delivery and the scheduler on the
 * tick's run (both permanent: not retried). Lifting the suspension lets the next ones start.
 */
export async function assertTenantNotSuspended(db: Queryable, tenantId: string): Promise<void> {
  const [tenant] = await db.query<{ slug: string; suspended: boolean }>('select slug, suspended_at is not null as suspended from tenants where id = $1', [tenantId]);
  if (tenant?.suspended) {
    throw new AppError('TENANT_SUSPENDED', `tenant ${tenant.slug} is suspended: its event triggers and schedules start no runs until a platform admin lifts the suspension`, {
      details: { tenant: tenant.slug },
    });
  }
}
