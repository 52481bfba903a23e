import { SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import { AppError } from '../../errors.js';
import type { ServiceRegistry } from '../../services/registry.js';
import { ATTR } from './run-tracer.js';

/**
 * The service registry with a span per call (`service <service>.<method>`), the child of the step
 * that calls it; the call runs in its context, so its SQL and outbound HTTP nest under it. Used only
 * when tracing is on.
 */
export function tracedServices(registry: ServiceRegistry, tracer: Tracer = trace.getTracer('switchyard')): ServiceRegistry {
  return {
    resolve: (service, method) => registry.resolve(service, method),
    list: () => registry.list(),
    call(service, method, ctx, params) {
      const target = registry.resolve(service, method);
      const name = target ? `${target.service}.${target.method}` : `${service}.${method}`;
      const attributes = {
        'switchyard.service.method': name,
        'switchyard.service.effects': target?.effects ?? 'unknown',
        'switchyard.tenant.id': ctx.tenantId,
        ...(ctx.undoes === undefined ? {} : { 'switchyard.service.undoes': ctx.undoes }),
      };
      return tracer.startActiveSpan(`service ${name}`, { kind: SpanKind.INTERNAL, attributes }, async (span) => {
        try {
          return await registry.call(service, method, ctx, params);
        } catch (error) {
          const code = error instanceof AppError ? error.code : 'INTERNAL_SERVER_ERROR';
          span.setAttribute(ATTR.errorCode, code);
          span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
          throw error;
        } finally {
          span.end();
        }
      });
    },
  };
}
