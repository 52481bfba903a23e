import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Audited, auditInOperation } from '../auth/audit/audited.js';
import { demand, Requires } from '../auth/auth-checker.js';
import { requireViewer, viewerSource } from '../auth/viewer.js';
import type { RequestContext } from '../context.js';
import { findStep } from '../engine/definition/walk.js';
import { MAX_EVENT_PAGE_SIZE, isUuid } from '../engine/index.js';
import { AppError } from '../errors.js';
import { ExecutionFilterInput } from '../schema/inputs/execution.input.js';
import { JSONObjectScalar, JSONScalar } from '../schema/scalars/index.js';
import {
  ExecutionConnectionType,
  ExecutionEventPageType,
  ExecutionStartType,
  ExecutionStepType,
  ExecutionType,
} from '../schema/types/execution.type.js';
import { WorkflowType } from '../schema/types/workflow.type.js';
import { COMMAND_PERMISSIONS } from './execution-actions.resolver.js';
import {
  toEventType,
  toExecutionConnection,
  toExecutionType,
  toJsonObject,
  toListedWorkflowType,
  toStepType,
  toWorkflowType,
} from './execution-mappers.js';
import { selectedExecutionFields } from './execution-selection.js';
import { loadersOf } from './loaders/execution.loader.js';
import { redactSecrets } from './redact.js';

const MAX_IDEMPOTENCY_KEY_LENGTH = 200;

export function executionId(id: string): string {
  if (!isUuid(id)) throw new AppError('BAD_USER_INPUT', `"${id.slice(0, 100)}" is not an execution id (a UUID)`);
  return id;
}

/** The execution as it is now (after a command), or NOT_FOUND. */
async function fresh(ctx: RequestContext, id: string): Promise<ExecutionType> {
  const loader = loadersOf(ctx).execution;
  const record = await loader.clear(id).load(id);
  if (!record) throw new AppError('NOT_FOUND', `no execution ${id}`);
  return toExecutionType(record);
}

/**
 * A list reads no context or result (both grow with every step's output, and a list seldom shows them):
 * asked for, they are read by id, one statement for the whole page.
 */
async function storedOf(execution: ExecutionType, ctx: RequestContext): Promise<NonNullable<ExecutionType['stored']>> {
  const record = await loadersOf(ctx).execution.load(execution.id);
  if (!record) throw new AppError('NOT_FOUND', `execution ${execution.id} no longer exists`);
  return { context: record.context, result: record.result };
}

