/**
 * What `bench:api` asks both servers: the same documents, answered from the same rows. `list` is the
 * executions list the figures have always been about; `console` is the console's heaviest list — its
 * executions table, 50 rows with workflow, trigger, error and duration.
 */
export interface BenchQuery {
  name: 'list' | 'console';
  describe: string;
  query: string;
  first: number;
}

const CONSOLE_ROW = `fragment ExecutionRow on Execution {
  id status createdAt startedAt completedAt durationMs workflowVersion
  workflow { id name } trigger { type source } error { code message }
}`;

export const BENCH_QUERIES: Record<BenchQuery['name'], BenchQuery> = {
  list: {
    name: 'list',
    describe: 'executions(first: 20) { nodes { id status createdAt workflow { name } } }',
    query:
      'query ExecutionList($first: Int!) { executions(first: $first) { nodes { id status createdAt workflow { name } } pageInfo { hasNextPage endCursor } } }',
    first: 20,
  },
  console: {
    name: 'console',
    describe: "the console's executions table: 50 rows with workflow, trigger, error and duration",
    query: `${CONSOLE_ROW}\nquery Executions($first: Int!) { executions(first: $first) { nodes { ...ExecutionRow } pageInfo { endCursor hasNextPage } } }`,
    first: 50,
  },
};

/** A full answer: as many rows as asked, each with its workflow's name. */
export function isFullAnswer(text: string, first: number): boolean {
  const parsed = JSON.parse(text) as { data?: { executions?: { nodes?: Array<{ workflow?: { name?: string } }> } } };
  const nodes = parsed.data?.executions?.nodes;
  return nodes?.length === first && nodes.every((node) => typeof node.workflow?.name === 'string');
}
