import type { JsonValue } from '../../../src/entities/json.js';
import { AppError } from '../../../src/errors.js';
import {
  findTemplates,
  mergedContext,
  resolveTemplates,
  runContext,
  type TemplateScope,
  type TenantView,
} from '../../../src/engine/definition/templates.js';

const scope: TemplateScope = {
  context: { lead_id: 'L-1', count: 3, tags: ['a', 'b'], flag: false, nothing: null, quote: { id: 'Q-0', total: 10 } },
  steps: {
    create_customer: { status: 'completed', output: { customerId: 'C-7', items: [{ id: 'i0' }, { id: 'i1' }] } },
    get_quote: { status: 'completed', output: { quote: { id: 'Q-1', items: [{ sku: 'S1' }] }, customerId: 'C-8' } },
    notify: { status: 'skipped' },
    failing: { status: 'failed', output: { quote: { id: 'never' } } },
  },
};
const where = { step: 'send_email', path: '$.steps[3].params' };

function thrownBy(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError');
}

describe('resolveTemplates', () => {
  it('gives a string that is exactly one template the value with its JSON type', () => {
    expect(resolveTemplates('${context.count}', scope, where)).toBe(3);
    expect(resolveTemplates('${context.flag}', scope, where)).toBe(false);
    expect(resolveTemplates('${context.tags}', scope, where)).toEqual(['a', 'b']);
    expect(resolveTemplates('${steps.create_customer.output}', scope, where)).toEqual(scope.steps.create_customer?.output);
    expect(resolveTemplates('${steps.create_customer.output.items[1].id}', scope, where)).toBe('i1');
    expect(resolveTemplates('${steps.notify.status}', scope, where)).toBe('skipped');
    expect(resolveTemplates('${ context.lead_id }', scope, where)).toBe('L-1');
  });

  it('keeps null as a value', () => {
    expect(resolveTemplates('${context.nothing}', scope, where)).toBeNull();
    expect(resolveTemplates({ x: '${context.nothing}' }, scope, where)).toEqual({ x: null });
  });

  it('interpolates templates inside longer strings, JSON-stringifying objects and arrays', () => {
    expect(
      resolveTemplates(
        'Lead ${context.lead_id} has ${context.count} tags ${context.tags}; quote ${context.quote}, ${context.nothing}',
        scope,
        where,
      ),
    ).toBe('Lead L-1 has 3 tags ["a","b"]; quote {"id":"Q-0","total":10}, null');
    expect(resolveTemplates(' ${context.count}', scope, where)).toBe(' 3');
  });

  it('resolves bare paths against the merged context, later completed outputs winning', () => {
    expect(resolveTemplates('${lead_id}', scope, where)).toBe('L-1');
    // get_quote completed after create_customer: its quote and customerId overlay the earlier values.
    expect(resolveTemplates('${quote.id}', scope, where)).toBe('Q-1');
    expect(resolveTemplates('${customerId}', scope, where)).toBe('C-8');
    expect(resolveTemplates('${quote.items[0].sku}', scope, where)).toBe('S1');
  });

  it('deep-resolves objects and arrays and leaves other values alone', () => {
    const value = { customer: { id: '${steps.create_customer.output.customerId}', ids: ['${lead_id}', 4, true, null] }, plain: 'text' };
    expect(resolveTemplates(value, scope, where)).toEqual({ customer: { id: 'C-7', ids: ['L-1', 4, true, null] }, plain: 'text' });
  });

  it('reads $${ as a literal ${', () => {
    expect(resolveTemplates('$${context.lead_id}', scope, where)).toBe('${context.lead_id}');
    expect(resolveTemplates('cost: $${x} for ${context.count}', scope, where)).toBe('cost: ${x} for 3');
  });

  it('fails on a reference that resolves to nothing, naming the step, the path and the template', () => {
    const error = thrownBy(() => resolveTemplates({ customer: { ids: ['ok', '${context.missing}'] } }, scope, where));
    expect(error.code).toBe('VALIDATION');
    expect(error.message).toBe('step "send_email": ${context.missing} at $.steps[3].params.customer.ids[1] resolves to nothing');
    expect(error.details).toEqual({ step: 'send_email', path: '$.steps[3].params.customer.ids[1]', template: '${context.missing}' });
  });

  it('says why a step reference is empty', () => {
    expect(thrownBy(() => resolveTemplates('${steps.notify.output.x}', scope, where)).message).toContain('(step "notify" is skipped)');
    expect(thrownBy(() => resolveTemplates('${steps.later.output}', scope, where)).message).toContain('(step "later" has not run)');
    expect(thrownBy(() => resolveTemplates('id: ${steps.create_customer.output.nope}', scope, where)).message).toContain(
      'resolves to nothing',
    );
  });

  it('never reads inherited properties or indexes a non-array', () => {
    expect(() => resolveTemplates('${context.constructor}', scope, where)).toThrow(AppError);
    expect(() => resolveTemplates('${context.tags.length}', scope, where)).toThrow(AppError);
    expect(() => resolveTemplates('${context.quote[0]}', scope, where)).toThrow(AppError);
  });

  it('refuses malformed templates at run time too', () => {
    const error = thrownBy(() => resolveTemplates('${context.a + 1}', scope, where));
    expect(error.code).toBe('VALIDATION');
    expect(error.message).toContain('malformed template ${context.a + 1}');
  });
});

