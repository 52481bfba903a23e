import { Arg, Ctx, Query, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
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
  @Query(() => [WorkflowType], { description: 'Workflows, by name.' })
  async workflows(@Ctx() ctx: RequestContext): Promise<WorkflowType[]> {
    const records = await ctx.engine.workflows.list(ctx.em);
    return records.map(toWorkflowType);
  }

  @Query(() => WorkflowType, { description: 'One workflow by name; NOT_FOUND when there is none.' })
  async workflow(@Arg('name') name: string, @Ctx() ctx: RequestContext): Promise<WorkflowType> {
    const record = await ctx.engine.workflows.findByName(ctx.em, name);
    if (!record) throw new AppError('NOT_FOUND', `no workflow named "${name}"`);
    return toWorkflowType(record);
  }

  @Subscription(() => WorkflowChangedEventType, {
    description: 'Workflows created, versioned or deactivated, from any server instance.',
    subscribe: ({ context }: SubscribeResolverData<unknown, object, RequestContext>) =>
      context.pubsub.subscribe<WorkflowChangedEvent>(TOPICS.workflowChanged),
  })
  workflowChanged(@Root() event: WorkflowChangedEvent): WorkflowChangedEventType {
    return { workflowId: event.workflowId, name: event.name, version: event.version, change: event.change, at: new Date(event.at) };
  }
}
