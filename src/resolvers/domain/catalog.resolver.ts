import { Arg, Ctx, Int, Mutation, Query, Resolver } from 'type-graphql';
import { Audited } from '../../auth/audit/audited.js';
import { Requires } from '../../auth/auth-checker.js';
import { inTenantTransaction } from '../../auth/tenant-scope.js';
import type { RequestContext } from '../../context.js';
import { CreatePartnerInput, CreatePlanInput } from '../../schema/inputs/domain/catalog.input.js';
import { PartnerType, PlanType } from '../../schema/types/domain/catalog.type.js';
import { createPlan, listPlans } from '../../services/billing/manage-plans.js';
import { createPartner, listPartners } from '../../services/partner/manage-partners.js';
import { actorOf } from './actor.js';

/** The price list and the partners. */
@Resolver()
export class DomainCatalogResolver {
  @Requires('crm:view')
  @Query(() => [PlanType], { description: 'Plans, by code.' })
  async plans(
    @Arg('first', () => Int, { nullable: true, description: '1–200, default 50.' }) first: number | null,
    @Ctx() ctx: RequestContext,
  ): Promise<PlanType[]> {
    const { tenantId } = actorOf(ctx);
    return inTenantTransaction(ctx.em, tenantId, (em) => listPlans(em, tenantId, { first }));
  }

  @Requires('catalog:manage')
  @Audited({ operation: 'plan.create', targetType: 'plan' })
  @Mutation(() => PlanType, { description: 'A plan; a code already used in your tenant is CONFLICT.' })
  async createPlan(@Arg('input', () => CreatePlanInput) input: CreatePlanInput, @Ctx() ctx: RequestContext): Promise<PlanType> {
    const { tenantId } = actorOf(ctx);
    return inTenantTransaction(ctx.em, tenantId, (em) => createPlan(em, tenantId, input));
  }

  @Requires('crm:view')
  @Query(() => [PartnerType], { description: 'Partners with their seat pools, by code.' })
  async partners(
    @Arg('first', () => Int, { nullable: true, description: '1–200, default 50.' }) first: number | null,
    @Ctx() ctx: RequestContext,
  ): Promise<PartnerType[]> {
    const { tenantId } = actorOf(ctx);
    return inTenantTransaction(ctx.em, tenantId, (em) => listPartners(em, tenantId, { first }));
  }

  @Requires('catalog:manage')
  @Audited({ operation: 'partner.create', targetType: 'partner' })
  @Mutation(() => PartnerType, {
    description: 'A partner with a seat pool and a commission rate; a code already used in your tenant is CONFLICT.',
  })
  async createPartner(@Arg('input', () => CreatePartnerInput) input: CreatePartnerInput, @Ctx() ctx: RequestContext): Promise<PartnerType> {
    const { tenantId } = actorOf(ctx);
    return inTenantTransaction(ctx.em, tenantId, (em) => createPartner(em, tenantId, input));
  }
}
