import { childPath } from './json-path.js';
import { assertNever, type StepDefinition, type WorkflowDefinition } from './step-types.js';

/** Which sequence holds a step: the top level, a condition's branch, or a parallel's branch. */
export type StepContainer =
  { kind: 'root' } | { kind: 'then' | 'else'; parent: string } | { kind: 'branch'; parent: string; branch: number };

export interface WalkedStep {
  step: StepDefinition;
  /** JSON path, e.g. `$.steps[2].branches[0][1]`. */
  path: string;
  /** Enclosing steps, outermost first. */
  parents: StepDefinition[];
  container: StepContainer;
  /** Position in its sequence. */
  index: number;
}

function* walkSequence(
  steps: readonly StepDefinition[],
  sequencePath: string,
  container: StepContainer,
  parents: StepDefinition[],
): Generator<WalkedStep> {
  for (const [index, step] of steps.entries()) {
    const path = childPath(sequencePath, index);
    yield { step, path, parents, container, index };
    const inner = [...parents, step];
    switch (step.type) {
      case 'condition':
        yield* walkSequence(step.then ?? [], childPath(path, 'then'), { kind: 'then', parent: step.name }, inner);
        yield* walkSequence(step.else ?? [], childPath(path, 'else'), { kind: 'else', parent: step.name }, inner);
        break;
      case 'parallel':
        for (const [branch, branchSteps] of step.branches.entries()) {
          yield* walkSequence(
            branchSteps,
            childPath(childPath(path, 'branches'), branch),
            { kind: 'branch', parent: step.name, branch },
            inner,
          );
        }
        break;
      case 'service_call':
      case 'transform':
      case 'wait':
      case 'sub_workflow':
      case 'approval':
        break;
      default:
        assertNever(step, 'step type');
    }
  }
}

/** Every step of a (validated) definition, nested ones included: each parent before its children. */
export function walkSteps(definition: WorkflowDefinition): Generator<WalkedStep> {
  return walkSequence(definition.steps, '$.steps', { kind: 'root' }, []);
}

/** The step of that name anywhere in the definition (names are unique), with where it stands. */
export function findStep(definition: WorkflowDefinition, name: string): WalkedStep | undefined {
  for (const walked of walkSteps(definition)) if (walked.step.name === name) return walked;
  return undefined;
}
