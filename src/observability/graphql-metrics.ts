import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { Counter, Histogram, type Registry } from 'prom-client';

const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
/** Operation names come from clients: past this many distinct ones, the rest count as `(other)`. */
const MAX_OPERATION_NAMES = 200;

/** GraphQL requests over HTTP by operation name, type and outcome code (`OK` or the first error's code), with their latency. */
export function graphqlMetricsPlugin(registry: Registry): ApolloServerPlugin<BaseContext> {
  const requests = new Counter({
    name: 'switchyard_graphql_requests_total',
    help: 'GraphQL requests over HTTP, by operation name, operation type and outcome code.',
    labelNames: ['operation', 'type', 'code'],
    registers: [registry],
  });
  const seconds = new Histogram({
    name: 'switchyard_graphql_request_duration_seconds',
    help: 'GraphQL requests over HTTP, from parsing to the response, by operation name and type.',
    labelNames: ['operation', 'type'],
    buckets: BUCKETS,
    registers: [registry],
  });
  const names = new Set<string>();
  const operationLabel = (name: string | undefined | null): string => {
    if (!name) return '(anonymous)';
    if (names.has(name)) return name;
    if (names.size >= MAX_OPERATION_NAMES) return '(other)';
    names.add(name);
    return name;
  };
  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async willSendResponse({ operationName, operation, response }) {
          const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
          const code = errors?.[0]?.extensions?.['code'];
          const labels = { operation: operationLabel(operationName), type: operation?.operation ?? '(invalid)' };
          requests.inc({ ...labels, code: typeof code === 'string' ? code : errors?.length ? 'INTERNAL_SERVER_ERROR' : 'OK' });
          seconds.observe(labels, (performance.now() - started) / 1000);
        },
      };
    },
  };
}
