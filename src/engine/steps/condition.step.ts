import type { ConditionStep } from '../definition/step-types.js';
import { verdictOf } from '../definition/verdicts.js';
import type { StepHandler } from './types.js';

/** Evaluates its expression and picks a branch; the decider runs the branch and finishes the condition. */
export const conditionStep: StepHandler<ConditionStep> = {
  async run(step, ctx) {
    try {
      const verdict = verdictOf(step.expression, await ctx.evaluate(step.expression));
      return { kind: 'branch', branch: verdict.result ? 'then' : 'else', verdict };
    } catch (error) {
      return { kind: 'failed', error: ctx.recordError(error) };
    }
  },
};
