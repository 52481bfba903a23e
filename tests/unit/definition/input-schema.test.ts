import { compileInputSchema } from '../../../src/engine/definition/input-schema.js';
import { validateWorkflowInput } from '../../../src/engine/definition/parse.js';
import type { JsonObject } from '../../../src/entities/json.js';

const schema: JsonObject = {
  type: 'object',
  required: ['lead_id', 'tenant_id'],
  properties: {
    lead_id: { type: 'string', format: 'uuid' },
    tenant_id: { type: 'string' },
    plan: { enum: ['basic', 'pro'] },
    contact: { type: 'object', properties: { emails: { type: 'array', items: { type: 'string', format: 'email' } } } },
  },
  additionalProperties: false,
};

describe('validateWorkflowInput', () => {
  it('accepts a matching context', () => {
    expect(validateWorkflowInput(schema, { lead_id: '550e8400-e29b-41d4-a716-446655440000', tenant_id: 't', plan: 'pro' })).toEqual([]);
  });

  it('reports every problem with its path', () => {
    const problems = validateWorkflowInput(schema, {
      lead_id: 'nope',
      plan: 'gold',
      contact: { emails: ['a@b.io', 'not-mail'] },
      extra: 1,
    });
    expect(problems.sort()).toEqual(
      [
        "$: must have required property 'tenant_id'",
        '$: must NOT have additional properties ("extra")',
        '$.lead_id: must match format "uuid"',
        '$.plan: must be equal to one of the allowed values: "basic", "pro"',
        '$.contact.emails[1]: must match format "email"',
      ].sort(),
    );
  });

  it('caches compiled schemas by content', () => {
    expect(compileInputSchema(structuredClone(schema))).toBe(compileInputSchema(schema));
  });

  it('keeps schemas with the same $id apart', () => {
    const a = { $id: 'https://example.com/input', type: 'object', required: ['a'] };
    const b = { $id: 'https://example.com/input', type: 'object', required: ['b'] };
    expect(validateWorkflowInput(a, { a: 1 })).toEqual([]);
    expect(validateWorkflowInput(b, { a: 1 })).toEqual(["$: must have required property 'b'"]);
  });

  it('throws VALIDATION for a schema that is not valid', () => {
    expect(() => validateWorkflowInput({ type: 'objekt' }, {})).toThrow(expect.objectContaining({ code: 'VALIDATION' }));
  });
});
