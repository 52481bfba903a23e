import { findStep, walkSteps } from '../../../src/engine/definition/parse.js';
import type { WorkflowDefinition } from '../../../src/engine/definition/step-types.js';

const definition: WorkflowDefinition = {
  steps: [
    { name: 'first', type: 'transform', expression: '1' },
    {
      name: 'check',
      type: 'condition',
      expression: 'true',
      then: [{ name: 'yes', type: 'transform', expression: '2' }],
      else: [
        {
          name: 'fan',
          type: 'parallel',
          branches: [
            [{ name: 'left', type: 'wait', seconds: 1 }],
            [
              { name: 'right1', type: 'wait', seconds: 1 },
              { name: 'right2', type: 'sub_workflow', workflow: 'w' },
            ],
          ],
        },
      ],
    },
    { name: 'last', type: 'service_call', service: 'customer', method: 'createFromLead' },
  ],
};

describe('walkSteps', () => {
  it('yields every step, parents before children, with path, parents and container', () => {
    const walked = [...walkSteps(definition)].map(({ step, path, parents, container, index }) => ({
      name: step.name,
      path,
      parents: parents.map((parent) => parent.name),
      container,
      index,
    }));
    expect(walked).toEqual([
      { name: 'first', path: '$.steps[0]', parents: [], container: { kind: 'root' }, index: 0 },
      { name: 'check', path: '$.steps[1]', parents: [], container: { kind: 'root' }, index: 1 },
      { name: 'yes', path: '$.steps[1].then[0]', parents: ['check'], container: { kind: 'then', parent: 'check' }, index: 0 },
      { name: 'fan', path: '$.steps[1].else[0]', parents: ['check'], container: { kind: 'else', parent: 'check' }, index: 0 },
      {
        name: 'left',
        path: '$.steps[1].else[0].branches[0][0]',
        parents: ['check', 'fan'],
        container: { kind: 'branch', parent: 'fan', branch: 0 },
        index: 0,
      },
      {
        name: 'right1',
        path: '$.steps[1].else[0].branches[1][0]',
        parents: ['check', 'fan'],
        container: { kind: 'branch', parent: 'fan', branch: 1 },
        index: 0,
      },
      {
        name: 'right2',
        path: '$.steps[1].else[0].branches[1][1]',
        parents: ['check', 'fan'],
        container: { kind: 'branch', parent: 'fan', branch: 1 },
        index: 1,
      },
      { name: 'last', path: '$.steps[2]', parents: [], container: { kind: 'root' }, index: 2 },
    ]);
  });
});

describe('findStep', () => {
  it('finds nested steps by name', () => {
    const found = findStep(definition, 'right2');
    expect(found?.step).toEqual({ name: 'right2', type: 'sub_workflow', workflow: 'w' });
    expect(found?.path).toBe('$.steps[1].else[0].branches[1][1]');
    expect(findStep(definition, 'nobody')).toBeUndefined();
  });
});
