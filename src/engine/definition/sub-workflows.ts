import type { CollectedStep } from './collect.js';
import { childPath } from './json-path.js';
import type { DefinitionIssue } from './step-types.js';

/** What the validator may ask about the other workflows (of the same tenant). */
export interface WorkflowLookup {
  exists(name: string): boolean;
  /** The workflows that `name`'s current definition starts as sub-workflows. */
  subWorkflowsOf(name: string): string[];
}

/** The chain of workflows from `start` back to `self`, if `start` reaches it through sub-workflows. */
function chainBackTo(self: string, start: string, workflows: WorkflowLookup): string[] | undefined {
  const visited = new Set<string>();
  const search = (name: string, chain: string[]): string[] | undefined => {
    if (name === self) return chain;
    if (visited.has(name)) return undefined;
    visited.add(name);
    for (const child of workflows.subWorkflowsOf(name)) {
      const found = search(child, [...chain, child]);
      if (found) return found;
    }
    return undefined;
  };
  return search(start, [start]);
}

/** Sub-workflows exist, and none leads back to the workflow being saved. */
export function checkSubWorkflows(
  steps: readonly CollectedStep[],
  ctx: { workflows?: WorkflowLookup; selfName?: string },
  issues: DefinitionIssue[],
): void {
  const { workflows, selfName } = ctx;
  for (const step of steps) {
    const workflow = step.value.type === 'sub_workflow' ? step.value.workflow : undefined;
    if (typeof workflow !== 'string' || workflow.trim() === '') continue;
    const path = childPath(step.path, 'workflow');
    if (workflow === selfName) {
      issues.push({ path, message: `sub_workflow "${workflow}" is this workflow itself: a run would start itself forever` });
      continue;
    }
    if (!workflows) continue;
    if (!workflows.exists(workflow)) {
      issues.push({ path, message: `unknown workflow "${workflow}"` });
      continue;
    }
    const chain = selfName === undefined ? undefined : chainBackTo(selfName, workflow, workflows);
    if (chain) {
      issues.push({
        path,
        message: `sub_workflow "${workflow}" leads back to this workflow (${[selfName, ...chain].join(' → ')}): a cycle`,
      });
    }
  }
}
