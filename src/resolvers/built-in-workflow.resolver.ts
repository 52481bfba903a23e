import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { Audited, auditInOperation } from '../auth/audit/audited.js';
import { Requires } from '../auth/auth-checker.js';
import { inTenantTransaction } from '../auth/tenant-scope.js';
import { requireViewer } from '../auth/viewer.js';
import type { RequestContext } from '../context.js';
import { BuiltInWorkflowStatusType } from '../schema/types/built-in-workflow.type.js';
import { WorkflowType } from '../schema/types/workflow.type.js';
import { builtInStatusOf, heldRevisions, restoreBuiltInWorkflow, type HeldRevision } from '../workflows/index.js';
import { toWorkflowType } from './execution-mappers.js';

/** One read of the tenant's built-in records per request, whatever number of workflows asks. */
const heldBy = new WeakMap<RequestContext, Promise<Map<string, HeldRevision>>>();

@Resolver(() => WorkflowType)
export class BuiltInWorkflowResolver {
  @Requires('workflow:view')
  @FieldResolver(() => BuiltInWorkflowStatusType, {
    nullable: true,
    description:
      "For a workflow that bears a built-in's name: the revision your tenant holds, this release's, and whether it was edited since. Null for any other workflow.",
  })
  async builtIn(@Root() workflow: WorkflowType, @Ctx() ctx: RequestContext): Promise<BuiltInWorkflowStatusType | null> {
    const tenantId = requireViewer(ctx.viewer).tenantId;
    let held = heldBy.get(ctx);
    if (!held) heldBy.set(ctx, (held = inTenantTransaction(ctx.em, tenantId, (em) => heldRevisions(em, tenantId))));
    const status = builtInStatusOf(workflow, await held, tenantId);
    return status
      ? { revision: status.revision, heldRevision: status.heldRevision, givenVersion: status.givenVersion, state: status.state }
      : null;
  }

  @Requires('workflow:create')
  @Audited({ operation: 'workflow.restore_built_in', targetType: 'workflow', targetArg: 'name', transaction: 'engine' })
  @Mutation(() => WorkflowType, {
    description:
      "Saves this release's definition of a built-in workflow as a new version over your edit (or your own workflow of that name): your versions are kept, runs on them go on, and later releases upgrade it again. NOT_FOUND when the name is no built-in's.",
  })
  async restoreBuiltInWorkflow(@Arg('name') name: string, @Ctx() ctx: RequestContext): Promise<WorkflowType> {
    return toWorkflowType(await restoreBuiltInWorkflow(ctx.engine, requireViewer(ctx.viewer).tenantId, name, auditInOperation(ctx)));
  }
}
