import { Arg, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import { Requires } from '../auth/auth-checker.js';
import { requireViewer } from '../auth/viewer.js';
import type { RequestContext } from '../context.js';
import type { WorkflowStatsRecord } from '../engine/index.js';
import { AppError } from '../errors.js';
import { WorkflowStatsType } from '../schema/types/execution-workflow.type.js';
import { toStatsType } from './execution-mappers.js';
import { loadersOf } from './loaders/execution.loader.js';
import { STATS_PUSH_INTERVAL_MS } from './workflow-stats-feed.js';

interface StatsArgs {
  workflow: string;
}

@Resolver()
export class WorkflowStatsResolver {
  @Requires('execution:view')
  @Subscription(() => WorkflowStatsType, {
    description: `A workflow of your tenant: its stats (all its runs) now, then again as its runs are queued, start, park, resume and finish, from any server instance — at most once every ${STATS_PUSH_INTERVAL_MS} ms, the changes in between coalesced into the next push. Each push is a whole snapshot: a client that reconnects just takes the first one.`,
    subscribe: async ({ args, context }: SubscribeResolverData<unknown, StatsArgs, RequestContext>) => {
      const viewer = requireViewer(context.viewer);
      const workflow = await loadersOf(context).reads.workflowByName(args.workflow);
      if (!workflow) throw new AppError('NOT_FOUND', `no workflow named "${args.workflow}"`);
      return context.workflowStats.follow(viewer.tenantId, workflow.id);
    },
  })
  workflowStatsChanged(
    @Root() stats: WorkflowStatsRecord,
    @Arg('workflow', { description: "The workflow's name." }) _workflow: string,
  ): WorkflowStatsType {
    return toStatsType(stats);
  }
}
