import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import { Audited, auditInOperation } from '../auth/audit/audited.js';
import { Requires } from '../auth/auth-checker.js';
import { inTenantTransaction, onlyTenant } from '../auth/tenant-scope.js';
import { requireViewer } from '../auth/viewer.js';
import type { RequestContext } from '../context.js';
import { TOPICS, type WorkflowChangedEvent } from '../engine/index.js';
import { AppError } from '../errors.js';
import { endOnResync } from '../pubsub.js';
import { WorkflowChangedEventType, WorkflowType } from '../schema/types/workflow.type.js';
import { isUuid } from '../engine/index.js';
import { CreateWorkflowInput, TimeWindowInput, UpdateWorkflowInput, WorkflowFilterInput } from '../schema/inputs/workflow.input.js';
import { JSONScalar } from '../schema/scalars/index.js';
import {
  WorkflowConnectionType,
  WorkflowStatsType,
  WorkflowValidationType,
  WorkflowVersionType,
} from '../schema/types/execution-workflow.type.js';
import { toJsonObject, toStatsType, toVersionType, toWorkflowConnection, toWorkflowType } from './execution-mappers.js';
import { loadersOf } from './loaders/execution.loader.js';

@Resolver(() => WorkflowType)
export class WorkflowResolver {
  @Requires('workflow:view')
  @Query(() => WorkflowConnectionType, { description: 'Workflows by name, a page at a time.' })
  async workflows(
    @Arg('filter', () => WorkflowFilterInput, { nullable: true }) filter: WorkflowFilterInput | null | undefined,
    @Arg('first', () => Int, { defaultValue: 20, description: 'At most 100.' }) first: number,
    @Arg('after', () => String, { nullable: true, description: 'The `endCursor` of the previous page.' }) after: string | null | undefined,
    @Ctx() ctx: RequestContext,
  ): Promise<WorkflowConnectionType> {
    const loaders = loadersOf(ctx);
    const page = await loaders.reads.workflowPage(
      { active: filter?.active ?? undefined, tags: filter?.tags ?? undefined, nameContains: filter?.nameContains ?? undefined },
      { first, after: after ?? undefined },
    );
    for (const { node } of page.items) loaders.workflow.prime(node.id, node);
    return toWorkflowConnection(page);
  }

  @Requires('workflow:view')
  @Query(() => WorkflowType, { description: 'One workflow by name or by id (exactly one of them); NOT_FOUND when there is none.' })
  async workflow(
    @Arg('name', () => String, { nullable: true }) name: string | null | undefined,
    @Arg('id', () => ID, { nullable: true }) id: string | null | undefined,
    @Ctx() ctx: RequestContext,
  ): Promise<WorkflowType> {
    if ((name === null || name === undefined) === (id === null || id === undefined))
      throw new AppError('BAD_USER_INPUT', 'give exactly one of name and id');
    if (id !== null && id !== undefined) {
      const record = isUuid(id) ? await loadersOf(ctx).workflow.load(id) : undefined;
      if (!record) throw new AppError('NOT_FOUND', `no workflow ${id}`);
      return toWorkflowType(record);
    }
    const wanted = name ?? '';
    const record = await inTenantTransaction(ctx.em, requireViewer(ctx.viewer).tenantId, (em) =>
      ctx.engine.workflows.findByName(em, wanted),
    );
    if (!record) throw new AppError('NOT_FOUND', `no workflow named "${wanted}"`);
    return toWorkflowType(record);
  }

  @Requires('workflow:view')
  @FieldResolver(() => [WorkflowVersionType], { description: 'Every version, newest first.' })
  async versions(@Root() workflow: WorkflowType, @Ctx() ctx: RequestContext): Promise<WorkflowVersionType[]> {
    return (await loadersOf(ctx).versions.load(workflow.id)).map((version) => toVersionType(version, workflow.version));
  }

  @Requires('execution:view')
  @FieldResolver(() => WorkflowStatsType, { description: 'Its executions counted in SQL: all of them, or those created within `window`.' })
  async stats(
    @Root() workflow: WorkflowType,
    @Arg('window', () => TimeWindowInput, { nullable: true }) window: TimeWindowInput | null | undefined,
    @Ctx() ctx: RequestContext,
  ): Promise<WorkflowStatsType> {
    const from = window?.from ?? undefined;
    const to = window?.to ?? undefined;
    if (from && to && from > to) throw new AppError('BAD_USER_INPUT', 'window.from must not be after window.to');
    return toStatsType(await loadersOf(ctx).stats.load({ workflowId: workflow.id, from, to }));
  }

