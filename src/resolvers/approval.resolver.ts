import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import { Audited, auditInOperation } from '../auth/audit/audited.js';
import { Requires } from '../auth/auth-checker.js';
import { requireViewer, type Viewer } from '../auth/viewer.js';
import type { RequestContext } from '../context.js';
import {
  approvalsTopic,
  isUuid,
  MAX_APPROVAL_PAGE_SIZE,
  type ApprovalNotice,
  type ApprovalRecord,
  type Approver,
} from '../engine/index.js';
import type { ApprovalDecisionKind } from '../entities/approval.entity.js';
import { AppError } from '../errors.js';
import { endOnResync } from '../pubsub.js';
import { ApprovalChangeType, ApprovalRequestConnectionType, ApprovalRequestType } from '../schema/types/approval.type.js';
import { ExecutionType } from '../schema/types/execution.type.js';
import { toConnection, toExecutionType } from './execution-mappers.js';
import { loadersOf, renewLoaders } from './loaders/execution.loader.js';

const MAX_COMMENT_LENGTH = 2000;

/** Approvals are decided by people: a signed-in user, as their role's permissions make them an approver. */
function approverOf(viewer: Viewer | undefined): Approver {
  const known = requireViewer(viewer);
  if (known.kind !== 'user') throw new AppError('FORBIDDEN', 'approvals are decided by people: sign in as a user (API keys cannot decide)');
  return { tenantId: known.tenantId, userId: known.userId, email: known.email, role: known.role, permissions: [...known.permissions] };
}

function toApprovalType(record: ApprovalRecord): ApprovalRequestType {
  return {
    executionId: record.executionId,
    step: record.stepKey,
    prompt: record.prompt,
    data: record.data,
    approvers: {
      roles: record.approvers.roles as ApprovalRequestType['approvers']['roles'],
      permission: record.approvers.permission,
      users: record.approvers.users,
    },
    required: record.required,
    approvals: record.decisions.filter((d) => d.decision === 'approve').length,
    status: record.status,
    expiresAt: record.expiresAt,
    openedAt: record.createdAt,
    decidedAt: record.decidedAt,
    decisions: record.decisions.map((d) => ({ by: d.email, userId: d.userId, decision: d.decision, comment: d.comment, at: d.at })),
  };
}

function commentOf(comment: string | null | undefined): string | null {
  if (comment === null || comment === undefined || comment.trim() === '') return null;
  if (comment.length > MAX_COMMENT_LENGTH)
    throw new AppError('BAD_USER_INPUT', `comment must have at most ${MAX_COMMENT_LENGTH} characters`);
  return comment;
}

async function decide(
  ctx: RequestContext,
  executionId: string,
  step: string,
  decision: ApprovalDecisionKind,
  comment: string | null | undefined,
): Promise<ApprovalRequestType> {
  if (!isUuid(executionId)) throw new AppError('BAD_USER_INPUT', `"${executionId.slice(0, 100)}" is not an execution id (a UUID)`);
  const record = await ctx.engine.approvals.decide(
    { approver: approverOf(ctx.viewer), executionId, stepKey: step, decision, comment: commentOf(comment) },
    auditInOperation(ctx),
  );
  return toApprovalType(record);
}

