import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { authChecker } from '../auth/auth-checker.js';
import { RESOLVERS } from './index.js';
import { SCALARS_MAP } from '../schema/scalars/index.js';

/**
 * Builds the executable schema. Subscriptions read their pub/sub from the request context
 * (`subscribe` functions), so the schema holds no infrastructure and one build serves any instance.
 */
export async function buildSwitchyardSchema(): Promise<GraphQLSchema> {
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
