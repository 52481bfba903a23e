import { readFileSync } from 'node:fs';
import { buildSchema, specifiedRules, validate, type DocumentNode } from 'graphql';
import { createRequest, formatDocument } from '@urql/core';
import * as operations from '../../../console/src/generated/graphql.js';
import { EVENTS_PAGE } from '../../../console/src/run/log-page.js';
import { queryLimitRules } from '../../../src/auth/query-limits.js';
import { MAX_EVENT_PAGE_SIZE } from '../../../src/engine/store/read-models.js';

const schema = buildSchema(readFileSync('src/schema/schema.graphql', 'utf8'));

function isDocument(value: unknown): value is DocumentNode {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'Document';
}

/**
 * The console's operations as urql sends them (with `__typename` added for the cache) pass the
 * server's own validation and query limits (depth, aliases, cost): a console page never meets a 400.
 */
describe("the console's GraphQL operations", () => {
  // Documents are generated as strings (codegen documentMode: string); urql parses each as it first sends it.
  const documents = Object.entries(operations).flatMap(([name, value]) =>
    value instanceof operations.TypedDocumentString && name.endsWith('Document') ? [[name, value.toString()] as const] : [],
  );

  it('are generated for every page', () => {
    expect(documents.map(([name]) => name)).toEqual(
      expect.arrayContaining(['LoginDocument', 'MeDocument', 'ExecutionsDocument', 'RunDocument', 'RunProgressDocument']),
    );
  });

  it.each(documents.map(([name, document]) => [name, document] as const))('%s is within the server limits', (name, document) => {
    // urql types what it sends by an AST of its own (optional keys that may hold undefined); it is a graphql-js document.
    const sent = formatDocument(createRequest(document, {}).query);
    if (!isDocument(sent)) throw new Error(`${name}: urql sent no document`);
    expect(validate(schema, sent, [...specifiedRules, ...queryLimitRules()]).map((error) => error.message)).toEqual([]);
  });

  it("read a run's event log as many events a request as the server answers (one request for a long run's)", () => {
    expect(EVENTS_PAGE).toBe(MAX_EVENT_PAGE_SIZE);
  });
});
