import { z } from 'zod';
import type { JsonValue } from '../../../src/entities/json.js';
import { createServiceRegistry, defineServiceMethod, type ServiceMethod, type ServiceRegistry } from '../../../src/services/registry.js';

/** A small catalog of real (if trivial) service methods, declared the way domain services declare theirs. */
function method<I>(service: string, name: string, input: z.ZodType<I>): ServiceMethod {
  return defineServiceMethod<I, JsonValue>({
    service,
    method: name,
    description: `${service}.${name} for definition tests`,
    effects: 'none',
    input,
    async run(_ctx, parsed) {
      return { echoed: JSON.parse(JSON.stringify(parsed ?? null)) as JsonValue };
    },
  }) as ServiceMethod;
}

export const testServices: ServiceRegistry = createServiceRegistry([
  method('customer', 'createFromLead', z.object({ leadId: z.string(), tenantId: z.string().optional() })),
  method('customer', 'deleteCustomer', z.object({ customerId: z.string() })),
  method('billing', 'createSubscription', z.object({ customerId: z.string(), planId: z.string(), trialDays: z.number().int().default(0) })),
  method(
    'billing',
    'processPayment',
    z.object({ orderId: z.string(), amount: z.number().int().positive(), currency: z.string().nullable().optional() }),
  ),
  method(
    'communications',
    'sendTemplateEmail',
    z.object({ to: z.string(), template: z.string(), variables: z.record(z.string(), z.unknown()).optional() }),
  ),
  method('ticketing', 'createTicket', z.looseObject({ subject: z.string() })),
  method('audit', 'record', z.unknown()),
]);
