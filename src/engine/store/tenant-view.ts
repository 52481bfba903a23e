import { AppError } from '../../errors.js';
import type { TenantView } from '../definition/templates.js';
import type { Queryable } from '../../infra/queryable.js';

/**
 * The tenant a run belongs to, as its templates (`${tenant.slug}`) and expressions see it. A tenant's
 * id, slug and name never change once made, so each process reads each tenant once.
 */
const views = new Map<string, TenantView>();
const MAX_CACHED_TENANTS = 10_000;

/** The cached view, if this process has read it already (no await on the hot path). */
export function cachedTenantView(tenantId: string): TenantView | undefined {
  return views.get(tenantId);
}

export async function loadTenantView(db: Queryable, tenantId: string): Promise<TenantView> {
  const cached = views.get(tenantId);
  if (cached) return cached;
  const [row] = await db.query<TenantView>('select id, slug, name from tenants where id = $1', [tenantId]);
  if (!row) throw new AppError('NOT_FOUND', `no tenant ${tenantId}`);
  if (views.size >= MAX_CACHED_TENANTS) views.clear();
  const view: TenantView = { id: row.id, slug: row.slug, name: row.name };
  views.set(tenantId, view);
  return view;
}

/** The view of the tenant an execution belongs to. */
export async function tenantViewOfExecution(db: Queryable, executionId: string): Promise<TenantView | undefined> {
  const [row] = await db.query<{ tenant_id: string }>('select tenant_id from executions where id = $1', [executionId]);
  return row ? loadTenantView(db, row.tenant_id) : undefined;
}
