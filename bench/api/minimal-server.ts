import http from 'node:http';
import { buildSchema, execute, parse, validate, type DocumentNode } from 'graphql';
import pg from 'pg';

/**
 * The reference point of `bench:api`: the same list answered by the least a GraphQL server can be —
 * Node's http, graphql-js with the document parsed once, two SQL statements on a pg pool (every field
 * bench/api/queries.ts asks for) — without
 * authentication, rate limits, query limits, tenant scoping, DataLoaders or Apollo. Run as its own
 * process: DATABASE_URL, TENANT_ID; prints `listening on <port>`.
 */
const pool = new pg.Pool({ connectionString: process.env['DATABASE_URL'], max: 10 });
const tenantId = process.env['TENANT_ID'];

const schema = buildSchema(`
  type Workflow { id: ID! name: String! }
  type ExecutionTrigger { type: String! source: String }
  type ExecutionError { code: String! message: String! }
  type Execution {
    id: ID! status: String! createdAt: String! startedAt: String completedAt: String durationMs: Float workflowVersion: Int!
    workflow: Workflow! trigger: ExecutionTrigger! error: ExecutionError
  }
  type PageInfo { hasNextPage: Boolean! endCursor: String }
  type ExecutionConnection { nodes: [Execution!]! pageInfo: PageInfo! }
  type Query { executions(first: Int!): ExecutionConnection! }
`);

interface Row {
  id: string;
  status: string;
  created_at: Date;
  started_at: Date | null;
  completed_at: Date | null;
  workflow_id: string;
  workflow_version: number;
  trigger_type: string;
  trigger_source: string | null;
  error: { code: string; message: string } | null;
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);

const rootValue = {
  async executions({ first }: { first: number }) {
    const { rows } = await pool.query<Row>(
      `select id, status, created_at, started_at, completed_at, workflow_id, workflow_version, trigger_type, trigger_source, error
       from executions where tenant_id = $1 order by created_at desc, id desc limit $2`,
      [tenantId, first + 1],
    );
    const page = rows.slice(0, first);
    const workflowIds = [...new Set(page.map((row) => row.workflow_id))];
    const workflows = await pool.query<{ id: string; name: string }>('select id, name from workflows where id = any($1::uuid[])', [
      workflowIds,
    ]);
    const names = new Map(workflows.rows.map((row) => [row.id, row.name]));
    return {
      nodes: page.map((row) => ({
        id: row.id,
        status: row.status,
        createdAt: row.created_at.toISOString(),
        startedAt: iso(row.started_at),
        completedAt: iso(row.completed_at),
        durationMs: row.started_at && row.completed_at ? row.completed_at.getTime() - row.started_at.getTime() : null,
        workflowVersion: row.workflow_version,
        workflow: { id: row.workflow_id, name: names.get(row.workflow_id) },
        trigger: { type: row.trigger_type, source: row.trigger_source },
        error: row.error ? { code: row.error.code, message: row.error.message } : null,
      })),
      pageInfo: { hasNextPage: rows.length > first, endCursor: page.at(-1)?.id ?? null },
    };
  },
};

const documents = new Map<string, DocumentNode>();
function documentOf(query: string): DocumentNode {
  let document = documents.get(query);
  if (!document) {
    document = parse(query);
    const errors = validate(schema, document);
    if (errors.length > 0) throw new Error(errors.map((error) => error.message).join('; '));
    documents.set(query, document);
  }
  return document;
}

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const answer = async () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { query: string; variables?: Record<string, unknown> };
      return execute({ schema, document: documentOf(body.query), rootValue, variableValues: body.variables ?? {} });
    };
    answer().then(
      (result) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(result));
      },
      (error: unknown) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ errors: [{ message: String(error) }] }));
      },
    );
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  console.log(`listening on ${typeof address === 'object' && address ? address.port : ''}`);
});
process.on('SIGTERM', () => {
  server.close();
  void pool.end();
});