/** A live feed of notices, only those about requests this approver may decide. */
function mayDecideFilter(
  ctx: RequestContext,
  approver: Approver,
  live: AsyncIterableIterator<ApprovalNotice>,
): AsyncIterableIterator<ApprovalNotice> {
  const iterator: AsyncIterableIterator<ApprovalNotice> = {
    async next() {
      for (;;) {
        const result = await live.next();
        if (result.done) return result;
        try {
          if (await ctx.engine.approvals.mayDecide(approver, result.value.executionId, result.value.stepKey)) return result;
        } catch (error) {
          // Live only: a notice that cannot be checked is not sent; pendingApprovals has the truth.
          ctx.logger.warn({ err: error }, 'checking an approval notice for a subscriber failed; notice not sent');
        }
      }
    },
    async return() {
      await live.return?.();
      return { done: true, value: undefined };
    },
    async throw(error?: unknown) {
      await live.return?.();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}

@Resolver(() => ApprovalRequestType)
export class ApprovalResolver {
  @Requires('execution:view')
  @Query(() => ApprovalRequestConnectionType, {
    description:
      'The approval requests you may decide now (oldest first): pending, of runs not ended, before their deadline, not decided by you yet. Only users decide.',
  })
  async pendingApprovals(
    @Arg('first', () => Int, { defaultValue: 20, description: `At most ${MAX_APPROVAL_PAGE_SIZE}.` }) first: number,
    @Arg('after', () => String, { nullable: true, description: 'The `endCursor` of the previous page.' }) after: string | null | undefined,
    @Ctx() ctx: RequestContext,
  ): Promise<ApprovalRequestConnectionType> {
    const page = await ctx.engine.approvals.pending(approverOf(ctx.viewer), first, after ?? undefined);
    return toConnection(page, toApprovalType);
  }

  @Requires('execution:view')
  @Audited({ operation: 'execution.approve', targetType: 'execution', targetArg: 'executionId', transaction: 'engine' })
  @Mutation(() => ApprovalRequestType, {
    description:
      'Approves a waiting approval step, if you are among its approvers: once per person (again: CONFLICT). With `required` approvals (or this one) the step completes and the run goes on; a request already decided or timed out is INVALID_STATE.',
  })
  approveStep(
    @Arg('executionId', () => ID) executionId: string,
    @Arg('step') step: string,
    @Arg('comment', () => String, { nullable: true }) comment: string | null | undefined,
    @Ctx() ctx: RequestContext,
  ): Promise<ApprovalRequestType> {
    return decide(ctx, executionId, step, 'approve', comment);
  }

  @Requires('execution:view')
  @Audited({ operation: 'execution.reject', targetType: 'execution', targetArg: 'executionId', transaction: 'engine' })
  @Mutation(() => ApprovalRequestType, {
    description:
      "Rejects a waiting approval step, if you are among its approvers: the first rejection decides (the step's `onReject` says what follows).",
  })
  rejectStep(
    @Arg('executionId', () => ID) executionId: string,
    @Arg('step') step: string,
    @Arg('comment', () => String, { nullable: true }) comment: string | null | undefined,
    @Ctx() ctx: RequestContext,
  ): Promise<ApprovalRequestType> {
    return decide(ctx, executionId, step, 'reject', comment);
  }

  @Requires('execution:view')
  @FieldResolver(() => Boolean, {
    description:
      'Whether you may decide it now: it is pending, its run goes on, before its deadline, you are among its approvers and have not decided yet (API keys never).',
  })
  async youMayDecide(@Root() approval: ApprovalRequestType, @Ctx() ctx: RequestContext): Promise<boolean> {
    const viewer = requireViewer(ctx.viewer);
    if (viewer.kind !== 'user' || approval.status !== 'pending') return false;
    return ctx.engine.approvals.mayDecideNow(approverOf(viewer), approval.executionId, approval.step);
  }

  @Requires('execution:view')
  @FieldResolver(() => ExecutionType, { description: 'The run that asks.' })
  async execution(@Root() approval: ApprovalRequestType, @Ctx() ctx: RequestContext): Promise<ExecutionType> {
    const record = await loadersOf(ctx).execution.load(approval.executionId);
    if (!record) throw new AppError('NOT_FOUND', `no execution ${approval.executionId}`);
    return toExecutionType(record);
  }
}

@Resolver(() => ApprovalChangeType)
export class ApprovalChangeResolver {
  @Requires('execution:view')
  @Subscription(() => ApprovalChangeType, {
    description:
      'Approval requests you may decide as they open, gain decisions and close, from any server instance. Live only: after a gap it completes; read pendingApprovals and subscribe again.',
    subscribe: async ({ context }: SubscribeResolverData<unknown, Record<string, never>, RequestContext>) => {
      const approver = approverOf(context.viewer);
      const live = endOnResync(await context.pubsub.subscribe<ApprovalNotice>(approvalsTopic(approver.tenantId)), context.pubsub);
      return mayDecideFilter(context, approver, live);
    },
  })
  approvalsChanged(@Root() notice: ApprovalNotice, @Ctx() ctx: RequestContext): ApprovalChangeType {
    renewLoaders(ctx);
    return { change: notice.change, executionId: notice.executionId, step: notice.stepKey, at: new Date(notice.at) };
  }

  @Requires('execution:view')
  @FieldResolver(() => ApprovalRequestType, { description: 'The request as it is now.' })
  async approval(@Root() change: ApprovalChangeType, @Ctx() ctx: RequestContext): Promise<ApprovalRequestType> {
    const record = await ctx.engine.approvals.load(requireViewer(ctx.viewer).tenantId, change.executionId, change.step);
    if (!record) throw new AppError('NOT_FOUND', `no approval step "${change.step}" in execution ${change.executionId}`);
    return toApprovalType(record);
  }
}

@Resolver(() => ExecutionType)
export class ExecutionApprovalsResolver {
  @Requires('execution:view')
  @FieldResolver(() => [ApprovalRequestType], {
    description: "The run's approval requests, whatever their status, in the order its approval steps opened them.",
  })
  async approvals(@Root() execution: ExecutionType, @Ctx() ctx: RequestContext): Promise<ApprovalRequestType[]> {
    const records = await ctx.engine.approvals.ofRun(requireViewer(ctx.viewer).tenantId, execution.id);
    return records.map(toApprovalType);
  }
}
