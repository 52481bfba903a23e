import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import { Requires } from '../auth/auth-checker.js';
import { requireViewer } from '../auth/viewer.js';
import type { RequestContext } from '../context.js';
import type { WorkflowDefinition } from '../engine/index.js';
import type { JsonObject } from '../entities/json.js';
import { AppError } from '../errors.js';
import { JSONObjectScalar } from '../schema/scalars/index.js';
import { SimulationType } from '../schema/types/simulation.type.js';
import { toErrorType, toJsonObject } from './execution-mappers.js';
import { loadersOf } from './loaders/execution.loader.js';
import { redactedValueOf, redactSecrets } from './redact.js';

const NAMELESS = '(simulation)';

@Resolver()
export class SimulationResolver {
  @Requires('workflow:view')
  @Query(() => SimulationType, {
    description:
      'A dry run of a definition (needs workflow:create, as validating one does) or of your workflow `name` (at `version`, default current) on `context`: validated, then templates, conditions, transforms and `when` clauses evaluated as a run would, with `mocks` answering the calls that leave the process. Nothing is persisted and no service is called.',
  })
  async simulateWorkflow(
    @Arg('definition', () => JSONObjectScalar, { nullable: true }) definition: Record<string, unknown> | null | undefined,
    @Arg('name', () => String, { nullable: true }) name: string | null | undefined,
    @Arg('version', () => Int, { nullable: true }) version: number | null | undefined,
    @Arg('context', () => JSONObjectScalar, { nullable: true }) context: Record<string, unknown> | null | undefined,
    @Arg('mocks', () => JSONObjectScalar, {
      nullable: true,
      description:
        '`{ "<service>.<method>": answer }` (also `workflow.<name>`, `event.<name>`, `approval.<step>`): a string is JSONata over the run (`params`, `input`, `context`, `steps`), anything else the answer itself.',
    })
    mocks: Record<string, unknown> | null | undefined,
    @Ctx() ctx: RequestContext,
  ): Promise<SimulationType> {
    const viewer = requireViewer(ctx.viewer);
    if ((definition ? 1 : 0) + (name ? 1 : 0) !== 1)
      throw new AppError('BAD_USER_INPUT', 'give either definition or name (with version, optionally)');
    let parsed: WorkflowDefinition;
    let workflowName: string | undefined;
    if (definition) {
      if (!viewer.permissions.has('workflow:create'))
        throw new AppError('FORBIDDEN', 'simulating a definition of your own needs workflow:create');
      const issues = await ctx.engine.workflows.validate(viewer.tenantId, NAMELESS, definition);
      if (issues.length > 0) {
        return {
          valid: false,
          issues,
          status: null,
          path: [],
          steps: [],
          unmockedCalls: [],
          compensated: [],
          result: null,
          error: null,
          diagnostics: [],
        };
      }
      // Validated, as stored definitions are.
      parsed = definition as unknown as WorkflowDefinition;
    } else {
      const workflow = await loadersOf(ctx).reads.workflowByName(name ?? '');
      if (!workflow) throw new AppError('NOT_FOUND', `no workflow ${name ?? ''}`);
      parsed = await ctx.engine.definition(workflow.id, version ?? workflow.version);
      workflowName = workflow.name;
    }
    const { simulation, diagnostics } = await ctx.engine.simulate({
      definition: parsed,
      ...(workflowName ? { workflow: workflowName } : {}),
      context: context ? toJsonObject(context, 'context') : {},
      mocks: mocks ? toJsonObject(mocks, 'mocks') : ({} as JsonObject),
    });
    return {
      valid: true,
      issues: [],
      status: simulation.status,
      path: simulation.path,
      steps: simulation.steps.map((step) => ({
        step: step.step,
        type: step.type,
        status: step.status,
        output: redactSecrets(step.output),
        error: toErrorType(step.error),
        resolvedParameters: step.resolvedParameters.map((parameter) => ({
          ...parameter,
          value: redactedValueOf(parameter.template, redactSecrets(parameter.value)),
        })),
        decisions: step.decisions.map((decision) => ({ ...decision, value: redactedValueOf(decision.expression, decision.value) })),
        call: step.call ? { step: step.step, call: step.call.name, mocked: step.call.mocked } : null,
      })),
      unmockedCalls: simulation.unmocked.map((call) => ({ ...call, mocked: false })),
      compensated: simulation.compensated,
      result: redactSecrets(simulation.result),
      error: toErrorType(simulation.error),
      diagnostics,
    };
  }
}
