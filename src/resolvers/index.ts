import type { NonEmptyArray } from 'type-graphql';
import { ApiKeyResolver } from './api-key.resolver.js';
import { AuthResolver } from './auth.resolver.js';
import { WorkflowResolver } from './workflow.resolver.js';

/** Every resolver class of the schema. Each area adds its own here. */
export const RESOLVERS: NonEmptyArray<Function> = [WorkflowResolver, AuthResolver, ApiKeyResolver];
