import { z } from 'zod';
import type { ServiceMethod } from '../../services/registry.js';

/**
 * What the definition validator needs to know about the domain services. `ServiceRegistry` (from
 * src/services/registry.ts) satisfies it; it resolves our names and the seeds' snake_case spellings.
 */
export interface ServiceCatalog {
  resolve(service: string, method: string): ServiceMethod | undefined;
}

export interface ServiceParams {
  /** camelCase keys that must be present. */
  required: string[];
  /** camelCase keys that may be left out (optional or defaulted). */
  optional: string[];
  /** Whether keys beyond these are accepted (a loose or catch-all object schema); stripped ones are not. */
  acceptsOtherKeys: boolean;
}

/** The parameters of a method whose input is a `z.object`; undefined for any other input schema. */
export function describeServiceParams(method: ServiceMethod): ServiceParams | undefined {
  const schema = method.input;
  if (!(schema instanceof z.ZodObject)) return undefined;
  const required: string[] = [];
  const optional: string[] = [];
  for (const [key, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
    // A field that accepts `undefined` (optional, defaulted, `z.any()`) need not be given.
    if (field.safeParse(undefined).success) optional.push(key);
    else required.push(key);
  }
  const catchall = schema.def.catchall;
  const acceptsOtherKeys = catchall !== undefined && !(catchall instanceof z.ZodNever);
  return { required, optional, acceptsOtherKeys };
}
