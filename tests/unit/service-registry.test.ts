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

  it('refuses a method registered twice', () => {
    expect(() => createServiceRegistry([greet as ServiceMethod, greet as ServiceMethod])).toThrow(/registered twice/);
  });
});