describe('mergedContext', () => {
  it('overlays only completed step outputs, in the given or the insertion order', () => {
    expect(mergedContext(scope)).toMatchObject({ lead_id: 'L-1', quote: { id: 'Q-1' }, customerId: 'C-8' });
    expect(mergedContext(scope, ['get_quote', 'create_customer']).customerId).toBe('C-7');
  });

  it('keeps a "__proto__" key as data', () => {
    const hostile: JsonValue = JSON.parse('{"__proto__": {"polluted": true}}');
    const merged = mergedContext({ context: {}, steps: { s: { status: 'completed', output: hostile } } });
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    expect(Object.hasOwn(merged, '__proto__')).toBe(true);
  });
});

describe("the run's tenant", () => {
  const tenant: TenantView = { id: '5b9c3a52-7d1e-4f0a-9c1e-2a7d3f6b8e01', slug: 'acme', name: 'Acme' };

  it('resolves ${tenant.id}, ${tenant.slug} and ${tenant.name}, and nothing without a tenant', () => {
    const withTenant: TemplateScope = { ...scope, tenant };
    expect(resolveTemplates({ id: '${tenant.id}', at: 'https://${tenant.slug}.example', all: '${tenant}' }, withTenant, where)).toEqual({
      id: tenant.id,
      at: 'https://acme.example',
      all: tenant,
    });
    expect(thrownBy(() => resolveTemplates('${tenant.slug}', scope, where)).message).toContain('resolves to nothing');
  });

  it('fills context.tenant_id with the tenant when the caller left it out, and keeps one that was given', () => {
    expect(runContext({ lead_id: 'L-1' }, tenant)).toEqual({ lead_id: 'L-1', tenant_id: tenant.id });
    expect(runContext({ tenant_id: 'acme' }, tenant)).toEqual({ tenant_id: 'acme' });
    expect(runContext({ lead_id: 'L-1' }, undefined)).toEqual({ lead_id: 'L-1' });
  });

  it('refuses a tenant field that does not exist', () => {
    const { errors } = findTemplates({ key: '${tenant.secret}' }, '$.p');
    expect(errors).toEqual([expect.objectContaining({ path: '$.p.key', message: expect.stringContaining('id, slug, name') })]);
  });
});

describe('findTemplates', () => {
  it('lists every template with its path and parsed reference', () => {
    const { templates, errors } = findTemplates(
      { a: '${context.lead_id}', b: ['x ${steps.s1.output.items[2].id} y ${quote.id}'], c: 5, d: '$${escaped}' },
      '$.steps[0].params',
    );
    expect(errors).toEqual([]);
    expect(templates).toEqual([
      { path: '$.steps[0].params.a', source: '${context.lead_id}', reference: { kind: 'context', path: ['lead_id'] } },
      {
        path: '$.steps[0].params.b[0]',
        source: '${steps.s1.output.items[2].id}',
        reference: { kind: 'step', step: 's1', path: ['output', 'items', 2, 'id'] },
      },
      { path: '$.steps[0].params.b[0]', source: '${quote.id}', reference: { kind: 'bare', path: ['quote', 'id'] } },
    ]);
  });

  it.each([
    ['${}', 'empty template'],
    ['${   }', 'empty template'],
    ['${context.lead id}', 'is not a path'],
    ['${a + b}', 'is not a path'],
    ['${a.b()}', 'is not a path'],
    ['${items[-1]}', 'is not a path'],
    ['${steps}', '"steps" must be followed by a step name'],
    ['${steps[0].output}', '"steps" must be followed by a step name'],
    ['${a${b}}', 'cannot be nested'],
    ['hello ${context.x', 'unclosed "${"'],
  ])('reports %s as malformed', (text, message) => {
    const { templates, errors } = findTemplates({ key: text }, '$.p');
    expect(templates).toEqual([]);
    expect(errors).toEqual([expect.objectContaining({ path: '$.p.key', message: expect.stringContaining(message) })]);
  });
});
