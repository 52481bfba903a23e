import { AppError } from '../errors.js';
import type { StepDefinition, WorkflowDefinition } from './definition/step-types.js';
import { childSequences } from './runtime/decider.js';
import { executionVersion, loadDefinition, workflowName } from './store/definition-store.js';
import type { Queryable } from '../infra/queryable.js';

export interface Definitions {
  /**
   * The parsed definition of a workflow version (cached: versions never change). `via`: the caller's
   * transaction, when it holds one — asking the pool for a second connection while holding one can
   * exhaust it, every holder waiting for a connection only another holder can give back.
   */
  load(workflowId: string, version: number, via?: Queryable): Promise<WorkflowDefinition>;
  /** A workflow's name (cached: names never change), for metrics and logs. */
  nameOf(workflowId: string): Promise<string>;
  /** For an execution's workflow version: the containers (parallel, condition) around each step, innermost first. */
  containersOf(executionId: string, tenantId: string): Promise<(key: string) => string[]>;
}

export function createDefinitions(db: Queryable): Definitions {
  const definitions = new Map<string, Promise<WorkflowDefinition>>();
  function load(workflowId: string, version: number, via: Queryable = db): Promise<WorkflowDefinition> {
    const key = `${workflowId}:${version}`;
    let cached = definitions.get(key);
    if (!cached) {
      cached = loadDefinition(via, workflowId, version).then((raw) => {
        if (!raw) throw new AppError('NOT_FOUND', `workflow ${workflowId} has no version ${version}`);
        // Stored definitions were validated when saved.
        return raw as unknown as WorkflowDefinition;
      });
      cached.catch(() => definitions.delete(key));
      definitions.set(key, cached);
    }
    return cached;
  }

  const names = new Map<string, Promise<string>>();
  function nameOf(workflowId: string): Promise<string> {
    let cached = names.get(workflowId);
    if (!cached) {
      cached = workflowName(db, workflowId).then((name) => {
        if (name === undefined) throw new AppError('NOT_FOUND', `no workflow ${workflowId}`);
        return name;
      });
      cached.catch(() => names.delete(workflowId));
      names.set(workflowId, cached);
    }
    return cached;
  }

  async function containersOf(executionId: string, tenantId: string): Promise<(key: string) => string[]> {
    const run = await executionVersion(db, executionId, tenantId);
    if (!run) throw new AppError('NOT_FOUND', `no execution ${executionId}`);
    return containersIn(await load(run.workflowId, run.version));
  }

  return { load, nameOf, containersOf };
}

/** The containers (parallel, condition) around each step of `definition`, innermost first. */
export function containersIn(definition: WorkflowDefinition): (key: string) => string[] {
  const parents = new Map<string, string>();
  const index = (steps: readonly StepDefinition[], parent?: string) => {
    for (const step of steps) {
      if (parent) parents.set(step.name, parent);
      for (const sequence of childSequences(step)) index(sequence, step.name);
    }
  };
  index(definition.steps);
  return (key) => {
    const chain: string[] = [];
    for (let parent = parents.get(key); parent; parent = parents.get(parent)) chain.push(parent);
    return chain;
  };
}
