import { AppError } from '../../../src/errors.js';
import {
  compileExpression,
  evaluateExpression,
  expressionInput,
  isTruthy,
  referencedSteps,
} from '../../../src/engine/definition/expressions.js';
import type { TemplateScope } from '../../../src/engine/definition/templates.js';

const scope: TemplateScope = {
  context: {
    lead_id: 'L-1',
    amount: 250,
    items: [
      { id: 'a', qty: 2 },
      { id: 'b', qty: 3 },
    ],
  },
  steps: {
    create_customer: { status: 'completed', output: { customerId: 'C-1', tier: 'gold' } },
    notify: { status: 'skipped' },
  },
};
const input = expressionInput(scope, { event: { name: 'quote.accepted', quoteId: 'Q-9' } });

async function evaluate(source: string, timeoutMs?: number) {
  return evaluateExpression(compileExpression(source), input, timeoutMs === undefined ? {} : { timeoutMs });
}

async function failure(run: () => Promise<unknown>): Promise<AppError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError');
}

describe('compileExpression', () => {
  it('reports a syntax error with JSONata position and message', () => {
    let error: unknown;
    try {
      compileExpression('amount >');
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({
      code: 'VALIDATION',
      message: 'invalid JSONata at position 8: Unexpected end of expression',
      details: { code: 'S0207', position: 8 },
    });
    expect(() => compileExpression('')).toThrow(/invalid JSONata/);
  });

  it('refuses regular expressions with nested repetition, and accepts ordinary ones', async () => {
    expect(() => compileExpression('$contains(context.lead_id, /(a+)+$/)')).toThrow(/repeats a group that itself repeats \(\(a\+\)\+\)/);
    await expect(evaluate('$contains("x@example.com", /@example\\.com$/)')).resolves.toBe(true);
  });
});

describe('evaluateExpression', () => {
  it('reads the context, the steps, the merged context and the event', async () => {
    await expect(evaluate('context.amount * 2')).resolves.toBe(500);
    await expect(evaluate('steps.create_customer.output.customerId')).resolves.toBe('C-1');
    await expect(evaluate('steps.notify.status')).resolves.toBe('skipped');
    await expect(evaluate('tier & "/" & lead_id')).resolves.toBe('gold/L-1');
    await expect(evaluate('event.quoteId')).resolves.toBe('Q-9');
    await expect(evaluate('$sum(context.items.qty)')).resolves.toBe(5);
    await expect(evaluate('{ "ids": context.items.id, "big": context.amount > 100 }')).resolves.toEqual({ ids: ['a', 'b'], big: true });
  });

  it('returns undefined when nothing is selected', async () => {
    await expect(evaluate('context.nope')).resolves.toBeUndefined();
  });

  it('normalises sequences and functions to plain JSON', async () => {
    const ids = await evaluate('context.items.id');
    expect(ids).toEqual(['a', 'b']);
    expect(Object.keys(ids as object)).toEqual(['0', '1']);
    await expect(evaluate('$uppercase')).resolves.toBeUndefined();
    await expect(evaluate('{ "f": $uppercase, "list": [1, $uppercase], "n": 1 }')).resolves.toEqual({ list: [1, null], n: 1 });
  });

  it('fails with VALIDATION and the JSONata code on a type error', async () => {
    const error = await failure(() => evaluate('context.lead_id + 1'));
    expect(error.code).toBe('VALIDATION');
    expect(error.details).toMatchObject({ code: 'T2001' });
  });

  it('stops a runaway loop at the timeout, with code TIMEOUT', async () => {
    const error = await failure(() => evaluate('($loop := function($n) { $loop($n + 1) }; $loop(0))', 100));
    expect(error.code).toBe('TIMEOUT');
    expect(error.message).toContain('timeout');
  });

  it('stops unbounded recursion: at the depth limit, or at the time limit on a loaded machine', async () => {
    const error = await failure(() => evaluate('($down := function($n) { 1 + $down($n + 1) }; $down(0))'));
    const stopped = { code: error.code, reason: (error.details as { code?: string } | undefined)?.code };
    expect([
      { code: 'VALIDATION', reason: 'D1011' },
      { code: 'TIMEOUT', reason: 'D1012' },
    ]).toContainEqual(stopped);
  });

  it('refuses a huge range at once instead of allocating it', async () => {
    const error = await failure(() => evaluate('$sum([1..5000000])'));
    // Refused by the range check itself (D2015), not by running out of time or memory.
    expect(error).toMatchObject({ code: 'VALIDATION', details: { code: 'D2015' } });
  });

  it('refuses an unsafe regular expression smuggled through $eval', async () => {
    const error = await failure(() => evaluate('$eval("$contains(\'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!\', /(a+)+$/)")'));
    expect(error.code).toBe('VALIDATION');
    expect(error.message).toContain('repeats a group');
  });
});

describe('referencedSteps', () => {
  it.each([
    ['steps.a.output.x = "y" and $$.steps.b.status = "completed"', ['a', 'b']],
    ['$.steps.c.output', ['c']],
    ['{ "x": steps.d.output, "y": [steps.e.status] }', ['d', 'e']],
    ['$count(steps.f.output.items[qty > 1])', ['f']],
    ['steps.`odd name`.output', ['odd name']],
    // `steps` inside a filter or after a path step is a field of the current item, not the run's steps.
    ['context.items[steps.count > 1]', []],
    ['context.recipe.steps.first', []],
    ['lead_id', []],
  ])('%s reads %j', (source, expected) => {
    expect(referencedSteps(compileExpression(source)).sort()).toEqual(expected);
  });
});

describe('isTruthy (JSONata $boolean semantics)', () => {
  it.each([
    [undefined, false],
    [null, false],
    [false, false],
    [0, false],
    ['', false],
    [[], false],
    [[0, ''], false],
    [{}, false],
    [true, true],
    [1, true],
    [-1, true],
    ['no', true],
    [[0, 1], true],
    [{ a: null }, true],
  ])('%j is %s', (value, expected) => {
    expect(isTruthy(value)).toBe(expected);
  });

  it('agrees with $boolean on evaluated results', async () => {
    for (const source of ['context.items[qty > 5]', 'context.items[qty > 2]', 'context.amount - 250', '"" & ""']) {
      // $boolean of nothing is nothing, which a condition reads as false.
      expect(isTruthy(await evaluate(source))).toBe((await evaluate(`$boolean(${source})`)) ?? false);
    }
  });
});