@Resolver(() => ExecutionType)
export class ExecutionResolver {
  @Requires('execution:view')
  @Query(() => ExecutionConnectionType, { description: 'Executions of your tenant, newest first (createdAt, then id).' })
  async executions(
    @Arg('filter', () => ExecutionFilterInput, { nullable: true }) filter: ExecutionFilterInput | null | undefined,
    @Arg('first', () => Int, { defaultValue: 20, description: 'At most 100.' }) first: number,
    @Arg('after', () => String, { nullable: true, description: 'The `endCursor` of the previous page.' }) after: string | null | undefined,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ExecutionConnectionType> {
    const loaders = loadersOf(ctx);
    const page = await loaders.reads.executionPage(
      {
        workflow: filter?.workflow ?? undefined,
        statuses: filter?.status ?? undefined,
        triggers: filter?.trigger ?? undefined,
        startedAfter: filter?.startedAfter ?? undefined,
        startedBefore: filter?.startedBefore ?? undefined,
        contextMatch: filter?.contextMatch ? toJsonObject(filter.contextMatch, 'contextMatch') : undefined,
        touching: filter?.touching ? { type: filter.touching.type, id: filter.touching.id } : undefined,
      },
      { first, after: after ?? undefined },
      selectedExecutionFields(info),
    );
    return toExecutionConnection(page);
  }

  @Requires('execution:view')
  @Query(() => ExecutionType, { description: 'One execution; NOT_FOUND when there is none in your tenant.' })
  async execution(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<ExecutionType> {
    const record = await loadersOf(ctx).execution.load(executionId(id));
    if (!record) throw new AppError('NOT_FOUND', `no execution ${id}`);
    return toExecutionType(record);
  }

  @FieldResolver(() => JSONObjectScalar, { description: "The run's input and every finished step's output (secrets redacted)." })
  context(@Root() execution: ExecutionType, @Ctx() ctx: RequestContext): Record<string, unknown> | Promise<Record<string, unknown>> {
    if (execution.stored) return redactSecrets(execution.stored.context);
    return storedOf(execution, ctx).then((stored) => redactSecrets(stored.context));
  }

  @FieldResolver(() => JSONScalar, { nullable: true, description: 'A completed run’s result.' })
  result(@Root() execution: ExecutionType, @Ctx() ctx: RequestContext): unknown {
    if (execution.stored) return redactSecrets(execution.stored.result);
    return storedOf(execution, ctx).then((stored) => redactSecrets(stored.result));
  }

  // Fields resolved once per row check their permission with `demand` (a plain call), not `@Requires`.
  @FieldResolver(() => WorkflowType, { description: 'The workflow (its current version; `workflowVersion` is the one this run uses).' })
  workflow(@Root() execution: ExecutionType, @Ctx() ctx: RequestContext): WorkflowType | Promise<WorkflowType> {
    demand(ctx, 'workflow:view');
    // A list that shows only its id and name read the name with the page.
    if (typeof execution.workflowName === 'string') return toListedWorkflowType(execution.workflowId, execution.workflowName);
    return loadersOf(ctx)
      .workflow.load(execution.workflowId)
      .then((record) => {
        if (!record) throw new Error(`execution ${execution.id} has no workflow ${execution.workflowId}`);
        return toWorkflowType(record);
      });
  }

  @FieldResolver(() => JSONObjectScalar, {
    description:
      "The definition of the workflow version this run is pinned to (`workflowVersion`): what a run's page draws, without every version of `workflow.versions`.",
  })
  async definition(@Root() execution: ExecutionType, @Ctx() ctx: RequestContext): Promise<Record<string, unknown>> {
    demand(ctx, 'workflow:view');
    const pinned = await loadersOf(ctx).pinnedDefinition.load(execution.id);
    if (!pinned)
      throw new Error(`execution ${execution.id} has no version ${execution.workflowVersion} of workflow ${execution.workflowId}`);
    return pinned;
  }

  @FieldResolver(() => [ExecutionStepType], { description: 'The steps recorded so far, in the order they first started.' })
  async steps(@Root() execution: ExecutionType, @Ctx() ctx: RequestContext): Promise<ExecutionStepType[]> {
    demand(ctx, 'execution:view');
    return (await loadersOf(ctx).steps.load(execution.id)).map(toStepType);
  }

  @FieldResolver(() => ExecutionStepType, {
    nullable: true,
    description:
      'One step by its key, as `steps` has it (with its `decisions` and `resolvedParameters`): what a step panel reads without the whole list. Null when the step has not started; NOT_FOUND when the definition this run is pinned to has no such step.',
  })
  async step(
    @Root() execution: ExecutionType,
    @Arg('key', () => String) key: string,
    @Ctx() ctx: RequestContext,
  ): Promise<ExecutionStepType | null> {
    demand(ctx, 'execution:view');
    const loaders = loadersOf(ctx);
    const record = await loaders.step.load({ executionId: execution.id, key });
    if (record) return toStepType(record);
    const definition = await ctx.engine.definition(execution.workflowId, execution.workflowVersion);
    if (!findStep(definition, key))
      throw new AppError('NOT_FOUND', `workflow version ${execution.workflowVersion} has no step "${key.slice(0, 100)}"`);
    return null;
  }

  @FieldResolver(() => ExecutionEventPageType, { description: 'The event log, from the event after sequence `after`.' })
  async events(
    @Root() execution: ExecutionType,
    @Arg('after', () => Int, { defaultValue: 0 }) after: number,
    @Arg('first', () => Int, { defaultValue: 100, description: `At most ${MAX_EVENT_PAGE_SIZE}.` }) first: number,
    @Ctx() ctx: RequestContext,
  ): Promise<ExecutionEventPageType> {
    demand(ctx, 'execution:view');
    const page = await loadersOf(ctx).events.load({ executionId: execution.id, after, first });
    return { nodes: page.events.map(toEventType), hasNextPage: page.hasNextPage };
  }

  @Requires('workflow:execute')
  @Audited({ operation: 'execution.start', targetType: 'execution', transaction: 'engine' })
  @Mutation(() => ExecutionStartType, {
    description:
      'Starts a run of your workflow; answers once it is recorded. The same idempotency key answers the same execution (created: false).',
  })
  async executeWorkflow(
    @Arg('name') name: string,
    @Arg('context', () => JSONObjectScalar, {
      nullable: true,
      description: "The run's context; validated against the workflow's input schema.",
    })
    context: Record<string, unknown> | null | undefined,
    @Arg('idempotencyKey', () => String, { nullable: true }) idempotencyKey: string | null | undefined,
    @Arg('version', () => Int, { nullable: true, description: 'Default: the current version.' }) version: number | null | undefined,
    @Arg('priority', () => Int, {
      nullable: true,
      description:
        'When a concurrency limit queues the run: a higher priority starts first, then the earlier started (default 0; -1000 to 1000).',
    })
    priority: number | null | undefined,
    @Ctx() ctx: RequestContext,
  ): Promise<ExecutionStartType> {
    const viewer = requireViewer(ctx.viewer);
    if (
      idempotencyKey !== null &&
      idempotencyKey !== undefined &&
      (idempotencyKey.length === 0 || idempotencyKey.length > MAX_IDEMPOTENCY_KEY_LENGTH)
    ) {
      throw new AppError('BAD_USER_INPUT', `idempotencyKey must have 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`);
    }
    const { executionId: id, created } = await ctx.engine.start(
      {
        tenantId: viewer.tenantId,
        workflow: name,
        ...(version === null || version === undefined ? {} : { version }),
        context: context ? toJsonObject(context, 'context') : {},
        ...(idempotencyKey ? { idempotencyKey } : {}),
        ...(priority === null || priority === undefined ? {} : { priority }),
        triggerType: 'api',
        triggerSource: viewerSource(viewer),
      },
      auditInOperation(ctx),
    );
    return { created, execution: await fresh(ctx, id) };
  }

  @Requires(...COMMAND_PERMISSIONS.cancel)
  @Audited({ operation: 'execution.cancel', targetType: 'execution', targetArg: 'id', transaction: 'engine' })
  @Mutation(() => ExecutionType, {
    description: 'Cancels a run that has not finished: what runs is aborted, compensations do not run. Its sub-workflows follow.',
  })
  async cancelExecution(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<ExecutionType> {
    await ctx.engine.cancel(requireViewer(ctx.viewer).tenantId, executionId(id), auditInOperation(ctx));
    return fresh(ctx, id);
  }

  @Requires(...COMMAND_PERMISSIONS.pause)
  @Audited({ operation: 'execution.pause', targetType: 'execution', targetArg: 'id', transaction: 'engine' })
  @Mutation(() => ExecutionType, { description: 'The run parks at its next step boundary, holding no worker, until resumed.' })
  async pauseExecution(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<ExecutionType> {
    await ctx.engine.pause(requireViewer(ctx.viewer).tenantId, executionId(id), auditInOperation(ctx));
    return fresh(ctx, id);
  }

  @Requires(...COMMAND_PERMISSIONS.resume)
  @Audited({ operation: 'execution.resume', targetType: 'execution', targetArg: 'id', transaction: 'engine' })
  @Mutation(() => ExecutionType, { description: 'Resumes a paused run (or withdraws a pause not yet taken).' })
  async resumeExecution(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<ExecutionType> {
    await ctx.engine.resume(requireViewer(ctx.viewer).tenantId, executionId(id), auditInOperation(ctx));
    return fresh(ctx, id);
  }

  @Requires(...COMMAND_PERMISSIONS.retry)
  @Audited({ operation: 'execution.retry', targetType: 'execution', targetArg: 'id', transaction: 'engine' })
  @Mutation(() => ExecutionType, {
    description:
      'Runs a failed or cancelled execution again in place, from `fromStep` (default: the step that failed); the steps before it keep their results.',
  })
  async retryExecution(
    @Arg('id', () => ID) id: string,
    @Arg('fromStep', () => String, { nullable: true }) fromStep: string | null | undefined,
    @Ctx() ctx: RequestContext,
  ): Promise<ExecutionType> {
    await ctx.engine.retry(requireViewer(ctx.viewer).tenantId, executionId(id), fromStep ?? undefined, auditInOperation(ctx));
    return fresh(ctx, id);
  }

  @Requires(...COMMAND_PERMISSIONS.rerun)
  @Audited({ operation: 'execution.rerun', targetType: 'execution', targetArg: 'id', transaction: 'engine' })
  @Mutation(() => ExecutionType, {
    description:
      "A new execution of a finished one's workflow version: steps before `fromStep` are replayed from their recorded outputs, the rest run with `context` merged over the original's.",
  })
  async rerunExecution(
    @Arg('id', () => ID) id: string,
    @Arg('fromStep') fromStep: string,
    @Arg('context', () => JSONObjectScalar, { nullable: true }) context: Record<string, unknown> | null | undefined,
    @Ctx() ctx: RequestContext,
  ): Promise<ExecutionType> {
    const rerunId = await ctx.engine.rerun(
      requireViewer(ctx.viewer).tenantId,
      executionId(id),
      fromStep,
      context ? toJsonObject(context, 'context') : {},
      auditInOperation(ctx),
    );
    return fresh(ctx, rerunId);
  }
}
