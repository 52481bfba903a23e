import { z } from 'zod';
import { describeServiceParams, type ServiceCatalog } from '../../../src/engine/definition/service-catalog.js';
import { defineServiceMethod, type ServiceMethod } from '../../../src/services/registry.js';
import { testServices } from './test-services.js';

function withInput(input: z.ZodType): ServiceMethod {
  return defineServiceMethod({
    service: 's',
    method: 'm',
    description: 'test',
    effects: 'none',
    input,
    run: async () => null,
  }) as ServiceMethod;
}

describe('describeServiceParams', () => {
  it('splits a z.object into required and optional (optional, defaulted) keys', () => {
    const described = describeServiceParams(
      withInput(
        z.object({ a: z.string(), b: z.string().optional(), c: z.number().default(1), d: z.string().nullable(), e: z.string().nullish() }),
      ),
    );
    expect(described).toEqual({ required: ['a', 'd'], optional: ['b', 'c', 'e'], acceptsOtherKeys: false });
  });

  it('knows whether other keys are accepted', () => {
    expect(describeServiceParams(withInput(z.looseObject({ a: z.string() })))?.acceptsOtherKeys).toBe(true);
    expect(describeServiceParams(withInput(z.object({ a: z.string() }).catchall(z.number())))?.acceptsOtherKeys).toBe(true);
    expect(describeServiceParams(withInput(z.strictObject({ a: z.string() })))?.acceptsOtherKeys).toBe(false);
  });

  it('is undefined for an input that is not an object schema', () => {
    expect(describeServiceParams(withInput(z.string()))).toBeUndefined();
    expect(describeServiceParams(withInput(z.unknown()))).toBeUndefined();
  });

  it('is what a ServiceRegistry resolves to, seeds spellings included', () => {
    const catalog: ServiceCatalog = testServices;
    const method = catalog.resolve('customer_service', 'create_from_lead');
    expect(method && describeServiceParams(method)).toEqual({ required: ['leadId'], optional: ['tenantId'], acceptsOtherKeys: false });
  });
});
