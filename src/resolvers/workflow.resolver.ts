import { Arg, Ctx, Query, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import { Requires } from '../auth/auth-checker.js';
import { inTenantTransaction, onlyTenant } from '../auth/tenant-scope.js';
import { requireViewer } from '../auth/viewer.js';
import type { RequestContext } from '../context.js';
import { TOPICS, type WorkflowChangedEvent, type WorkflowRecord } from '../engine/index.js';
import { AppError } from '../errors.js';
import { WorkflowChangedEventType, WorkflowType } from '../schema/types/workflow.type.js';

function toWorkflowType(record: WorkflowRecord): WorkflowType {
  return {
    id: record.id,
    name: record.name,
    description: record.description,
    version: record.version,
    definition: record.definition,
    active: record.active,
    tags: record.tags,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

@Resolver(() => WorkflowType)
export class WorkflowResolver {
  @Requires('workflow:view')
  @Query(() => [WorkflowType], { description: 'Workflows, by name.' })
  async workflows(@Ctx() ctx: RequestContext): Promise<WorkflowType[]> {
    const records = await inTenantTransaction(ctx.em, requireViewer(ctx.viewer).tenantId, (em) => ctx.engine.workflows.list(em));
    return records.map(toWorkflowType);
  }

  @Requires('workflow:view')
  @Query(() => WorkflowType, { description: 'One workflow by name; NOT_FOUND when there is none.' })
  async workflow(@Arg('name') name: string, @Ctx() ctx: RequestContext): Promise<WorkflowType> {
    const record = await inTenantTransaction(ctx.em, requireViewer(ctx.viewer).tenantId, (em) => ctx.engine.workflows.findByName(em, name));
    if (!record) throw new AppError('NOT_FOUND', `no workflow named "${name}"`);
    return toWorkflowType(record);
  }

  @Requires('workflow:view')
  @Subscription(() => WorkflowChangedEventType, {
    description: "Your tenant's workflows created, versioned or deactivated, from any server instance.",
    subscribe: async ({ context }: SubscribeResolverData<unknown, object, RequestContext>) =>
      onlyTenant(await context.pubsub.subscribe<WorkflowChangedEvent>(TOPICS.workflowChanged), requireViewer(context.viewer).tenantId, (event) => event.tenantId),
  })
  workflowChanged(@Root() event: WorkflowChangedEvent): WorkflowChangedEventType {
    return { workflowId: event.workflowId, name: event.name, version: event.version, change: event.change, at: new Date(event.at) };
  }
}
