import type { TransformStep } from '../definition/step-types.js';
import type { StepHandler } from './types.js';

/** Computes an output: a JSONata expression, or a templated JSON value. */
export const transformStep: StepHandler<TransformStep> = {
  async run(step, ctx) {
    try {
      if (step.expression !== undefined) return { kind: 'completed', output: (await ctx.evaluate(step.expression)) ?? null };
      return { kind: 'completed', output: ctx.resolve(step.output ?? null, `$.${step.name}.output`) };
    } catch (error) {
      return { kind: 'failed', error: ctx.recordError(error) };
    }
  },
};
