import type { GraphQLFormattedError } from 'graphql';
import pg from 'pg';
import { ExecutionDocument, type ExecutionQuery, type ExecutionStatus } from '../../generated/graphql.js';
import { WAIT_MS, eventually } from '../../helpers/eventually.js';
import { execute, type GraphQLResponse } from '../../helpers/graphql.js';

/** Workflows of transform, condition and wait steps: they run on the real domain registry, no services needed. */
export const DEFINITIONS = {
  /** Three steps, each using the one before. */
  three_steps: {
    steps: [
      { name: 'first', type: 'transform', output: { n: '${context.n}' } },
      { name: 'second', type: 'transform', expression: 'steps.first.output.n * 2' },
      { name: 'third', type: 'transform', output: { doubled: '${steps.second.output}', label: 'n=${context.n}' } },
    ],
  },
  /** Parks for a minute (longer than a worker sleeps through): cancellable, pausable. */
  long_wait: {
    steps: [
      { name: 'hold', type: 'wait', seconds: 60 },
      { name: 'after', type: 'transform', output: { done: true } },
    ],
  },
  /** Fails unless the context says `ok`: for retry and rerun. */
  gate: {
    steps: [
      { name: 'prepare', type: 'transform', output: { prepared: true } },
      { name: 'check', type: 'condition', expression: 'context.ok = true', onFalse: 'fail' },
      { name: 'finish', type: 'transform', output: { finished: true } },
    ],
  },
  /** A few short in-process waits: events keep coming for about a second. */
  ticking: {
    steps: [
      { name: 't1', type: 'wait', seconds: 0.3 },
      { name: 't2', type: 'wait', seconds: 0.3 },
      { name: 't3', type: 'wait', seconds: 0.3 },
      { name: 'done', type: 'transform', output: { ticks: 3 } },
    ],
  },
} as const;

/** The data of a response that must have succeeded. */
export function ok<T>(response: GraphQLResponse<T>): T {
  if (response.errors || !response.data) throw new Error(`unexpected errors: ${JSON.stringify(response.errors)}`);
  return response.data;
}

/** The `extensions.code` of a response that must have failed (and its data, which must be null). */
export function codeOf<T>(response: GraphQLResponse<T>): unknown {
  return response.errors?.[0]?.extensions?.['code'];
}

export const TERMINAL: readonly ExecutionStatus[] = ['COMPLETED', 'FAILED', 'CANCELLED'];

/** Polls `execution(id)` over HTTP until `until` holds. */
export async function waitForExecution(
  url: string,
  headers: Record<string, string>,
  id: string,
  until: (execution: NonNullable<ExecutionQuery['execution']>) => boolean = (execution) => TERMINAL.includes(execution.status),
  timeoutMs = WAIT_MS,
): Promise<NonNullable<ExecutionQuery['execution']>> {
  return eventually(`execution ${id}`, async () => ok(await execute(url, ExecutionDocument, { id }, headers)).execution, until, timeoutMs);
}

/**
 * Records the SQL every pg client of this process sends (the server under test runs in it). MikroORM
 * (through knex) and the engine's pools both go through `pg.Client.prototype.query`.
 */
export function recordStatements(): { statements: string[]; stop(): void } {
  const statements: string[] = [];
  const prototype = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = prototype.query;
  prototype.query = function (this: unknown, ...args: unknown[]) {
    const [first] = args;
    const text =
      typeof first === 'string'
        ? first
        : typeof first === 'object' && first !== null && 'text' in first
          ? String(first.text)
          : String(first);
    statements.push(text.replace(/\s+/g, ' ').trim());
    return Reflect.apply(original, this, args);
  };
  return {
    statements,
    stop() {
      prototype.query = original;
    },
  };
}

/** Runs an operation and answers with what it did and the statements sent meanwhile. */
export async function withStatements<T>(work: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
  const recorder = recordStatements();
  try {
    const result = await work();
    return { result, statements: [...recorder.statements] };
  } finally {
    recorder.stop();
  }
}

export interface SubscriptionResult<T> {
  data?: T | null;
  errors?: readonly GraphQLFormattedError[];
}

/** Every result until the subscription completes (fails after `timeoutMs`). */
export async function untilComplete<T>(
  iterator: AsyncIterator<SubscriptionResult<T>>,
  timeoutMs = WAIT_MS,
): Promise<Array<SubscriptionResult<T>>> {
  const results: Array<SubscriptionResult<T>> = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let timer: NodeJS.Timeout | undefined;
    const result = await Promise.race([
      iterator.next(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`not complete after ${timeoutMs} ms; got ${results.length} results`)),
          Math.max(0, deadline - Date.now()),
        );
      }),
    ]).finally(() => clearTimeout(timer));
    if (result.done) return results;
    results.push(result.value);
  }
}
