import { Arg, Ctx, FieldResolver, ID, Int, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import { Requires } from '../auth/auth-checker.js';
import { requireViewer } from '../auth/viewer.js';
import type { RequestContext } from '../context.js';
import { executionFeed, tenantExecutionsFeed, type ExecutionEventMessage } from '../engine/index.js';
import type { ExecutionStatus } from '../entities/statuses.js';
import { AppError } from '../errors.js';
import { endOnResync } from '../pubsub.js';
import { ExecutionsChangedFilterInput } from '../schema/inputs/execution.input.js';
import { ExecutionChangeType, ExecutionEventType, ExecutionStepType, ExecutionType } from '../schema/types/execution.type.js';
import { toEventType, toExecutionType, toStepType } from './execution-mappers.js';
import { loadersOf, renewLoaders } from './loaders/execution.loader.js';
import { filterChanges, openProgressStream, type ExecutionChange } from './progress-stream.js';

interface ProgressArgs {
  executionId: string;
  afterSequence: number;
}

interface ChangesArgs {
  filter?: { workflow?: string | null; status?: ExecutionStatus[] | null; executionId?: string | null } | null;
}

async function executionOf(ctx: RequestContext, id: string): Promise<ExecutionType> {
  const record = await loadersOf(ctx).execution.load(id);
  if (!record) throw new AppError('NOT_FOUND', `no execution ${id}`);
  return toExecutionType(record);
}

@Resolver(() => ExecutionEventType)
export class ProgressResolver {
  @Requires('execution:view')
  @Subscription(() => ExecutionEventType, {
    description:
      "An execution's events after `afterSequence`: first those already in its log, then live ones from any server instance, each once and in order; complete after the run's final event. Reconnect with the last sequence you received to resume without a gap.",
    subscribe: async ({ args, context }: SubscribeResolverData<unknown, ProgressArgs, RequestContext>) => {
      const reads = loadersOf(context).reads;
      if (!Number.isInteger(args.afterSequence) || args.afterSequence < 0)
        throw new AppError('BAD_USER_INPUT', 'afterSequence must be 0 or more');
      // Subscribe first, then read the log: whatever commits in between arrives both ways and is deduplicated.
      const live = await executionFeed(context.pubsub, args.executionId);
      return openProgressStream({
        live,
        after: args.afterSequence,
        read: (after, first) => reads.progress(args.executionId, after, first),
        idlePollMs: context.progressIdlePollMs,
        onReadError: (error, attempt) =>
          context.logger.warn({ err: error, executionId: args.executionId, attempt }, 'reading the event log for a subscriber failed'),
        // After a gap in the live feed (Redis was away) the log is read at once, not at the next idle poll.
        onResync: (listener) => context.pubsub.onResync(listener),
      });
    },
  })
  executionProgress(
    @Root() event: ExecutionEventMessage,
    @Arg('executionId', () => ID) _executionId: string,
    @Arg('afterSequence', () => Int, { defaultValue: 0, description: 'The last sequence number already seen; 0 for the whole log.' })
    _afterSequence: number,
    @Ctx() ctx: RequestContext,
  ): ExecutionEventType {
    // Each event reads the execution afresh.
    renewLoaders(ctx);
    return toEventType(event);
  }

  @Requires('execution:view')
  @FieldResolver(() => ExecutionType, { description: 'The execution as it is now.' })
  execution(@Root() event: ExecutionEventType, @Ctx() ctx: RequestContext): Promise<ExecutionType> {
    return executionOf(ctx, event.executionId);
  }

  @Requires('execution:view')
  @FieldResolver(() => ExecutionStepType, {
    nullable: true,
    description:
      "The step the event is about (`stepKey`), as it is now: a client following a run merges this one step instead of reading every step again. Null for the run's own events, and for a step a retry has since reset (`execution.retried` lists them in `payload.reset`).",
  })
  async step(@Root() event: ExecutionEventType, @Ctx() ctx: RequestContext): Promise<ExecutionStepType | null> {
    if (event.stepKey === null) return null;
    // That step alone: the events of a log page (and a burst of live ones) read theirs in one statement.
    const record = await loadersOf(ctx).step.load({ executionId: event.executionId, key: event.stepKey });
    return record ? toStepType(record) : null;
  }
}

@Resolver(() => ExecutionChangeType)
export class ExecutionChangeResolver {
  @Requires('execution:view')
  @Subscription(() => ExecutionChangeType, {
    description:
      "Your tenant's runs as they are created, start, park, resume and finish, from any server instance: for dashboards. Live only (no replay).",
    subscribe: async ({ args, context }: SubscribeResolverData<unknown, ChangesArgs, RequestContext>) => {
      const viewer = requireViewer(context.viewer);
      const reads = loadersOf(context).reads;
      const name = args.filter?.workflow ?? undefined;
      const workflow = name === undefined ? undefined : await reads.workflowByName(name);
      if (name !== undefined && !workflow) throw new AppError('NOT_FOUND', `no workflow named "${name}"`);
      const statuses = args.filter?.status ? new Set(args.filter.status) : undefined;
      // Live only, no log to replay: after a gap it completes, and the client refreshes and subscribes again.
      const live = endOnResync(await tenantExecutionsFeed(context.pubsub, viewer.tenantId), context.pubsub);
      return filterChanges(
        live,
        { workflowId: workflow?.id, statuses, executionId: args.filter?.executionId ?? undefined },
        async (executionId) => (await reads.executionsByIds([executionId]))[0]?.workflowId,
        (error) => context.logger.warn({ err: error }, 'looking up the workflow of a changed execution failed; change not sent'),
      );
    },
  })
  executionsChanged(
    @Root() change: ExecutionChange,
    @Arg('filter', () => ExecutionsChangedFilterInput, { nullable: true }) _filter: ExecutionsChangedFilterInput | null,
    @Ctx() ctx: RequestContext,
  ): ExecutionChangeType {
    renewLoaders(ctx);
    return { executionId: change.executionId, sequence: change.seq, type: change.type, status: change.status, at: new Date(change.at) };
  }

  @Requires('execution:view')
  @FieldResolver(() => ExecutionType, { description: 'The execution as it is now.' })
  execution(@Root() change: ExecutionChangeType, @Ctx() ctx: RequestContext): Promise<ExecutionType> {
    return executionOf(ctx, change.executionId);
  }
}
