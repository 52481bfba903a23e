import { z } from 'zod';
import { canonicalMethodName, type ServiceMethod } from '../../services/registry.js';
import { isRawObject, type CollectedStep, type RawObject } from './collect.js';
import { childPath } from './json-path.js';
import { describeServiceParams, type ServiceCatalog } from './service-catalog.js';
import type { DefinitionIssue } from './step-types.js';

/**
 * A service call's target exists, and its params are ones the method takes. Keys may be camelCase or the
 * seeds' snake_case: the registry converts them with the same rule as method names. A param whose value
 * holds no template is also checked against the method's schema for that param, as the call would.
 */

const hasTemplate = (value: unknown): boolean => JSON.stringify(value).includes('${');

function checkParams(method: ServiceMethod, params: RawObject | undefined, path: string, issues: DefinitionIssue[]): void {
  const described = describeServiceParams(method);
  if (!described) return;
  const label = `${method.service}.${method.method}`;
  const known = [...described.required, ...described.optional];
  const seen = new Map<string, string>();
  const paramsPath = childPath(path, 'params');
  for (const [key, value] of Object.entries(params ?? {})) {
    const canonical = canonicalMethodName(key);
    const keyPath = childPath(paramsPath, key);
    const earlier = seen.get(canonical);
    if (earlier !== undefined) {
      issues.push({ path: keyPath, message: `"${key}" and "${earlier}" are the same parameter "${canonical}" of ${label}` });
      continue;
    }
    seen.set(canonical, key);
    if (!known.includes(canonical)) {
      if (!described.acceptsOtherKeys) {
        const accepted = known.length === 0 ? 'it takes no parameters' : `its parameters: ${known.join(', ')}`;
        issues.push({ path: keyPath, message: `${label} has no parameter "${key}" (${accepted})` });
      }
      continue;
    }
    const field =
      method.input instanceof z.ZodObject ? (method.input.shape as Record<string, z.ZodType | undefined>)[canonical] : undefined;
    if (field && !hasTemplate(value)) {
      const parsed = z.safeParse(field, value);
      if (!parsed.success) {
        const problems = parsed.error.issues.map((issue) => issue.message).join('; ');
        issues.push({ path: keyPath, message: `invalid value for parameter "${canonical}" of ${label}: ${problems}` });
      }
    }
  }
  for (const required of described.required) {
    if (!seen.has(required)) issues.push({ path: paramsPath, message: `missing parameter "${required}" required by ${label}` });
  }
}

function checkReference(reference: RawObject, path: string, catalog: ServiceCatalog, issues: DefinitionIssue[]): void {
  const { service, method } = reference;
  // Missing, mistyped or blank names are reported by the shape checks.
  if (typeof service !== 'string' || typeof method !== 'string' || service.trim() === '' || method.trim() === '') return;
  const target = catalog.resolve(service, method);
  if (!target) {
    issues.push({ path, message: `unknown service method "${service}.${method}"` });
    return;
  }
  const params = reference.params;
  if (params !== undefined && !isRawObject(params)) return;
  checkParams(target, params, path, issues);
}

export function checkServiceCalls(steps: readonly CollectedStep[], catalog: ServiceCatalog, issues: DefinitionIssue[]): void {
  for (const step of steps) {
    if (step.value.type !== 'service_call') continue;
    checkReference(step.value, step.path, catalog, issues);
    const compensate = step.value.compensate;
    if (isRawObject(compensate)) checkReference(compensate, childPath(step.path, 'compensate'), catalog, issues);
  }
}