  @Requires('workflow:delete')
  @Audited({ operation: 'workflow.reactivate', targetType: 'workflow', targetArg: 'name', transaction: 'engine' })
  @Mutation(() => WorkflowType, { description: 'Activates a deactivated workflow again: it starts new runs at once, in every process.' })
  async activateWorkflow(@Arg('name') name: string, @Ctx() ctx: RequestContext): Promise<WorkflowType> {
    return toWorkflowType(await ctx.engine.workflows.activate(requireViewer(ctx.viewer).tenantId, name, auditInOperation(ctx)));
  }

  @Requires('workflow:create')
  @Audited({ operation: 'workflow.create', targetType: 'workflow', transaction: 'engine' })
  @Mutation(() => WorkflowType, {
    description:
      'A new workflow (version 1). VALIDATION with `extensions.details.issues` ([{ path, message }]) when the definition is wrong; CONFLICT when the name is taken.',
  })
  async createWorkflow(
    @Arg('input', () => CreateWorkflowInput) input: CreateWorkflowInput,
    @Ctx() ctx: RequestContext,
  ): Promise<WorkflowType> {
    const name = input.name.trim();
    if (name.length === 0) throw new AppError('BAD_USER_INPUT', 'a workflow needs a name');
    const record = await ctx.engine.workflows.save(
      {
        tenantId: requireViewer(ctx.viewer).tenantId,
        name,
        definition: toJsonObject(input.definition, 'definition'),
        ...(input.description === null || input.description === undefined ? {} : { description: input.description }),
        ...(input.tags ? { tags: input.tags } : {}),
        ...(input.version === null || input.version === undefined ? {} : { label: input.version }),
        mode: 'create',
      },
      auditInOperation(ctx),
    );
    return toWorkflowType(record);
  }

  @Requires('workflow:create')
  @Audited({ operation: 'workflow.update', targetType: 'workflow', transaction: 'engine' })
  @Mutation(() => WorkflowType, {
    description:
      'A new version of a workflow (runs in progress keep theirs). VALIDATION with `extensions.details.issues` when the definition is wrong; NOT_FOUND when there is no such workflow.',
  })
  async updateWorkflow(
    @Arg('input', () => UpdateWorkflowInput) input: UpdateWorkflowInput,
    @Ctx() ctx: RequestContext,
  ): Promise<WorkflowType> {
    const record = await ctx.engine.workflows.save(
      {
        tenantId: requireViewer(ctx.viewer).tenantId,
        name: input.name,
        definition: toJsonObject(input.definition, 'definition'),
        ...(input.description === null || input.description === undefined ? {} : { description: input.description }),
        ...(input.tags ? { tags: input.tags } : {}),
        ...(input.version === null || input.version === undefined ? {} : { label: input.version }),
        mode: 'update',
      },
      auditInOperation(ctx),
    );
    return toWorkflowType(record);
  }

  @Requires('workflow:delete')
  @Audited({ operation: 'workflow.delete', targetType: 'workflow', targetArg: 'name', transaction: 'engine' })
  @Mutation(() => WorkflowType, {
    description: 'Deactivates a workflow: no new runs; its versions and executions are kept, runs in progress go on.',
  })
  async deleteWorkflow(@Arg('name') name: string, @Ctx() ctx: RequestContext): Promise<WorkflowType> {
    return toWorkflowType(await ctx.engine.workflows.deactivate(requireViewer(ctx.viewer).tenantId, name, auditInOperation(ctx)));
  }

  @Requires('workflow:create')
  @Mutation(() => WorkflowValidationType, {
    description: 'Checks a definition as saving would, and saves nothing: every issue with its JSON path.',
  })
  async validateWorkflowDefinition(
    @Arg('name', { description: 'The name it would be saved under (sub-workflow references to itself are checked against it).' })
    name: string,
    @Arg('definition', () => JSONScalar) definition: unknown,
    @Ctx() ctx: RequestContext,
  ): Promise<WorkflowValidationType> {
    const issues = await ctx.engine.workflows.validate(requireViewer(ctx.viewer).tenantId, name, definition);
    return { valid: issues.length === 0, issues: issues.map((issue) => ({ path: issue.path, message: issue.message })) };
  }

  @Requires('workflow:view')
  @Subscription(() => WorkflowChangedEventType, {
    description: "Your tenant's workflows created, versioned, deactivated or activated, from any server instance.",
    // Live only, no log to replay: after a gap in the live feed it completes, and the client refreshes and subscribes again.
    subscribe: async ({ context }: SubscribeResolverData<unknown, object, RequestContext>) =>
      onlyTenant(
        endOnResync(await context.pubsub.subscribe<WorkflowChangedEvent>(TOPICS.workflowChanged), context.pubsub),
        requireViewer(context.viewer).tenantId,
        (event) => event.tenantId,
      ),
  })
  workflowChanged(@Root() event: WorkflowChangedEvent): WorkflowChangedEventType {
    return { workflowId: event.workflowId, name: event.name, version: event.version, change: event.change, at: new Date(event.at) };
  }
}
