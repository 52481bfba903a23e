import type { ParallelStep } from '../definition/step-types.js';
import type { StepHandler } from './types.js';

/** Starts its branches; the decider runs them concurrently and joins them. */
export const parallelStep: StepHandler<ParallelStep> = {
  async run() {
    return { kind: 'started' };
  },
};
