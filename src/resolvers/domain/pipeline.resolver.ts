import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { Audited } from '../../auth/audit/audited.js';
import { Requires } from '../../auth/auth-checker.js';
import { clockOf } from '../../auth/clock.js';
import { inTenantTransaction } from '../../auth/tenant-scope.js';
import type { RequestContext } from '../../context.js';
import type { OpportunityStage } from '../../entities/domain/opportunity.entity.js';
import { LeadType } from '../../schema/types/domain/crm.type.js';
import {
  ConvertLeadInput,
  FollowUpTaskType,
  OpportunityStageEnum,
  OpportunityType,
  PipelineStageType,
} from '../../schema/types/domain/pipeline.type.js';
import {
  contactLead,
  convertLead,
  listFollowUpTasks,
  listOpportunities,
  moveOpportunity,
  pipelineSummary,
} from '../../services/crm/pipeline.js';
import { actorOf } from './actor.js';

/** The CRM pipeline (lead_to_opportunity): each mutation records its domain event in its transaction. */
@Resolver()
export class DomainPipelineResolver {
  @Requires('crm:manage')
  @Audited({ operation: 'lead.contact', targetType: 'lead', targetArg: 'id' })
  @Mutation(() => LeadType, { description: 'NEW → CONTACTED, recording lead.contacted. Idempotent; a later status is INVALID_STATE.' })
  async contactLead(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<LeadType> {
    const { tenantId, source } = actorOf(ctx);
    return inTenantTransaction(ctx.em, tenantId, (em) => contactLead(em, tenantId, id, source));
  }

  @Requires('crm:manage')
  @Audited({ operation: 'lead.convert', targetType: 'lead', targetArg: 'id' })
  @Mutation(() => OpportunityType, {
    description:
      'A qualified lead (or one onboarding already converted) becomes an opportunity at prospect (10 %), recording lead.converted and opportunity.created (which starts lead_to_opportunity). One per lead: again answers it.',
  })
  async convertLead(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => ConvertLeadInput) input: ConvertLeadInput,
    @Ctx() ctx: RequestContext,
  ): Promise<OpportunityType> {
    const { tenantId, source } = actorOf(ctx);
    return inTenantTransaction(ctx.em, tenantId, (em) => convertLead(em, tenantId, id, { ...input }, source, clockOf(em).now()));
  }

  @Requires('crm:manage')
  @Audited({ operation: 'opportunity.move', targetType: 'opportunity', targetArg: 'id' })
  @Mutation(() => OpportunityType, {
    description:
      "Moves an open opportunity forward, or closes it (CLOSED_WON, CLOSED_LOST), with the stage's probability; records opportunity.stage_changed. The same stage again changes nothing.",
  })
  async moveOpportunity(
    @Arg('id', () => ID) id: string,
    @Arg('stage', () => OpportunityStageEnum) stage: OpportunityStage,
    @Ctx() ctx: RequestContext,
  ): Promise<OpportunityType> {
    const { tenantId, source } = actorOf(ctx);
    return inTenantTransaction(ctx.em, tenantId, (em) => moveOpportunity(em, tenantId, id, stage, source, clockOf(em).now()));
  }

  @Requires('crm:view')
  @Query(() => [OpportunityType], { description: 'Opportunities, newest first.' })
  async opportunities(
    @Arg('stage', () => OpportunityStageEnum, { nullable: true }) stage: OpportunityStage | null | undefined,
    @Arg('first', () => Int, { nullable: true, description: '1–200, default 50.' }) first: number | null,
    @Ctx() ctx: RequestContext,
  ): Promise<OpportunityType[]> {
    const { tenantId } = actorOf(ctx);
    return inTenantTransaction(ctx.em, tenantId, (em) => listOpportunities(em, tenantId, { stage: stage ?? null, first }));
  }

  @Requires('crm:view')
  @Query(() => [PipelineStageType], {
    description:
      'The pipeline: per stage (in order) and currency, how many opportunities, their value, and their value weighted by probability.',
  })
  async pipeline(@Ctx() ctx: RequestContext): Promise<PipelineStageType[]> {
    const { tenantId } = actorOf(ctx);
    return inTenantTransaction(ctx.em, tenantId, (em) => pipelineSummary(em, tenantId));
  }

  @Requires('crm:view')
  @Query(() => [FollowUpTaskType], { description: "Owners' follow-up tasks, newest first." })
  async followUpTasks(
    @Arg('owner', () => String, { nullable: true }) owner: string | null | undefined,
    @Arg('first', () => Int, { nullable: true, description: '1–200, default 50.' }) first: number | null,
    @Ctx() ctx: RequestContext,
  ): Promise<FollowUpTaskType[]> {
    const { tenantId } = actorOf(ctx);
    return inTenantTransaction(ctx.em, tenantId, (em) => listFollowUpTasks(em, tenantId, { owner: owner ?? null, first }));
  }
}
