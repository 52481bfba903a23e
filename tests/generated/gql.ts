/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "mutation Login($email: String!, $password: String!) {\n  login(email: $email, password: $password) {\n    token\n    expiresAt\n    viewer {\n      kind\n      id\n      name\n      role\n      tenant {\n        id\n        slug\n      }\n      permissions\n    }\n  }\n}\n\nquery Me {\n  me {\n    kind\n    id\n    name\n    role\n    tenant {\n      id\n      slug\n      name\n    }\n    permissions\n    expiresAt\n  }\n}\n\nquery ApiKeys($tenant: ID) {\n  apiKeys(tenant: $tenant) {\n    id\n    name\n    prefix\n    permissions\n    tenant {\n      id\n    }\n    createdBy\n    createdAt\n    lastUsedAt\n    revokedAt\n  }\n}\n\nmutation CreateApiKey($name: String!, $permissions: [Permission!]!, $tenant: ID) {\n  createApiKey(name: $name, permissions: $permissions, tenant: $tenant) {\n    key\n    apiKey {\n      id\n      name\n      prefix\n      permissions\n      tenant {\n        id\n      }\n      createdBy\n      revokedAt\n    }\n  }\n}\n\nmutation RevokeApiKey($id: ID!) {\n  revokeApiKey(id: $id) {\n    id\n    revokedAt\n  }\n}": typeof types.LoginDocument,
    "query Workflows {\n  workflows {\n    id\n    name\n    description\n    version\n    definition\n    active\n    tags\n    createdAt\n    updatedAt\n  }\n}\n\nquery WorkflowByName($name: String!) {\n  workflow(name: $name) {\n    id\n    name\n    version\n    definition\n  }\n}\n\nsubscription WorkflowChanged {\n  workflowChanged {\n    workflowId\n    name\n    version\n    change\n    at\n  }\n}": typeof types.WorkflowsDocument,
};
const documents: Documents = {
    "mutation Login($email: String!, $password: String!) {\n  login(email: $email, password: $password) {\n    token\n    expiresAt\n    viewer {\n      kind\n      id\n      name\n      role\n      tenant {\n        id\n        slug\n      }\n      permissions\n    }\n  }\n}\n\nquery Me {\n  me {\n    kind\n    id\n    name\n    role\n    tenant {\n      id\n      slug\n      name\n    }\n    permissions\n    expiresAt\n  }\n}\n\nquery ApiKeys($tenant: ID) {\n  apiKeys(tenant: $tenant) {\n    id\n    name\n    prefix\n    permissions\n    tenant {\n      id\n    }\n    createdBy\n    createdAt\n    lastUsedAt\n    revokedAt\n  }\n}\n\nmutation CreateApiKey($name: String!, $permissions: [Permission!]!, $tenant: ID) {\n  createApiKey(name: $name, permissions: $permissions, tenant: $tenant) {\n    key\n    apiKey {\n      id\n      name\n      prefix\n      permissions\n      tenant {\n        id\n      }\n      createdBy\n      revokedAt\n    }\n  }\n}\n\nmutation RevokeApiKey($id: ID!) {\n  revokeApiKey(id: $id) {\n    id\n    revokedAt\n  }\n}": types.LoginDocument,
    "query Workflows {\n  workflows {\n    id\n    name\n    description\n    version\n    definition\n    active\n    tags\n    createdAt\n    updatedAt\n  }\n}\n\nquery WorkflowByName($name: String!) {\n  workflow(name: $name) {\n    id\n    name\n    version\n    definition\n  }\n}\n\nsubscription WorkflowChanged {\n  workflowChanged {\n    workflowId\n    name\n    version\n    change\n    at\n  }\n}": types.WorkflowsDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation Login($email: String!, $password: String!) {\n  login(email: $email, password: $password) {\n    token\n    expiresAt\n    viewer {\n      kind\n      id\n      name\n      role\n      tenant {\n        id\n        slug\n      }\n      permissions\n    }\n  }\n}\n\nquery Me {\n  me {\n    kind\n    id\n    name\n    role\n    tenant {\n      id\n      slug\n      name\n    }\n    permissions\n    expiresAt\n  }\n}\n\nquery ApiKeys($tenant: ID) {\n  apiKeys(tenant: $tenant) {\n    id\n    name\n    prefix\n    permissions\n    tenant {\n      id\n    }\n    createdBy\n    createdAt\n    lastUsedAt\n    revokedAt\n  }\n}\n\nmutation CreateApiKey($name: String!, $permissions: [Permission!]!, $tenant: ID) {\n  createApiKey(name: $name, permissions: $permissions, tenant: $tenant) {\n    key\n    apiKey {\n      id\n      name\n      prefix\n      permissions\n      tenant {\n        id\n      }\n      createdBy\n      revokedAt\n    }\n  }\n}\n\nmutation RevokeApiKey($id: ID!) {\n  revokeApiKey(id: $id) {\n    id\n    revokedAt\n  }\n}"): (typeof documents)["mutation Login($email: String!, $password: String!) {\n  login(email: $email, password: $password) {\n    token\n    expiresAt\n    viewer {\n      kind\n      id\n      name\n      role\n      tenant {\n        id\n        slug\n      }\n      permissions\n    }\n  }\n}\n\nquery Me {\n  me {\n    kind\n    id\n    name\n    role\n    tenant {\n      id\n      slug\n      name\n    }\n    permissions\n    expiresAt\n  }\n}\n\nquery ApiKeys($tenant: ID) {\n  apiKeys(tenant: $tenant) {\n    id\n    name\n    prefix\n    permissions\n    tenant {\n      id\n    }\n    createdBy\n    createdAt\n    lastUsedAt\n    revokedAt\n  }\n}\n\nmutation CreateApiKey($name: String!, $permissions: [Permission!]!, $tenant: ID) {\n  createApiKey(name: $name, permissions: $permissions, tenant: $tenant) {\n    key\n    apiKey {\n      id\n      name\n      prefix\n      permissions\n      tenant {\n        id\n      }\n      createdBy\n      revokedAt\n    }\n  }\n}\n\nmutation RevokeApiKey($id: ID!) {\n  revokeApiKey(id: $id) {\n    id\n    revokedAt\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Workflows {\n  workflows {\n    id\n    name\n    description\n    version\n    definition\n    active\n    tags\n    createdAt\n    updatedAt\n  }\n}\n\nquery WorkflowByName($name: String!) {\n  workflow(name: $name) {\n    id\n    name\n    version\n    definition\n  }\n}\n\nsubscription WorkflowChanged {\n  workflowChanged {\n    workflowId\n    name\n    version\n    change\n    at\n  }\n}"): (typeof documents)["query Workflows {\n  workflows {\n    id\n    name\n    description\n    version\n    definition\n    active\n    tags\n    createdAt\n    updatedAt\n  }\n}\n\nquery WorkflowByName($name: String!) {\n  workflow(name: $name) {\n    id\n    name\n    version\n    definition\n  }\n}\n\nsubscription WorkflowChanged {\n  workflowChanged {\n    workflowId\n    name\n    version\n    change\n    at\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;