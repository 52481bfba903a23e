import { z } from 'zod';
import {
  canonicalMethodName,
  canonicalServiceName,
  createServiceRegistry,
  defineServiceMethod,
  type ServiceMethod,
} from '../../src/services/registry.js';

const greet = defineServiceMethod({
  service: 'greeter',
  method: 'sayHello',
  description: 'Greets someone by name.',
  effects: 'none',
  input: z.object({ personName: z.string().min(1) }),
  async run(_ctx, input) {
    return { greeting: `hello ${input.personName}` };
  },
});

describe('service registry', () => {
  const registry = createServiceRegistry([greet as ServiceMethod]);
  const ctx = { em: undefined as never, tenantId: 't', idempotencyKey: 'e:s', now: new Date(), signal: new AbortController().signal };

  it("resolves our names and the seeds' spellings, and nothing else", () => {
    expect(canonicalServiceName('customer_service')).toBe('customer');
    expect(canonicalMethodName('create_from_lead')).toBe('createFromLead');
    expect(registry.resolve('greeter', 'sayHello')).toBe(greet);
    expect(registry.resolve('greeter_service', 'say_hello')).toBe(greet);
    expect(registry.resolve('greeter', 'sayGoodbye')).toBeUndefined();
  });

  it('validates params, accepting snake_case keys', async () => {
    await expect(registry.call('greeter', 'sayHello', ctx, { person_name: 'Ada' })).resolves.toEqual({ greeting: 'hello Ada' });
    await expect(registry.call('greeter', 'sayHello', ctx, { personName: '' })).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(registry.call('greeter', 'nope', ctx, {})).rejects.toMatchObject({ code: 'VALIDATION' });
  });

  it('checks answers against a declared output when asked to (tests, development), not otherwise', async () => {
    const declared = defineServiceMethod({
      ...greet,
      method: 'sayHelloDeclared',
      output: z.looseObject({ greeting: z.string(), language: z.string() }),
    });
    const checking = createServiceRegistry([declared as ServiceMethod], { checkOutputs: true });
    await expect(checking.call('greeter', 'sayHelloDeclared', ctx, { personName: 'Ada' })).rejects.toMatchObject({
      code: 'INTERNAL_SERVER_ERROR',
      message: expect.stringContaining('greeter.sayHelloDeclared answered outside its declared output: language:'),
    });
    const trusting = createServiceRegistry([declared as ServiceMethod]);
    await expect(trusting.call('greeter', 'sayHelloDeclared', ctx, { personName: 'Ada' })).resolves.toEqual({ greeting: 'hello Ada' });
    // Methods without a declaration answer as they like.
    const plain = createServiceRegistry([greet as ServiceMethod], { checkOutputs: true });
    await expect(plain.call('greeter', 'sayHello', ctx, { personName: 'Ada' })).resolves.toEqual({ greeting: 'hello Ada' });
  });

  it('refuses a method registered twice', () => {
    expect(() => createServiceRegistry([greet as ServiceMethod, greet as ServiceMethod])).toThrow(/registered twice/);
  });
});
