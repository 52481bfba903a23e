import type { GraphQLFormattedError } from 'graphql';
import { COMMAND_RULES, commandRefusal, EXECUTION_COMMANDS, type ExecutionCommand } from '../../../src/engine/commands.js';
import { commandCondition } from '../../../src/engine/store/command-conditions.js';
import { EXECUTION_STATUSES, type ExecutionStatus as EngineStatus } from '../../../src/entities/statuses.js';
import {
  CancelExecutionDocument,
  CreateWorkflowDocument,
  ExecuteWorkflowDocument,
  ExecutionActionsDocument,
  PauseExecutionDocument,
  RerunExecutionDocument,
  ResumeExecutionDocument,
  RetryExecutionDocument,
  type ExecutionAction,
  type ExecutionStatus,
} from '../../generated/graphql.js';
import { bearer, createUser, login } from '../../helpers/auth.js';
import { adminQuery, databaseUrl } from '../../helpers/database.js';
import { testEnv } from '../../helpers/env.js';
import { eventually } from '../../helpers/eventually.js';
import { execute } from '../../helpers/graphql.js';
import { useTestServer } from '../../helpers/server.js';
import { ok } from '../people/support.js';

type Headers = Record<string, string>;
type Answer = { data?: unknown; errors?: readonly GraphQLFormattedError[] };

/** The first step naps ten minutes: a run stays WAITING until told otherwise. */
const NAPPING = {
  steps: [
    { name: 'nap', type: 'wait', seconds: 600 },
    { name: 'after', type: 'transform', output: { done: true } },
  ],
};
const QUICK = { steps: [{ name: 'only', type: 'transform', output: { done: true } }] };
const BROKEN = {
  steps: [
    { name: 'first', type: 'transform', output: { ok: true } },
    { name: 'boom', type: 'transform', expression: '$error("boom")' },
  ],
};

