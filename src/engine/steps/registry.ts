import { approvalStep } from './approval.step.js';
import { conditionStep } from './condition.step.js';
import { parallelStep } from './parallel.step.js';
import { serviceCallStep } from './service-call.step.js';
import { subWorkflowStep } from './sub-workflow.step.js';
import { transformStep } from './transform.step.js';
import type { StepHandlers } from './types.js';
import { waitStep } from './wait.step.js';

/** Every step type's handler; the type makes a missing one a compile error. */
export const STEP_HANDLERS: StepHandlers = {
  service_call: serviceCallStep,
  transform: transformStep,
  condition: conditionStep,
  wait: waitStep,
  parallel: parallelStep,
  sub_workflow: subWorkflowStep,
  approval: approvalStep,
};
