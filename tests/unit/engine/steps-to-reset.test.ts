import { describe, expect, it } from '@jest/globals';
import { stepsToReset } from '../../../src/engine/store/execution-store.js';

/** A run: `prepare`, then the parallel `configure` (branches `dns` and `stores`), then `charge`, which failed. */
const containers: Record<string, string[]> = { dns: ['configure'], stores: ['configure'] };
const containersOf = (key: string) => containers[key] ?? [];
const step = (key: string, sequence: number, status: 'completed' | 'failed', compensated = false) => ({ key, sequence, status, compensation: compensated ? { status: 'completed' } : null });

describe('stepsToReset', () => {
  it('redoes the failed step and what came after it, and nothing before', () => {
    const steps = [step('prepare', 1, 'completed'), step('configure', 2, 'completed'), step('dns', 3, 'completed'), step('stores', 4, 'completed'), step('charge', 5, 'failed')];
    expect([...stepsToReset(steps, 'charge', containersOf)].sort()).toEqual(['charge']);
  });

  it('redoes compensated steps inside a parallel together with the parallel that contains them', () => {
    const steps = [step('prepare', 1, 'completed', true), step('configure', 2, 'completed'), step('dns', 3, 'completed', true), step('stores', 4, 'completed', true), step('charge', 5, 'failed')];
    expect([...stepsToReset(steps, 'charge', containersOf)].sort()).toEqual(['charge', 'configure', 'dns', 'prepare', 'stores']);
  });
});
