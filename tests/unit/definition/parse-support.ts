import { parseWorkflowDefinition, type ParseContext, type WorkflowLookup } from '../../../src/engine/definition/parse.js';
import type { DefinitionIssue } from '../../../src/engine/definition/step-types.js';
import { testServices } from './test-services.js';

export type Raw = Record<string, unknown>;

/** A valid service_call step; `extra` overrides or adds properties. */
export const call = (name: string, extra: Raw = {}): Raw => ({
  name,
  type: 'service_call',
  service: 'customer',
  method: 'createFromLead',
  params: { lead_id: '${context.lead_id}' },
  ...extra,
});
/** A valid transform; with an `output` it has no expression. */
export const transform = (name: string, extra: Raw = {}): Raw => ({
  name,
  type: 'transform',
  ...('output' in extra ? {} : { expression: '1' }),
  ...extra,
});
/** A copy of `step` without `key`. */
export const without = (step: Raw, key: string): Raw => Object.fromEntries(Object.entries(step).filter(([name]) => name !== key));
export const wrap = (...steps: unknown[]): Raw => ({ steps });

/** Workflows of the tenant: onboarding (the one saved) ← renewal → billing_cycle → onboarding. */
const workflowGraph: Record<string, string[]> = {
  renewal: ['billing_cycle'],
  billing_cycle: ['onboarding'],
  notify: [],
  provisioning: ['notify'],
};
const workflows: WorkflowLookup = {
  exists: (name) => Object.hasOwn(workflowGraph, name),
  subWorkflowsOf: (name) => workflowGraph[name] ?? [],
};
export const ctx: ParseContext = { services: testServices, workflows, selfName: 'onboarding' };

export function issuesOf(raw: unknown): DefinitionIssue[] {
  const result = parseWorkflowDefinition(raw, ctx);
  return result.ok ? [] : result.issues;
}

/** A definition with exactly one problem, reported at `path` with a message containing `message`. */
export type BadDefinition = [label: string, raw: unknown, path: string, message: string];