describe('availableActions', () => {
  const server = useTestServer();
  let people: Record<'operator' | 'viewer' | 'partner', Headers>;

  beforeAll(async () => {
    const headersOf = async (role: 'operator' | 'viewer' | 'partner') => {
      const user = await createUser(server.orm, role, { tenantId: server.adminTenantId });
      return bearer((await login(server.url, user.email, user.password)).token);
    };
    people = { operator: await headersOf('operator'), viewer: await headersOf('viewer'), partner: await headersOf('partner') };
    for (const [name, definition] of Object.entries({ napping: NAPPING, quick: QUICK, broken: BROKEN })) {
      ok(await execute(server.url, CreateWorkflowDocument, { input: { name, definition } }, server.adminHeaders));
    }
  });

  const actionsOf = async (id: string, headers: Headers) =>
    ok(await execute(server.url, ExecutionActionsDocument, { id }, headers)).execution;
  const reaches = (id: string, wanted: ExecutionStatus) =>
    eventually(
      `execution ${id} ${wanted}`,
      () => actionsOf(id, server.adminHeaders),
      (run) => run.status === wanted,
    );
  const start = async (name: string) =>
    ok(await execute(server.url, ExecuteWorkflowDocument, { name }, server.adminHeaders)).executeWorkflow.execution.id;

  /** A fresh run in each state the commands care about. */
  const makers: Record<string, () => Promise<string>> = {
    WAITING: async () => {
      const id = await start('napping');
      await reaches(id, 'WAITING');
      return id;
    },
    PAUSED: async () => {
      const id = await makers['WAITING']!();
      ok(await execute(server.url, PauseExecutionDocument, { id }, server.adminHeaders));
      await reaches(id, 'PAUSED');
      return id;
    },
    COMPLETED: async () => {
      const id = await start('quick');
      await reaches(id, 'COMPLETED');
      return id;
    },
    FAILED: async () => {
      const id = await start('broken');
      await reaches(id, 'FAILED');
      return id;
    },
    CANCELLED: async () => {
      const id = await makers['WAITING']!();
      ok(await execute(server.url, CancelExecutionDocument, { id }, server.adminHeaders));
      await reaches(id, 'CANCELLED');
      return id;
    },
  };

  const perform = (action: ExecutionAction, id: string, headers: Headers): Promise<Answer> => {
    switch (action) {
      case 'CANCEL':
        return execute(server.url, CancelExecutionDocument, { id }, headers);
      case 'PAUSE':
        return execute(server.url, PauseExecutionDocument, { id }, headers);
      case 'RESUME':
        return execute(server.url, ResumeExecutionDocument, { id }, headers);
      case 'RETRY':
        return execute(server.url, RetryExecutionDocument, { id }, headers);
      case 'RERUN':
        // From the first step the run recorded.
        return firstStep(id).then((fromStep) => execute(server.url, RerunExecutionDocument, { id, fromStep: fromStep ?? 'nap' }, headers));
      default:
        throw new Error(`no such action ${String(action)}`);
    }
  };
  const firstStep = async (id: string) =>
    (
      await server.orm.em
        .fork()
        .getConnection()
        .execute<Array<{ key: string }>>('select key from execution_steps where execution_id = ? order by sequence limit 1', [id])
    )[0]?.key;

  it.each(Object.keys(makers))('answers for a %s run what each role’s mutations then do', async (state) => {
    for (const [role, headers] of Object.entries(people)) {
      const id = await makers[state]!();
      const { availableActions } = await actionsOf(id, headers);
      expect(availableActions.map((a) => a.action)).toEqual(['CANCEL', 'PAUSE', 'RESUME', 'RETRY', 'RERUN']);
      // Refused ones first, on this run (a refusal changes nothing)…
      for (const { action, allowed, reason, code } of availableActions.filter((a) => !a.allowed)) {
        const answer = await perform(action, id, headers);
        const error = answer.errors?.[0];
        expect([role, state, action, allowed, error?.extensions?.['code']]).toEqual([role, state, action, false, code]);
        expect(code).toBe(reason?.startsWith('missing permission') ? 'FORBIDDEN' : 'INVALID_STATE');
        if (error?.extensions?.['code'] === 'INVALID_STATE') expect(error.message).toContain(reason ?? '');
      }
      // …then each allowed one on a run of its own in the same state.
      for (const { action } of availableActions.filter((a) => a.allowed)) {
        const fresh = await makers[state]!();
        const offered = (await actionsOf(fresh, headers)).availableActions.find((a) => a.action === action);
        expect([offered?.allowed, offered?.code]).toEqual([true, null]);
        const answer = await perform(action, fresh, headers);
        expect([role, state, action, answer.errors]).toEqual([role, state, action, undefined]);
      }
    }
  });

  it('says which permission is missing, and what the state refuses', async () => {
    const id = await makers['COMPLETED']!();
    const byAction = (run: { availableActions: Array<{ action: string; allowed: boolean; reason?: string | null }> }) =>
      Object.fromEntries(run.availableActions.map((a) => [a.action, a.reason ?? 'allowed']));
    expect(byAction(await actionsOf(id, people.viewer))).toEqual({
      CANCEL: 'missing permission execution:cancel',
      PAUSE: 'missing permission execution:pause',
      RESUME: 'missing permission execution:pause',
      RETRY: 'missing permission execution:retry',
      RERUN: 'missing permission execution:retry',
    });
    expect(byAction(await actionsOf(id, people.operator))).toEqual({
      CANCEL: 'it is completed',
      PAUSE: 'it is completed',
      RESUME: 'it is completed',
      RETRY: 'it is completed',
      RERUN: 'allowed',
    });
    const cancelled = await makers['CANCELLED']!();
    expect(byAction(await actionsOf(cancelled, people.operator))['RETRY']).toBe('no step failed: name the step to retry from (fromStep)');
  });

  it('reads each rule the same way in SQL (the mutations) and in the reasons, for every status and pause request', async () => {
    const states = (Object.keys(EXECUTION_STATUSES) as EngineStatus[]).flatMap((status) =>
      [false, true].map((pauseRequested) => ({ status, pauseRequested })),
    );
    const values = states.map((_, index) => `($${2 * index + 1}::text, $${2 * index + 2}::boolean)`).join(', ');
    const columns = EXECUTION_COMMANDS.map((command) => `${commandCondition(command)} as ${command}`).join(', ');
    const { rows } = await adminQuery(
      databaseUrl(testEnv('postgresUrl'), server.database.name),
      `select e.status, e.pause_requested, ${columns} from (values ${values}) as e(status, pause_requested)`,
      states.flatMap((state) => [state.status, state.pauseRequested]),
    );
    expect(rows).toHaveLength(states.length);
    for (const row of rows as Array<Record<string, unknown> & { status: EngineStatus; pause_requested: boolean }>) {
      for (const command of EXECUTION_COMMANDS as readonly ExecutionCommand[]) {
        // The state part only: what `needs` asks of the steps is met here.
        const reason = commandRefusal(command, {
          status: row.status,
          pauseRequested: row.pause_requested,
          failedStep: 'x',
          recordedSteps: 1,
        });
        expect([command, row.status, row.pause_requested, row[command]]).toEqual([
          command,
          row.status,
          row.pause_requested,
          reason === undefined,
        ]);
      }
    }
    expect(EXECUTION_COMMANDS.every((command) => COMMAND_RULES[command].statuses.length > 0)).toBe(true);
  });
});
