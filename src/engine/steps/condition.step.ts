import type { ConditionStep } from '../definition/step-types.js';
import { isTruthy } from '../definition/expressions.js';
import type { StepHandler } from './types.js';

/** Evaluates its expression and picks a branch; the decider runs the branch and finishes the condition. */
export const conditionStep: StepHandler<ConditionStep> = {
  async run(step, ctx) {
    try {
      const result = isTruthy(await ctx.evaluate(step.expression));
      return { kind: 'branch', branch: result ? 'then' : 'else', result };
    } catch (error) {
      return { kind: 'failed', error: ctx.recordError(error) };
    }
  },
};
