import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Tenant } from '../entities/tenant.entity.js';
import { Audited, noteAudit } from '../auth/audit/audited.js';
import { Requires } from '../auth/auth-checker.js';
import { clockOf } from '../auth/clock.js';
import { createTenant, listTenants, updateTenant } from '../auth/tenants.js';
import { requireViewer } from '../auth/viewer.js';
import type { RequestContext } from '../context.js';
import { TenantType } from '../schema/types/auth.type.js';
import { CreateTenantInput, UpdateTenantInput } from '../schema/types/user.type.js';
import { toTenantType } from './auth.resolver.js';

/** Tenants, for the platform admin only (FORBIDDEN for every other caller, tenant admins included). */
@Resolver(() => TenantType)
export class TenantResolver {
  @FieldResolver(() => Boolean, { description: 'Its users and API keys are refused (TENANT_SUSPENDED) while true.' })
  async suspended(@Root() tenant: TenantType, @Ctx() ctx: RequestContext): Promise<boolean> {
    if (tenant.suspended !== undefined) return tenant.suspended;
    const row = await ctx.em.fork().findOne(Tenant, { id: tenant.id });
    return Boolean(row?.suspendedAt);
  }

  @FieldResolver(() => Int, {
    nullable: true,
    description:
      "Its own limit of top-level runs in progress at once (flow control): further runs wait QUEUED. Null: the deployment's SWITCHYARD_TENANT_CONCURRENCY_LIMIT, if set.",
  })
  async concurrencyLimit(@Root() tenant: TenantType, @Ctx() ctx: RequestContext): Promise<number | null> {
    if (tenant.concurrencyLimit !== undefined) return tenant.concurrencyLimit;
    const row = await ctx.em.fork().findOne(Tenant, { id: tenant.id });
    return row?.concurrencyLimit ?? null;
  }

  @Requires('user:manage')
  @Query(() => [TenantType], { description: 'Every tenant (platform admin).' })
  async tenants(@Ctx() ctx: RequestContext): Promise<TenantType[]> {
    const viewer = requireViewer(ctx.viewer);
    return (await listTenants(ctx.em, viewer)).map(toTenantType);
  }

  @Requires('user:manage')
  @Audited({ operation: 'tenant.create', targetType: 'tenant' })
  @Mutation(() => TenantType, {
    description: 'A tenant, and an invitation e-mailed to its first admin (platform admin). CONFLICT when the slug or the e-mail is taken.',
  })
  async createTenant(@Arg('input', () => CreateTenantInput) input: CreateTenantInput, @Ctx() ctx: RequestContext): Promise<TenantType> {
    const viewer = requireViewer(ctx.viewer);
    return toTenantType(await ctx.em.transactional((em) => createTenant(em, clockOf(em), viewer, input)));
  }

  @Requires('user:manage')
  @Audited({ operation: 'tenant.update', targetType: 'tenant', targetArg: 'id' })
  @Mutation(() => TenantType, {
    description:
      "Renames a tenant, suspends it or lifts its suspension, or sets its own concurrency limit (platform admin). A suspension pauses the tenant's unfinished runs at their next step boundary; lifting it resumes them. A new limit holds back the tenant's next starts, or starts its queued runs it now has room for; runs in progress go on.",
  })
  async updateTenant(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateTenantInput) input: UpdateTenantInput,
    @Ctx() ctx: RequestContext,
  ): Promise<TenantType> {
    const viewer = requireViewer(ctx.viewer);
    const { tenant, heldOrReleased, concurrencyLimitChanged } = await ctx.em.transactional((em) =>
      updateTenant(em, clockOf(em), viewer, id, input),
    );
    if (heldOrReleased !== undefined || concurrencyLimitChanged) {
      noteAudit(ctx, {
        afterCommit: () => {
          if (heldOrReleased !== undefined) {
            ctx.auth.tenantChanged(tenant.id);
            ctx.engine.tenantSuspensionChanged(tenant.id, Boolean(tenant.suspendedAt));
          }
          // A raised limit starts queued runs at once; a lowered one holds back the next starts.
          if (concurrencyLimitChanged) ctx.engine.tenantConcurrencyLimitChanged(tenant.id);
        },
      });
    }
    return toTenantType(tenant);
  }
}
