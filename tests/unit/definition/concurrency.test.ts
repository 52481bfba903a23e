import { checkConcurrency, concurrencyKeyOf } from '../../../src/engine/definition/concurrency.js';
import type { DefinitionIssue } from '../../../src/engine/definition/step-types.js';
import { AppError } from '../../../src/errors.js';

const issuesOf = (value: unknown): DefinitionIssue[] => {
  const issues: DefinitionIssue[] = [];
  checkConcurrency(value, issues);
  return issues;
};

describe('concurrency in a definition', () => {
  it('accepts { limit } and { limit, key } and says what is wrong otherwise, at its path', () => {
    expect(issuesOf({ limit: 3 })).toEqual([]);
    expect(issuesOf({ limit: 3, key: 'customer.id' })).toEqual([]);
    expect(issuesOf(3)).toEqual([
      expect.objectContaining({ path: '$.concurrency', message: expect.stringContaining('must be an object { limit, key? }') }),
    ]);
    expect(issuesOf({})).toEqual([{ path: '$.concurrency.limit', message: 'missing required property "limit" of concurrency' }]);
    expect(issuesOf({ limit: 1.5 })).toEqual([{ path: '$.concurrency.limit', message: 'must be an integer from 1 to 10000' }]);
    expect(issuesOf({ limit: 2, key: '' })).toEqual([
      { path: '$.concurrency.key', message: 'must be a JSONata expression (a non-empty string)' },
    ]);
    expect(issuesOf({ limit: 2, key: 'customer.(' })).toEqual([expect.objectContaining({ path: '$.concurrency.key' })]);
  });

  it('names the group by the key evaluated over the context (fields at the top level, and `context`)', async () => {
    expect(await concurrencyKeyOf({ limit: 1 }, { customer: 'acme' })).toBe('');
    expect(await concurrencyKeyOf({ limit: 1, key: 'customer' }, { customer: 'acme' })).toBe('acme');
    expect(await concurrencyKeyOf({ limit: 1, key: 'context.partner.id' }, { partner: { id: 42 } })).toBe('42');
    expect(await concurrencyKeyOf({ limit: 1, key: 'region & "/" & customer' }, { region: 'eu', customer: 'acme' })).toBe('eu/acme');
  });

  it.each([
    [{}, 'gave nothing'],
    [{ customer: '' }, 'gave ""'],
    [{ customer: { id: 1 } }, 'gave {"id":1}'],
    [{ customer: ['a', 'b'] }, 'gave ["a","b"]'],
    [{ customer: 'x'.repeat(201) }, 'a value of 201 characters'],
  ])('refuses a key that names no group (%j) with VALIDATION', async (context, message) => {
    const refusal = concurrencyKeyOf({ limit: 1, key: 'customer' }, context);
    await expect(refusal).rejects.toBeInstanceOf(AppError);
    await expect(refusal).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringContaining(message) });
  });
});
