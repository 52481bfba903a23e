// The workload of the fault suite and soak: runs started continuously through GraphQL (N in flight,
// retried with their idempotency key as a real client would), some followed over graphql-ws with
// `executionProgress` (resubscribing from the last sequence when a socket or a stream fails), and the
// checks made afterwards against the database.
import { randomUUID } from 'node:crypto';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { ADMIN_EMAIL, ADMIN_PASSWORD, sleep } from './fault-cluster.mjs';

export const WORKFLOW = 'fault-suite';
/** The steps whose effect is a row (a notification tagged with the run's key and the step). */
export const EFFECT_STEPS = ['n1', 'n2', 'n3'];
const TERMINAL_STATUSES = new Set(['completed', 'failed', 'cancelled']);
const TERMINAL_EVENTS = new Set(['execution.completed', 'execution.failed', 'execution.cancelled']);

const notify = (step) => ({
  name: step,
  type: 'service_call',
  service: 'notifications',
  method: 'notifyTeam',
  params: { team: 'faults', subject: step, metadata: { key: '${context.key}', step } },
});
/** Local-effect service calls, a transform and a 1 s timer: every path a fault can interrupt. */
export const DEFINITION = {
  steps: [
    notify('n1'),
    { name: 't1', type: 'transform', output: { key: '${context.key}', transformed: true } },
    notify('n2'),
    { name: 'w1', type: 'wait', seconds: 1 },
    notify('n3'),
  ],
};

const LOGIN = 'mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { token } }';
const CREATE = 'mutation ($input: CreateWorkflowInput!) { createWorkflow(input: $input) { id } }';
const EXECUTE =
  'mutation ($name: String!, $context: JSONObject, $key: String) { executeWorkflow(name: $name, context: $context, idempotencyKey: $key) { execution { id } } }';
const PROGRESS = 'subscription ($id: ID!, $after: Int!) { executionProgress(executionId: $id, afterSequence: $after) { sequence type } }';

async function gql(url, query, variables, token) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(10_000),
  });
  const body = await response.json();
  if (body.errors?.length) throw new Error(`${body.errors[0].extensions?.code ?? response.status}: ${body.errors[0].message}`);
  return body.data;
}

