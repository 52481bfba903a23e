import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchema, getMetadataStorage } from 'type-graphql';
import { authChecker } from '../auth/auth-checker.js';
import { RESOLVERS } from './index.js';
import { SCALARS_MAP } from '../schema/scalars/index.js';

/**
 * Builds the executable schema. Subscriptions read their pub/sub from the request context
 * (`subscribe` functions), so the schema holds no infrastructure and one build serves any instance.
 */
export async function buildSwitchyardSchema(): Promise<GraphQLSchema> {
  markPlainFieldsSimple();
  return buildSchema({
    resolvers: RESOLVERS,
    scalarsMap: SCALARS_MAP,
    // `@Requires(...)` on a root field: UNAUTHENTICATED or FORBIDDEN before the resolver runs.
    authChecker,
    validate: false,
    // type-graphql insists on a pubSub once any subscription exists, though ours never use it.
    pubSub: {
      publish: () => {
        throw new Error('subscriptions publish through the context pub/sub');
      },
      subscribe: () => {
        throw new Error('subscriptions subscribe through the context pub/sub');
      },
    },
    emitSchemaFile: false,
  });
}

/**
 * type-graphql wraps every plain field (a property of the object a resolver returned) in a resolver
 * of its own that exists to run the field's middlewares and `@Requires` check; a field with neither
 * is marked `simple`, type-graphql's own option, so it resolves as graphql's default property read,
 * which graphql-jit compiles inline — instead of one wrapper call and allocation per field per row.
 * A field with a middleware, a permission or a schema name other than its property keeps the wrapper.
 */
function markPlainFieldsSimple(): void {
  const storage = getMetadataStorage();
  const wrapped = [...storage.authorizedFields, ...storage.middlewares];
  for (const field of storage.fields) {
    if (field.simple !== undefined || field.schemaName !== field.name) continue;
    if (wrapped.some((metadata) => metadata.target === field.target && metadata.fieldName === field.name)) continue;
    field.simple = true;
  }
}
