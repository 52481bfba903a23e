import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { Requires } from '../auth/auth-checker.js';
import { requireViewer } from '../auth/viewer.js';
import type { RequestContext } from '../context.js';
import type { CommandPreview, PreviewRequest } from '../engine/index.js';
import { JSONObjectScalar } from '../schema/scalars/index.js';
import { ExecutionPreviewType } from '../schema/types/execution-preview.type.js';
import { toJsonObject } from './execution-mappers.js';
import { executionId } from './execution.resolver.js';
import { redactSecrets } from './redact.js';

function toPreviewType(preview: CommandPreview): ExecutionPreviewType {
  const names = (fate: string) => preview.steps.filter((step) => step.fate === fate).map((step) => step.step);
  const again = preview.steps.filter((step) => step.fate === 'run_again');
  return {
    executionId: preview.executionId,
    action: preview.command,
    fromStep: preview.fromStep,
    reset: preview.reset,
    steps: preview.steps,
    replayed: names('replay'),
    runAgain: again.map((step) => step.step),
    redone: again.filter((step) => step.compensated).map((step) => step.step),
    externalEffects: again.filter((step) => step.effect === 'external' || step.effect === 'sub_workflow'),
    context: preview.context ? redactSecrets(preview.context) : null,
  };
}

@Resolver()
export class ExecutionPreviewResolver {
  private async preview(ctx: RequestContext, id: string, request: PreviewRequest): Promise<ExecutionPreviewType> {
    return toPreviewType(await ctx.engine.preview(requireViewer(ctx.viewer).tenantId, executionId(id), request));
  }

  @Requires('execution:view')
  @Query(() => ExecutionPreviewType, {
    description:
      'What retryExecution(id, fromStep) would do, changing nothing: which steps replay their output, run again (and which of those were compensated, which call out of the database). Refused with the same error the retry would get.',
  })
  previewRetry(
    @Arg('executionId', () => ID) id: string,
    @Arg('fromStep', () => String, { nullable: true, description: 'Default: the step that failed.' }) fromStep: string | null | undefined,
    @Ctx() ctx: RequestContext,
  ): Promise<ExecutionPreviewType> {
    return this.preview(ctx, id, { command: 'retry', fromStep: fromStep ?? undefined });
  }

  @Requires('execution:view')
  @Query(() => ExecutionPreviewType, {
    description: 'What rerunExecution(id, fromStep, context) would do, changing nothing; refused with the same error the rerun would get.',
  })
  previewRerun(
    @Arg('executionId', () => ID) id: string,
    @Arg('fromStep') fromStep: string,
    @Arg('context', () => JSONObjectScalar, { nullable: true }) context: Record<string, unknown> | null | undefined,
    @Ctx() ctx: RequestContext,
  ): Promise<ExecutionPreviewType> {
    return this.preview(ctx, id, { command: 'rerun', fromStep, context: context ? toJsonObject(context, 'context') : {} });
  }
}
