import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Requires } from '../auth/auth-checker.js';
import type { Permission } from '../auth/permissions.js';
import { requireViewer } from '../auth/viewer.js';
import type { RequestContext } from '../context.js';
import { commandRefusal, EXECUTION_COMMANDS, failedStepOf, type CommandFacts, type ExecutionCommand } from '../engine/index.js';
import { AvailableActionType } from '../schema/types/execution-action.type.js';
import { ExecutionType } from '../schema/types/execution.type.js';
import { loadersOf } from './loaders/execution.loader.js';

/** The permissions each command's mutation requires (`@Requires(...COMMAND_PERMISSIONS.cancel)`), and availableActions checks. */
export const COMMAND_PERMISSIONS: { readonly [C in ExecutionCommand]: readonly Permission[] } = {
  cancel: ['execution:cancel'],
  pause: ['execution:pause'],
  resume: ['execution:pause'],
  retry: ['execution:retry'],
  rerun: ['execution:retry', 'workflow:execute'],
};

/** Only the finished runs' commands look at the steps (a DataLoader batches them across a list). */
const NEEDS_STEPS: ReadonlySet<string> = new Set(['completed', 'failed', 'cancelled']);

@Resolver(() => ExecutionType)
export class ExecutionActionsResolver {
  @Requires('execution:view')
  @FieldResolver(() => [AvailableActionType], {
    description:
      "Each operator command (cancel, pause, resume, retry, rerun) for you and this run now: allowed, or the reason not — by the same rules the mutations enforce (your permissions, then the run's state).",
  })
  async availableActions(@Root() execution: ExecutionType, @Ctx() ctx: RequestContext): Promise<AvailableActionType[]> {
    const viewer = requireViewer(ctx.viewer);
    const facts: CommandFacts = { status: execution.status, pauseRequested: execution.pauseRequested };
    if (NEEDS_STEPS.has(execution.status)) {
      const steps = await loadersOf(ctx).steps.load(execution.id);
      facts.failedStep = failedStepOf(execution.error?.step ?? undefined, steps);
      facts.recordedSteps = steps.length;
    }
    return EXECUTION_COMMANDS.map((action) => {
      const missing = COMMAND_PERMISSIONS[action].find((permission) => !viewer.permissions.has(permission));
      if (missing) return { action, allowed: false, reason: `missing permission ${missing}`, code: 'FORBIDDEN' as const };
      const reason = commandRefusal(action, facts);
      return reason === undefined
        ? { action, allowed: true, reason: null, code: null }
        : { action, allowed: false, reason, code: 'INVALID_STATE' as const };
    });
  }
}
