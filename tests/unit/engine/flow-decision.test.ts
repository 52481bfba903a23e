import { choosePromotions, groupOf, hasRoom, type SlotUse } from '../../../src/engine/runtime/flow-decision.js';

const use = (groups: Record<string, number>, tenant = 0): SlotUse => ({ groups: new Map(Object.entries(groups)), tenant });
const A = groupOf('wf-a', 'acme');
const B = groupOf('wf-a', 'globex');

describe('flow control decisions', () => {
  it('has room while the group is under its limit and, for a top-level run, the tenant under its own', () => {
    expect(hasRoom({ group: A, limit: 2, topLevel: true }, use({ [A]: 1 }), undefined)).toBe(true);
    expect(hasRoom({ group: A, limit: 2, topLevel: true }, use({ [A]: 2 }), undefined)).toBe(false);
    expect(hasRoom({ group: A, limit: 2, topLevel: true }, use({ [A]: 1 }, 3), 3)).toBe(false);
    // A sub-workflow's run does not count against the tenant (it runs within its parent's slot).
    expect(hasRoom({ group: A, limit: 2, topLevel: false }, use({ [A]: 1 }, 3), 3)).toBe(true);
    expect(hasRoom({ topLevel: true }, use({}, 2), 3)).toBe(true);
    expect(hasRoom({ topLevel: true }, use({}, 3), 3)).toBe(false);
    expect(hasRoom({ topLevel: true }, use({}, 1_000), undefined)).toBe(true);
  });

  it('promotes in queue order while slots last, counting each promotion before the next candidate', () => {
    const candidates = [
      { id: 'high', group: A, limit: 2, topLevel: true },
      { id: 'a-next', group: A, limit: 2, topLevel: true },
      { id: 'a-last', group: A, limit: 2, topLevel: true },
    ];
    expect(choosePromotions(candidates, use({ [A]: 0 }), undefined).map((c) => c.id)).toEqual(['high', 'a-next']);
    expect(choosePromotions(candidates, use({ [A]: 1 }), undefined).map((c) => c.id)).toEqual(['high']);
    expect(choosePromotions(candidates, use({ [A]: 2 }), undefined)).toEqual([]);
  });

  it("passes over a run its own group holds back: it does not hold back another group's runs", () => {
    const candidates = [
      { id: 'a1', group: A, limit: 1, topLevel: true },
      { id: 'b1', group: B, limit: 1, topLevel: true },
      { id: 'b2', group: B, limit: 1, topLevel: true },
    ];
    expect(choosePromotions(candidates, use({ [A]: 1 }), undefined).map((c) => c.id)).toEqual(['b1']);
  });

  it('hands a freed tenant slot to the first queued run with room in its group, and sub-workflow runs past a full tenant', () => {
    const candidates = [
      { id: 'a1', group: A, limit: 1, topLevel: true },
      { id: 'plain', topLevel: true },
      { id: 'child', group: B, limit: 5, topLevel: false },
      { id: 'plain2', topLevel: true },
    ];
    expect(choosePromotions(candidates, use({ [A]: 1 }, 2), 3).map((c) => c.id)).toEqual(['plain', 'child']);
    expect(choosePromotions(candidates, use({ [A]: 0 }, 3), 3).map((c) => c.id)).toEqual(['child']);
  });
});
