import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import { Requires } from '../../auth/auth-checker.js';
import { inTenantTransaction } from '../../auth/tenant-scope.js';
import type { RequestContext } from '../../context.js';
import type { ActivationStatus } from '../../entities/domain/business-activation.entity.js';
import { ActivationStatusEnum, BusinessActivationType } from '../../schema/types/domain/activation.type.js';
import { listBusinessActivations } from '../../services/activation/activation-queries.js';
import { actorOf } from './actor.js';

/** What business_activation made (the runs are started with executeWorkflow). */
@Resolver()
export class DomainActivationResolver {
  @Requires('crm:view')
  @Query(() => [BusinessActivationType], {
    description: 'Business activations of this tenant, newest first, with the tenants they made and their resources.',
  })
  async businessActivations(
    @Arg('status', () => ActivationStatusEnum, { nullable: true }) status: ActivationStatus | null,
    @Arg('first', () => Int, { nullable: true, description: '1–200, default 50.' }) first: number | null,
    @Ctx() ctx: RequestContext,
  ): Promise<BusinessActivationType[]> {
    const { tenantId } = actorOf(ctx);
    return inTenantTransaction(ctx.em, tenantId, (em) => listBusinessActivations(em, tenantId, { status, first }));
  }
}
