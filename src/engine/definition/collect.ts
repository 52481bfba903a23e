import type { DefinitionIssue } from './step-types.js';
import { childPath } from './json-path.js';

export type RawObject = Record<string, unknown>;

export function isRawObject(value: unknown): value is RawObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One level of a step's position: the sequence (an array, by JSON path) holding it and its index there. */
export interface PositionFrame {
  sequence: string;
  index: number;
}

/** A step as found in a definition that is not validated yet. */
export interface CollectedStep {
  value: RawObject;
  path: string;
  /** From the top-level `steps` down to the sequence holding this step. */
  frames: PositionFrame[];
  /** Enclosing steps, outermost first. */
  parents: CollectedStep[];
  /** The name, when it is a string (whether it is a valid one is checked elsewhere). */
  name: string | undefined;
}

/**
 * Every step of a raw definition, nested ones included, parents before children. Only a `condition`'s
 * `then`/`else` and a `parallel`'s `branches` hold steps; ill-shaped containers are left to the shape
 * checks, non-object steps are reported here.
 */
export function collectSteps(
  steps: readonly unknown[],
  sequencePath: string,
  issues: DefinitionIssue[],
  frames: PositionFrame[] = [],
  parents: CollectedStep[] = [],
): CollectedStep[] {
  const collected: CollectedStep[] = [];
  steps.forEach((value, index) => {
    const path = childPath(sequencePath, index);
    if (!isRawObject(value)) {
      issues.push({ path, message: 'a step must be an object with a name and a type' });
      return;
    }
    const step: CollectedStep = {
      value,
      path,
      frames: [...frames, { sequence: sequencePath, index }],
      parents,
      name: typeof value.name === 'string' ? value.name : undefined,
    };
    collected.push(step);
    const inner = [...parents, step];
    for (const [sequence, children] of childSequences(value, path)) {
      collected.push(...collectSteps(children, sequence, issues, step.frames, inner));
    }
  });
  return collected;
}

function childSequences(step: RawObject, path: string): [string, unknown[]][] {
  if (step.type === 'condition') {
    return (['then', 'else'] as const)
      .map((key): [string, unknown] => [childPath(path, key), step[key]])
      .filter((entry): entry is [string, unknown[]] => Array.isArray(entry[1]));
  }
  if (step.type === 'parallel' && Array.isArray(step.branches)) {
    const branchesPath = childPath(path, 'branches');
    return step.branches
      .map((branch, index): [string, unknown] => [childPath(branchesPath, index), branch])
      .filter((entry): entry is [string, unknown[]] => Array.isArray(entry[1]));
  }
  return [];
}
