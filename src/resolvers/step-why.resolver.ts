import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Requires } from '../auth/auth-checker.js';
import type { RequestContext } from '../context.js';
import { findStep } from '../engine/definition/walk.js';
import { resolvedParameters } from '../engine/definition/resolved-parameters.js';
import type { StepDefinition, WorkflowDefinition } from '../engine/definition/step-types.js';
import { recordedVerdict, type Verdict } from '../engine/definition/verdicts.js';
import type { JsonValue } from '../entities/json.js';
import { ExecutionStepType } from '../schema/types/execution.type.js';
import { ResolvedParameterType, StepDecisionType } from '../schema/types/step-why.type.js';
import { loadersOf } from './loaders/execution.loader.js';
import { redactedValueOf } from './redact.js';

/**
 * The step's definition in the workflow version its run is pinned to, in its author's key order (so its
 * parameters are listed as written; the engine's cached copy has jsonb's order).
 */
async function definitionOf(step: ExecutionStepType, ctx: RequestContext): Promise<StepDefinition | undefined> {
  const definition = await loadersOf(ctx).pinnedDefinition.load(step.executionId);
  // Stored definitions were validated when saved.
  return definition && findStep(definition as unknown as WorkflowDefinition, step.key)?.step;
}

function decision(kind: StepDecisionType['kind'], verdict: Verdict, branch: string | null = null): StepDecisionType {
  return {
    kind,
    expression: verdict.expression,
    value: redactedValueOf(verdict.expression, verdict.value),
    result: verdict.result,
    branch,
  };
}

/** Why each step went the way it did, and the values its templates came to. */
@Resolver(() => ExecutionStepType)
export class StepWhyResolver {
  @Requires('execution:view')
  @FieldResolver(() => [StepDecisionType], {
    description:
      "Why it ran or not and which way it went: its `when` guard (the expression, its value, the result; a step skipped by it records why in its output too), and a condition's expression, value and branch.",
  })
  async decisions(@Root() step: ExecutionStepType, @Ctx() ctx: RequestContext): Promise<StepDecisionType[]> {
    const definition = await definitionOf(step, ctx);
    if (!definition) return [];
    const decisions: StepDecisionType[] = [];
    if (definition.when !== undefined) {
      const output = step.output as JsonValue | null;
      const verdict =
        step.status === 'skipped'
          ? recordedVerdict(output, 'when')
          : recordedVerdict((await loadersOf(ctx).whenVerdicts.load(step.executionId)).get(step.key));
      // A step that started before its guard's verdict was recorded: it ran, so the guard was true.
      const ran: Verdict = { expression: definition.when, value: null, result: true };
      if (verdict) decisions.push(decision('when', verdict));
      else if (step.status !== 'skipped' && step.status !== 'pending') decisions.push(decision('when', ran));
    }
    if (definition.type === 'condition') {
      const output = step.output as JsonValue | null;
      const verdict = recordedVerdict(output);
      const branch =
        output && typeof output === 'object' && !Array.isArray(output) && typeof output['branch'] === 'string' ? output['branch'] : null;
      if (verdict) decisions.push(decision('condition', verdict, branch));
    }
    return decisions;
  }

  @Requires('execution:view')
  @FieldResolver(() => [ResolvedParameterType], {
    description:
      'Each templated string of the step\'s params (service call), input (sub-workflow) or output (transform) beside what it resolved to in this run; one naming a secret-like key shows "[redacted]".',
  })
  async resolvedParameters(@Root() step: ExecutionStepType, @Ctx() ctx: RequestContext): Promise<ResolvedParameterType[]> {
    const definition = await definitionOf(step, ctx);
    if (!definition) return [];
    // The step's input and output here are redacted already (secret-like keys); a template naming a secret is redacted whole.
    const recorded = { input: (step.input ?? null) as JsonValue | null, output: (step.output ?? null) as JsonValue | null };
    return resolvedParameters(definition, recorded).map((parameter) => ({
      ...parameter,
      value: redactedValueOf(parameter.template, parameter.value),
    }));
  }
}
