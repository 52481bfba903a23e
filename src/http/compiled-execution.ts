import type { ApolloServerOptionsWithGateway } from '@apollo/server';
import {
  execute,
  GraphQLError,
  Kind,
  OperationTypeNode,
  printSchema,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import type { RequestContext } from '../context.js';

type Gateway = ApolloServerOptionsWithGateway<RequestContext>['gateway'];
type GatewayExecutor = Awaited<ReturnType<Gateway['load']>>['executor'];
type Compiled = CompiledQuery<Record<string, unknown>, Record<string, unknown>>;

/** Distinct operations compiled and kept; an application sends a few dozen. */
const COMPILED_CAPACITY = 1_000;

/**
 * Executes queries and mutations as graphql-jit compiled functions, one per document and operation
 * (by Apollo's query hash), through Apollo Server's gateway interface — the one way it lets an
 * executor be supplied. Apollo still parses, validates (the query limits included), runs the plugins
 * and formats the errors; only execution changes. graphql-js keeps what jit does not do alike:
 * subscriptions, introspection, documents without a chosen operation, and requests whose variables do
 * not coerce (its errors carry the variable's node, which makes them BAD_USER_INPUT).
 */
export function compiledExecutionGateway(schema: GraphQLSchema): Gateway {
  const compiled = new Map<string, Compiled | undefined>();
  const byGraphqlJs: GatewayExecutor = async ({ document, request, context, operationName }) =>
    execute({ schema, document, contextValue: context, variableValues: request.variables, operationName });

  const compiledFor = (key: string, document: DocumentNode, operationName: string | undefined): Compiled | undefined => {
    if (compiled.has(key)) return compiled.get(key);
    const result = compileQuery<Record<string, unknown>, Record<string, unknown>>(schema, document, operationName, {
      disablingCapturingStackErrors: true,
    });
    const query = isCompiledQuery(result) ? result : undefined;
    if (compiled.size >= COMPILED_CAPACITY) compiled.clear();
    compiled.set(key, query);
    return query;
  };

  const executor: GatewayExecutor = async (requestContext) => {
    const { document, queryHash, operationName, request, context } = requestContext;
    // Typed as always there, but missing when the document's operation could not be chosen: graphql-js
    // then answers the error Apollo reports as OPERATION_RESOLUTION_FAILURE.
    const operation: OperationDefinitionNode | undefined = requestContext.operation;
    if (!operation || operation.operation === OperationTypeNode.SUBSCRIPTION || isIntrospection(operation))
      return byGraphqlJs(requestContext);
    const query = compiledFor(`${queryHash}:${operationName ?? ''}`, document, operationName ?? undefined);
    if (!query) return byGraphqlJs(requestContext);
    const result: ExecutionResult = await query.query(undefined, context, request.variables ?? {});
    // No data key at all: the variables did not coerce and nothing ran (after running, jit always sets
    // one). graphql-js says so in the form clients get.
    if (!('data' in result)) return byGraphqlJs(requestContext);
    return result.errors ? { ...result, errors: result.errors.map(asGraphqlJsError) } : result;
  };

  return {
    async load() {
      return { schema, executor };
    },
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: printSchema(schema) });
      // The schema never changes: nothing to unsubscribe from.
      return () => undefined;
    },
    async stop() {
      compiled.clear();
    },
  };
}

/**
 * jit's errors are GraphQLErrors by prototype only: their `extensions` may be undefined, which Apollo's
 * error formatting does not expect (every error would then be answered as an internal one). As
 * graphql-js makes them: the original error, path and locations kept.
 */
function asGraphqlJsError(error: GraphQLError): GraphQLError {
  const made = new GraphQLError(error.message, {
    path: error.path,
    originalError: error.originalError ?? undefined,
    extensions: error.extensions,
  });
  return error.locations ? Object.assign(made, { locations: error.locations }) : made;
}

function isIntrospection(operation: OperationDefinitionNode): boolean {
  return operation.selectionSet.selections.some((selection) => selection.kind === Kind.FIELD && selection.name.value.startsWith('__'));
}
