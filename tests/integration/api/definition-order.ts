import {
  CreateWorkflowDocument,
  ExecuteWorkflowDocument,
  ExecutionDefinitionDocument,
  StepWhyDocument,
  UpdateWorkflowDocument,
  WorkflowByIdDocument,
  WorkflowByNameDocument,
  WorkflowsDocument,
} from '../../generated/graphql.js';
import { adminQuery } from '../../helpers/database.js';
import { execute } from '../../helpers/graphql.js';
import { useTestServer } from '../../helpers/server.js';
import { ok, waitForExecution } from './support.js';

/**
 * Keys in an order jsonb would not keep (it puts shorter keys first, then sorts bytewise): `steps` before
 * `input`, `properties` before `type`, `customer_id` before `email` and `plan`, `output` before `name`,
 * `greeting` before `to`.
 */
const AUTHORED = {
  steps: [{ type: 'transform', output: { greeting: 'Hello ${context.customer_id}', to: '${context.email}' }, name: 'welcome' }],
  input: {
    properties: { customer_id: { type: 'string' }, email: { type: 'string' }, plan: { enum: ['basic', 'pro'] } },
    required: ['customer_id', 'email'],
    type: 'object',
  },
};
/** A second version: a step added, its keys in yet another order. */
const AUTHORED_V2 = {
  ...AUTHORED,
  steps: [...AUTHORED.steps, { name: 'shout', expression: '$uppercase(steps.welcome.output.greeting)', type: 'transform' }],
};

/** Its text: equal only when the keys come in the same order (toEqual ignores the order of keys). */
const text = (value: unknown) => JSON.stringify(value);

/** A JSON value written as a GraphQL literal (object keys as names, in their order). */
function graphqlLiteral(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(graphqlLiteral).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.entries(value)
      .map(([key, item]) => `${key}: ${graphqlLiteral(item)}`)
      .join(', ')}}`;
  }
  return JSON.stringify(value);
}

describe("a workflow's definition over the API, in its author's key order", () => {
  // Started and stopped around the file, on a database of its own; its seeded admin makes the requests.
  const server = useTestServer();

  /** What the engine reads: the jsonb column of each version, oldest first. */
  const engineCopies = async (workflowId: string) =>
    (
      await adminQuery(server.database.url, 'select definition from workflow_versions where workflow_id = $1 order by version', [
        workflowId,
      ])
    ).rows.map((row: { definition: unknown }) => row.definition);

  it('comes back as submitted when created, read, listed, versioned and pinned to a run, which runs on it', async () => {
    const created = ok(
      await execute(server.url, CreateWorkflowDocument, { input: { name: 'ordered', definition: AUTHORED } }, server.adminHeaders),
    ).createWorkflow;
    expect(text(created.definition)).toBe(text(AUTHORED));
    // The jsonb the engine reads holds the same definition, reordered: the case this is about.
    const [engineCopy] = await engineCopies(created.id);
    expect(engineCopy).toEqual(AUTHORED);
    expect(text(engineCopy)).not.toBe(text(AUTHORED));

    expect(text(ok(await execute(server.url, WorkflowByNameDocument, { name: 'ordered' }, server.adminHeaders)).workflow.definition)).toBe(
      text(AUTHORED),
    );
    const listed = ok(await execute(server.url, WorkflowsDocument, undefined, server.adminHeaders)).workflows.nodes;
    expect(text(listed.find((workflow) => workflow.name === 'ordered')?.definition)).toBe(text(AUTHORED));

    const run = ok(
      await execute(
        server.url,
        ExecuteWorkflowDocument,
        { name: 'ordered', context: { customer_id: 'c-1', email: 'a@b.c' } },
        server.adminHeaders,
      ),
    ).executeWorkflow.execution;
    expect((await waitForExecution(server.url, server.adminHeaders, run.id)).result).toEqual({
      welcome: { greeting: 'Hello c-1', to: 'a@b.c' },
    });
    // The step's templates beside their values, listed as written.
    const [step] = ok(await execute(server.url, StepWhyDocument, { id: run.id }, server.adminHeaders)).execution.steps;
    expect(step?.resolvedParameters.map((parameter) => parameter.path)).toEqual(['$.output.greeting', '$.output.to']);

    const updated = ok(
      await execute(server.url, UpdateWorkflowDocument, { input: { name: 'ordered', definition: AUTHORED_V2 } }, server.adminHeaders),
    ).updateWorkflow;
    expect(updated.version).toBe(2);
    expect(text(updated.definition)).toBe(text(AUTHORED_V2));
    // The same definition with its keys reordered is no new version, and leaves the version's text as it was.
    const reordered = { input: AUTHORED_V2.input, steps: AUTHORED_V2.steps };
    const again = ok(
      await execute(server.url, UpdateWorkflowDocument, { input: { name: 'ordered', definition: reordered } }, server.adminHeaders),
    ).updateWorkflow;
    expect(again.version).toBe(2);
    expect(text(again.definition)).toBe(text(AUTHORED_V2));

    const workflow = ok(await execute(server.url, WorkflowByIdDocument, { id: created.id }, server.adminHeaders)).workflow;
    expect(workflow.versions.map((version) => [version.version, text(version.definition)])).toEqual([
      [2, text(AUTHORED_V2)],
      [1, text(AUTHORED)],
    ]);
    // The run stays pinned to version 1, and is shown version 1 as written.
    const pinned = ok(await execute(server.url, ExecutionDefinitionDocument, { id: run.id }, server.adminHeaders)).execution;
    expect(pinned.workflowVersion).toBe(1);
    expect(text(pinned.definition)).toBe(text(AUTHORED));
  });

  it('keeps the order of a definition written inline in the mutation (a GraphQL object literal)', async () => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...server.adminHeaders },
      body: JSON.stringify({
        query: `mutation { createWorkflow(input: { name: "ordered_inline", definition: ${graphqlLiteral(AUTHORED)} }) { definition } }`,
      }),
    });
    const body = (await response.json()) as { data?: { createWorkflow: { definition: unknown } }; errors?: unknown };
    expect(body.errors).toBeUndefined();
    expect(text(body.data?.createWorkflow.definition)).toBe(text(AUTHORED));
    expect(
      text(ok(await execute(server.url, WorkflowByNameDocument, { name: 'ordered_inline' }, server.adminHeaders)).workflow.definition),
    ).toBe(text(AUTHORED));
  });

  it('serves a version saved before the order was kept (no authored text) in the order it has always shown, the jsonb one', async () => {
    const created = ok(
      await execute(server.url, CreateWorkflowDocument, { input: { name: 'ordered_legacy', definition: AUTHORED } }, server.adminHeaders),
    ).createWorkflow;
    await adminQuery(server.database.url, 'update workflow_versions set authored_definition = null where workflow_id = $1', [created.id]);
    const [engineCopy] = await engineCopies(created.id);
    const read = ok(await execute(server.url, WorkflowByIdDocument, { id: created.id }, server.adminHeaders)).workflow;
    expect(text(read.definition)).toBe(text(engineCopy));
    expect(text(read.versions[0]?.definition)).toBe(text(engineCopy));
  });
});