/** Logs in as the admin and saves the workflow (once per cluster). */
export async function prepareWorkload(cluster) {
  const [api] = cluster.apis();
  const { login } = await gql(api.url, LOGIN, { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
  await gql(api.url, CREATE, { input: { name: WORKFLOW, definition: DEFINITION } }, login.token).catch((error) => {
    if (!String(error.message).startsWith('CONFLICT')) throw error;
  });
  return { token: login.token };
}

/**
 * Keeps `inFlight` runs going until finish(); every `subscribeEvery`-th run gets a subscriber. API
 * processes are used in turn; one that is down is skipped (and retried later).
 */
export function startLoad(cluster, { token, inFlight = 16, subscribeEvery = 3, pollMs = 250 }) {
  const runs = new Map(); // key → { key, id, startedAt, status, endedAt }
  const open = new Set(); // keys with an execution that is not final
  const subscribers = [];
  const stats = { started: 0, startAttempts: 0, startErrors: 0, lastStartError: undefined };
  let pendingStarts = 0;
  let stopping = false;
  let aborted = false;
  let turn = 0;
  const nextApi = () => {
    const apis = cluster.apis();
    return apis.length === 0 ? undefined : apis[turn++ % apis.length];
  };

  async function startRun() {
    const run = { key: randomUUID(), id: undefined, startedAt: Date.now(), status: undefined, endedAt: undefined };
    runs.set(run.key, run);
    pendingStarts += 1;
    // The same key until it is answered: a start whose answer was lost is not started twice.
    for (let attempt = 0; !aborted; attempt += 1) {
      const api = nextApi();
      stats.startAttempts += 1;
      try {
        if (!api) throw new Error('no API process alive');
        const data = await gql(api.url, EXECUTE, { name: WORKFLOW, context: { key: run.key }, key: run.key }, token);
        run.id = data.executeWorkflow.execution.id;
        open.add(run.key);
        stats.started += 1;
        if (stats.started % subscribeEvery === 0) subscribers.push(follow(run.id));
        break;
      } catch (error) {
        stats.startErrors += 1;
        stats.lastStartError = error.message;
        await sleep(Math.min(2_000, 200 * 2 ** Math.min(attempt, 4)));
      }
    }
    pendingStarts -= 1;
  }

  /** A client following one run to its final event, resubscribing after the last sequence it saw. */
  function follow(id) {
    const sub = {
      id,
      sequences: [],
      final: undefined,
      resubscribes: 0,
      socketErrors: 0,
      streamErrors: 0,
      duplicates: 0,
      lastError: undefined,
      api: undefined,
    };
    sub.done = (async () => {
      for (let attempt = 0; !sub.final && !aborted; attempt += 1) {
        const api = nextApi();
        if (attempt > 0) sub.resubscribes += 1;
        if (api) {
          sub.api = api.name;
          const client = createClient({
            url: api.wsUrl,
            webSocketImpl: WebSocket,
            connectionParams: { authorization: `Bearer ${token}` },
            retryAttempts: 0,
            lazy: true,
          });
          sub.dispose = () => client.dispose();
          await new Promise((resolve) => {
            const after = sub.sequences.at(-1) ?? 0;
            client.subscribe(
              { query: PROGRESS, variables: { id, after } },
              {
                next(result) {
                  const event = result.data?.executionProgress;
                  if (!event) return;
                  if (event.sequence <= (sub.sequences.at(-1) ?? 0)) sub.duplicates += 1;
                  else sub.sequences.push(event.sequence);
                  if (TERMINAL_EVENTS.has(event.type)) sub.final = event.type;
                },
                error(error) {
                  // A CloseEvent: the socket went (a dying process); an array: the server ended the stream with errors.
                  if (Array.isArray(error)) sub.streamErrors += 1;
                  else sub.socketErrors += 1;
                  sub.lastError = Array.isArray(error) ? error[0]?.message : error?.reason || error?.message || `close ${error?.code}`;
                  resolve();
                },
                complete: resolve,
              },
            );
          });
          await client.dispose();
        }
        if (!sub.final && !aborted) await sleep(Math.min(2_000, 200 * 2 ** Math.min(attempt, 4)));
      }
    })();
    return sub;
  }

  // Final statuses from the database (subscribers are only some of the runs).
  const poller = (async () => {
    while (!aborted) {
      const keys = [...open];
      if (keys.length > 0) {
        const ids = keys.map((key) => runs.get(key).id);
        const rows = await cluster.query('select id, status from executions where id = any($1::uuid[])', [ids]).then(
          (result) => result.rows,
          () => [],
        );
        const byId = new Map(rows.map((row) => [row.id, row.status]));
        for (const key of keys) {
          const run = runs.get(key);
          const status = byId.get(run.id);
          if (TERMINAL_STATUSES.has(status)) {
            run.status = status;
            run.endedAt = Date.now();
            open.delete(key);
          }
        }
      }
      await sleep(pollMs);
    }
  })();

  const pump = (async () => {
    while (!stopping) {
      while (!stopping && open.size + pendingStarts < inFlight) void startRun();
      await sleep(50);
    }
  })();

  const load = {
    runs,
    subscribers,
    stats,
    /** Runs whose status is final. */
    ended: () => [...runs.values()].filter((run) => run.status).length,
    openKeys: () => [...open],
    pending: () => ({ starts: pendingStarts, open: open.size, subscribers: subscribers.filter((sub) => !sub.final).length }),
    /** Resolves once every given key's run has a final status (or rejects after timeoutMs). */
    async settled(keys, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (keys.some((key) => !runs.get(key).status)) {
        if (Date.now() > deadline) return false;
        await sleep(100);
      }
      return true;
    },
    /** Stops starting runs; waits (bounded) for the started ones and their subscribers to finish. */
    async finish(timeoutMs) {
      stopping = true;
      await pump;
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline && (pendingStarts > 0 || open.size > 0 || subscribers.some((sub) => !sub.final))) await sleep(100);
      await load.abort();
    },
    async abort() {
      stopping = true;
      aborted = true;
      for (const sub of subscribers) sub.dispose?.();
      await Promise.all([pump, poller, ...subscribers.map((sub) => sub.done)]);
    },
  };
  return load;
}

/**
 * What went wrong with a finished load, checked in the database: runs not completed, effects missing or
 * repeated, steps completed twice, subscribers that did not get every event once and in order up to
 * the final one. `problems` is empty when all is well.
 */
export async function verifyLoad(cluster, load) {
  const runs = [...load.runs.values()];
  const keys = runs.map((run) => run.key);
  // A start whose answer never came may still have been recorded: look it up by its idempotency key.
  const { rows: executions } = await cluster.query(
    'select id, idempotency_key as key, status, error from executions where idempotency_key = any($1::text[])',
    [keys],
  );
  const byKey = new Map(executions.map((row) => [row.key, row]));
  const ids = executions.map((row) => row.id);
  const { rows: effects } = await cluster.query(
    `select metadata->>'key' as key, metadata->>'step' as step, count(*)::int as n from notifications where metadata->>'key' = any($1::text[]) group by 1, 2`,
    [keys],
  );
  const { rows: repeatedSteps } = await cluster.query(
    `select execution_id, step_key, count(*)::int as n from execution_events where execution_id = any($1::uuid[]) and type = 'step.completed' group by 1, 2 having count(*) > 1`,
    [ids],
  );
  const { rows: logs } = await cluster.query(
    'select execution_id as id, array_agg(seq order by seq) as seqs from execution_events where execution_id = any($1::uuid[]) group by 1',
    [load.subscribers.map((sub) => sub.id)],
  );
  const logById = new Map(logs.map((row) => [row.id, row.seqs]));

  const notStarted = keys.filter((key) => !byKey.has(key));
  const notCompleted = executions.filter((row) => row.status !== 'completed');
  const effectCount = new Map(effects.map((row) => [`${row.key}:${row.step}`, row.n]));
  const duplicatedEffects = [...effectCount].filter(([, n]) => n > 1);
  const missingEffects = executions
    .filter((row) => row.status === 'completed')
    .flatMap((row) => EFFECT_STEPS.filter((step) => !effectCount.has(`${row.key}:${step}`)).map((step) => `${row.key}:${step}`));
  const unfinishedSubscribers = load.subscribers.filter((sub) => sub.final !== 'execution.completed');
  const gappySubscribers = load.subscribers.filter(
    (sub) => sub.final && JSON.stringify(sub.sequences) !== JSON.stringify(logById.get(sub.id) ?? []),
  );

  const summary = {
    runs: runs.length,
    started: executions.length,
    completed: executions.length - notCompleted.length,
    failed: notCompleted.filter((row) => row.status === 'failed').length,
    notStarted: notStarted.length,
    duplicatedEffects: duplicatedEffects.length,
    missingEffects: missingEffects.length,
    repeatedSteps: repeatedSteps.length,
    subscribers: load.subscribers.length,
    subscribersFinished: load.subscribers.length - unfinishedSubscribers.length,
    resubscribes: load.subscribers.reduce((sum, sub) => sum + sub.resubscribes, 0),
    duplicateEventsDropped: load.subscribers.reduce((sum, sub) => sum + sub.duplicates, 0),
    startErrors: load.stats.startErrors,
  };
  const problems = [];
  const sample = (list, format) => list.slice(0, 5).map(format).join('; ') + (list.length > 5 ? `; … ${list.length - 5} more` : '');
  if (notStarted.length) problems.push(`${notStarted.length} starts never recorded (last start error: ${load.stats.lastStartError})`);
  if (notCompleted.length)
    problems.push(
      `${notCompleted.length} of ${executions.length} runs not completed: ${sample(notCompleted, (row) => `${row.id} ${row.status}${row.error ? ` ${JSON.stringify(row.error).slice(0, 300)}` : ''}`)}`,
    );
  if (duplicatedEffects.length)
    problems.push(`${duplicatedEffects.length} effects repeated: ${sample(duplicatedEffects, ([key, n]) => `${key} ×${n}`)}`);
  if (missingEffects.length) problems.push(`${missingEffects.length} effects missing in completed runs: ${sample(missingEffects, String)}`);
  if (repeatedSteps.length)
    problems.push(
      `${repeatedSteps.length} steps completed more than once: ${sample(repeatedSteps, (row) => `${row.execution_id}/${row.step_key} ×${row.n}`)}`,
    );
  if (unfinishedSubscribers.length) {
    problems.push(
      `${unfinishedSubscribers.length} of ${load.subscribers.length} subscribers did not reach execution.completed: ${sample(unfinishedSubscribers, (sub) => `${sub.id} via ${sub.api} final=${sub.final ?? 'none'} after seq ${sub.sequences.at(-1) ?? 0} (${sub.resubscribes} resubscribes, last error: ${sub.lastError ?? 'none'})`)}`,
    );
  }
  if (gappySubscribers.length)
    problems.push(
      `${gappySubscribers.length} subscribers' events differ from the log: ${sample(gappySubscribers, (sub) => `${sub.id} got [${sub.sequences}] log [${logById.get(sub.id)}]`)}`,
    );
  return { summary, problems };
}
