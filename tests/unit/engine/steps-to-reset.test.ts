import { describe, expect, it } from '@jest/globals';
import { previewCommand } from '../../../src/engine/command-preview.js';
import type { WorkflowDefinition } from '../../../src/engine/definition/step-types.js';
import { stepsToReset } from '../../../src/engine/reset-plan.js';

/** A run: `prepare`, then the parallel `configure` (branches `dns` and `stores`), then `charge`, which failed. */
const containers: Record<string, string[]> = { dns: ['configure'], stores: ['configure'] };
const containersOf = (key: string) => containers[key] ?? [];
const step = (key: string, sequence: number, status: 'completed' | 'failed', compensated = false) => ({
  key,
  sequence,
  status,
  compensation: compensated ? { status: 'completed' } : null,
});

describe('stepsToReset', () => {
  it('redoes the failed step and what came after it, and nothing before', () => {
    const steps = [
      step('prepare', 1, 'completed'),
      step('configure', 2, 'completed'),
      step('dns', 3, 'completed'),
      step('stores', 4, 'completed'),
      step('charge', 5, 'failed'),
    ];
    expect([...stepsToReset(steps, 'charge', containersOf)].sort()).toEqual(['charge']);
  });

  it('redoes compensated steps inside a parallel together with the parallel that contains them', () => {
    const steps = [
      step('prepare', 1, 'completed', true),
      step('configure', 2, 'completed'),
      step('dns', 3, 'completed', true),
      step('stores', 4, 'completed', true),
      step('charge', 5, 'failed'),
    ];
    expect([...stepsToReset(steps, 'charge', containersOf)].sort()).toEqual(['charge', 'configure', 'dns', 'prepare', 'stores']);
  });

  it('redoes every step started after a compensated one, which may have read what was undone', () => {
    const steps = [
      step('lookup', 1, 'completed'),
      step('quote', 2, 'completed', true),
      step('terms', 3, 'completed'),
      step('send', 4, 'failed'),
    ];
    expect([...stepsToReset(steps, 'send', containersOf)].sort()).toEqual(['quote', 'send', 'terms']);
  });
});

describe('previewCommand', () => {
  /** `note` is not critical and failed; the run failed at `charge`. */
  const definition = {
    steps: [
      { name: 'note', type: 'transform', critical: false, output: {} },
      { name: 'charge', type: 'service_call', service: 'billing', method: 'charge' },
      { name: 'child', type: 'sub_workflow', workflow: 'other' },
    ],
  } as WorkflowDefinition;
  const steps = [step('note', 1, 'failed'), step('charge', 2, 'failed')];
  const run = {
    status: 'failed' as const,
    error: { code: 'STEP_FAILED' as const, message: 'x', retryable: false, step: 'charge' },
    context: { a: 1 },
    workflow_id: 'w',
    workflow_version: 1,
    steps,
  };
  const noServices = { resolve: () => undefined };

  it('keeps a failed non-critical step on a retry, runs it again on a rerun (which copies only completed and skipped steps)', () => {
    const fates = (preview: ReturnType<typeof previewCommand>) => Object.fromEntries(preview.steps.map((s) => [s.step, s.fate]));
    expect(fates(previewCommand('e', run, definition, { command: 'retry' }, containersOf, noServices))).toEqual({
      note: 'keep',
      charge: 'run_again',
      child: 'run',
    });
    const rerun = previewCommand(
      'e',
      run,
      definition,
      { command: 'rerun', fromStep: 'charge', context: { b: 2 } },
      containersOf,
      noServices,
    );
    expect(fates(rerun)).toEqual({ note: 'run_again', charge: 'run_again', child: 'run' });
    expect(rerun.context).toEqual({ a: 1, b: 2 });
  });

  it('takes a method the registry does not know for one with external effects', () => {
    const preview = previewCommand('e', run, definition, { command: 'retry' }, containersOf, noServices);
    expect(preview.steps.map((s) => s.effect)).toEqual(['none', 'external', 'sub_workflow']);
  });
});
