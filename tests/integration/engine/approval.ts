import {
  ApprovalsChangedDocument,
  ApproveStepDocument,
  AuditLogDocument,
  CreateWorkflowDocument,
  ExecuteWorkflowDocument,
  ExecutionApprovalStepDocument,
  ExecutionApprovalsDocument,
  PendingApprovalsDocument,
  RejectStepDocument,
  RetryExecutionDocument,
  ValidateWorkflowDefinitionDocument,
  type ExecutionStatus,
} from '../../generated/graphql.js';
import { bearer, createUser, login } from '../../helpers/auth.js';
import { eventually } from '../../helpers/eventually.js';
import { createWsClient, execute, nextWithin, subscribe } from '../../helpers/graphql.js';
import { useTestServer } from '../../helpers/server.js';
import { codeOf, ok } from '../people/support.js';

type Headers = Record<string, string>;
interface Person {
  id: string;
  email: string;
  headers: Headers;
}

/** A discount that needs a manager's word; what was approved is used after. */
const DISCOUNT = {
  steps: [
    {
      name: 'manager_ok',
      type: 'approval',
      prompt: 'Discount of ${context.percent}% for ${context.customer}?',
      data: { customer: '${context.customer}', percent: '${context.percent}' },
      approvers: { roles: ['operator'] },
    },
    { name: 'apply', type: 'transform', output: { applied: '${context.percent}', approvedBy: '${steps.manager_ok.output.decisions}' } },
  ],
};

describe('approval steps through the API', () => {
  const server = useTestServer();
  let tenantId: string;
  let operatorA: Person;
  let operatorB: Person;
  let viewer: Person;
  let stranger: Person;

  const person = async (role: 'operator' | 'viewer', inTenant?: string): Promise<Person> => {
    const user = await createUser(server.orm, role, inTenant ? { tenantId: inTenant } : {});
    const { token } = await login(server.url, user.email, user.password);
    return { id: user.id, email: user.email, headers: bearer(token) };
  };

  beforeAll(async () => {
    tenantId = server.adminTenantId;
    [operatorA, operatorB, viewer, stranger] = await Promise.all([
      person('operator', tenantId),
      person('operator', tenantId),
      person('viewer', tenantId),
      person('operator'),
    ]);
  });

  const createWorkflow = async (name: string, definition: Record<string, unknown>) =>
    ok(await execute(server.url, CreateWorkflowDocument, { input: { name, definition } }, server.adminHeaders));
  const start = async (name: string, context: Record<string, unknown> = {}) =>
    ok(await execute(server.url, ExecuteWorkflowDocument, { name, context }, server.adminHeaders)).executeWorkflow.execution.id;
  const run = async (id: string) => ok(await execute(server.url, ExecutionApprovalStepDocument, { id }, server.adminHeaders)).execution;
  const reaches = (id: string, wanted: ExecutionStatus) =>
    eventually(
      `execution ${id} ${wanted}`,
      () => run(id),
      (now) => now.status === wanted,
    );
  const pending = async (who: Person) =>
    ok(await execute(server.url, PendingApprovalsDocument, { first: 100 }, who.headers)).pendingApprovals;
  const pendingFor = async (who: Person, executionId: string) =>
    (await pending(who)).edges.filter((edge) => edge.node.executionId === executionId).map((edge) => edge.node);
  /** The request is open (the step asked): it shows in the approver's list. */
  const asked = (who: Person, executionId: string) =>
    eventually(
      `approval of ${executionId} for ${who.email}`,
      () => pendingFor(who, executionId),
      (nodes) => nodes.length === 1,
    );
  const approve = (who: Person, executionId: string, step: string, comment?: string) =>
    execute(server.url, ApproveStepDocument, { executionId, step, comment }, who.headers);
  const reject = (who: Person, executionId: string, step: string, comment?: string) =>
    execute(server.url, RejectStepDocument, { executionId, step, comment }, who.headers);
  const stepOf = async (id: string, key: string) => (await run(id)).steps.find((step) => step.key === key);

  it('validates approval steps when saved: approvers, roles, N of M, onTimeout, unknown properties', async () => {
    const issues = async (step: Record<string, unknown>) =>
      ok(
        await execute(
          server.url,
          ValidateWorkflowDefinitionDocument,
          { name: 'x', definition: { steps: [{ name: 'ask', type: 'approval', prompt: 'ok?', ...step }] } },
          server.adminHeaders,
        ),
      ).validateWorkflowDefinition.issues;
    expect(await issues({ approvers: { roles: ['operator'] } })).toEqual([]);
    expect(await issues({})).toEqual([
      { path: '$.steps[0].approvers', message: 'missing required property "approvers" of a approval step' },
    ]);
    expect(await issues({ approvers: {} })).toEqual([
      { path: '$.steps[0].approvers', message: 'approvers needs at least one of "roles", "permission", "users"' },
    ]);
    expect(await issues({ approvers: { roles: ['boss'] } })).toEqual([
      { path: '$.steps[0].approvers.roles', message: 'must be a non-empty array of roles (admin, operator, viewer, partner)' },
    ]);
    expect(await issues({ approvers: { users: ['a@x.test', 'b@x.test'] }, required: 3 })).toEqual([
      { path: '$.steps[0].required', message: 'needs 3 approvals but names only 2 approvers' },
    ]);
    expect(await issues({ approvers: { permission: 'retry' }, timeout: { seconds: 60, onTimeout: 'maybe' }, onReject: 'ignore' })).toEqual([
      { path: '$.steps[0].approvers.permission', message: 'must be a permission name such as "execution:retry"' },
      { path: '$.steps[0].timeout.onTimeout', message: 'must be one of approve, reject, fail' },
      { path: '$.steps[0].onReject', message: 'must be one of fail, continue' },
    ]);
    expect(await issues({ approvers: { users: ['${steps.later.output.who}'] }, timeoutSeconds: 5, timout: {} })).toEqual([
      { path: '$.steps[0].timout', message: 'unknown property "timout" of a approval step (did you mean "timeout"?)' },
      {
        path: '$.steps[0].approvers.users[0]',
        message: 'template ${steps.later.output.who} references step "later", which does not exist',
      },
    ]);
  });

  it('parks the run until an approver decides; only approvers of its tenant see and decide it; the decision is in the output and the audit trail', async () => {
    await createWorkflow('discount_by_role', DISCOUNT);
    const id = await start('discount_by_role', { customer: 'ACME', percent: 15 });
    const [request] = await asked(operatorA, id);
    expect(request).toMatchObject({
      step: 'manager_ok',
      prompt: 'Discount of 15% for ACME?',
      data: { customer: 'ACME', percent: 15 },
      approvers: { roles: ['OPERATOR'], permission: null, users: [] },
      required: 1,
      approvals: 0,
      status: 'PENDING',
      execution: { id, workflow: { name: 'discount_by_role' } },
    });
    await reaches(id, 'WAITING');
    // Not an approver, or another tenant's: not listed, and refused.
    expect(await pendingFor(viewer, id)).toEqual([]);
    expect(await pendingFor(stranger, id)).toEqual([]);
    expect(codeOf(await approve(viewer, id, 'manager_ok'))).toBe('FORBIDDEN');
    expect(codeOf(await approve(stranger, id, 'manager_ok'))).toBe('NOT_FOUND');
    expect(codeOf(await approve(operatorA, id, 'apply'))).toBe('NOT_FOUND');

    const decided = ok(await approve(operatorA, id, 'manager_ok', 'fine for this quarter')).approveStep;
    expect(decided).toMatchObject({
      status: 'APPROVED',
      approvals: 1,
      decisions: [{ by: operatorA.email, userId: operatorA.id, decision: 'APPROVE', comment: 'fine for this quarter' }],
    });
    await reaches(id, 'COMPLETED');
    const output = (await stepOf(id, 'manager_ok'))?.output as Record<string, unknown>;
    expect(output).toMatchObject({
      approved: true,
      outcome: 'approved',
      decisions: [{ by: operatorA.email, decision: 'approve', comment: 'fine for this quarter' }],
    });
    expect((await stepOf(id, 'apply'))?.output).toMatchObject({ applied: 15, approvedBy: [{ by: operatorA.email }] });
    // Once decided: a second person is refused, and it is no longer anyone's to decide.
    expect(codeOf(await approve(operatorB, id, 'manager_ok'))).toBe('INVALID_STATE');
    expect(await pendingFor(operatorB, id)).toEqual([]);

    const records = ok(await execute(server.url, AuditLogDocument, { filter: { target: id }, first: 20 }, server.adminHeaders)).auditLog
      .nodes;
    const decisions = records
      .filter((record) => record.operation === 'execution.approve')
      .map((record) => [record.actor.name, record.outcome]);
    expect(decisions).toEqual(
      expect.arrayContaining([
        [operatorA.email, 'ok'],
        [viewer.email, 'FORBIDDEN'],
        [operatorB.email, 'INVALID_STATE'],
      ]),
    );
    expect(records.find((record) => record.outcome === 'ok' && record.operation === 'execution.approve')?.workflowVersion).toMatchObject({
      version: 1,
    });
  });

  it('gives two competing approvers exactly one outcome', async () => {
    await createWorkflow('competing', { steps: [{ ...DISCOUNT.steps[0], onReject: 'continue' }, DISCOUNT.steps[1]] });
    for (const [first, second] of [
      [approve, approve],
      [approve, reject],
      [reject, approve],
    ] as const) {
      const id = await start('competing', { customer: 'ACME', percent: 5 });
      await asked(operatorA, id);
      const answers = await Promise.all([first(operatorA, id, 'manager_ok'), second(operatorB, id, 'manager_ok')]);
      const codes = answers.map(codeOf);
      expect(codes.filter((code) => code === undefined)).toHaveLength(1);
      expect(codes.filter((code) => code === 'INVALID_STATE')).toHaveLength(1);
      const winner = answers.find((answer) => !answer.errors)?.data;
      const decided = winner && ('approveStep' in winner ? winner.approveStep : winner.rejectStep);
      expect(decided?.decisions).toHaveLength(1);
      await reaches(id, 'COMPLETED');
      const output = (await stepOf(id, 'manager_ok'))?.output as { approved: boolean; decisions: unknown[] };
      expect(output.decisions).toHaveLength(1);
      expect(output.approved).toBe(decided?.status === 'APPROVED');
    }
  });

  it('needs N of M named approvers (templated), each deciding once', async () => {
    const twoOfThree = {
      steps: [
        {
          name: 'board',
          type: 'approval',
          prompt: 'Write off invoice ${context.invoice}?',
          approvers: { users: ['${context.cfo}', '${context.ceo}', 'nobody@example.test'] },
          required: 2,
        },
      ],
    };
    await createWorkflow('two_of_three', twoOfThree);
    const id = await start('two_of_three', { invoice: 'INV-9', cfo: operatorA.email.toUpperCase(), ceo: viewer.id });
    await asked(operatorA, id);
    expect((await pendingFor(viewer, id))[0]?.approvers.users).toEqual([operatorA.email, viewer.id, 'nobody@example.test']);
    expect(await pendingFor(operatorB, id)).toEqual([]);

    expect(ok(await approve(operatorA, id, 'board')).approveStep).toMatchObject({ status: 'PENDING', approvals: 1 });
    const again = await approve(operatorA, id, 'board');
    expect(codeOf(again)).toBe('CONFLICT');
    expect(again.errors?.[0]?.extensions?.['details']).toEqual({ reason: 'already_decided', decision: 'approve' });
    // Decided by A: no longer A's to decide, still the viewer's.
    expect(await pendingFor(operatorA, id)).toEqual([]);
    expect(await pendingFor(viewer, id)).toHaveLength(1);
    expect((await run(id)).status).not.toBe('COMPLETED');
    // The run's own requests (what its page shows), and whether the one asking may decide it now.
    const approvalsSeenBy = async (who: Person) =>
      ok(await execute(server.url, ExecutionApprovalsDocument, { id }, who.headers)).execution.approvals;
    expect(
      (await approvalsSeenBy(operatorA)).map((a) => [a.step, a.status, a.approvals, a.decisions.map((d) => d.by), a.youMayDecide]),
    ).toEqual([['board', 'PENDING', 1, [operatorA.email], false]]);
    expect((await approvalsSeenBy(viewer)).map((a) => a.youMayDecide)).toEqual([true]);
    expect((await approvalsSeenBy(operatorB)).map((a) => a.youMayDecide)).toEqual([false]);

    expect(ok(await approve(viewer, id, 'board', 'agreed')).approveStep).toMatchObject({ status: 'APPROVED', approvals: 2 });
    await reaches(id, 'COMPLETED');
    const output = (await stepOf(id, 'board'))?.output as { decisions: Array<{ by: string }> };
    expect(output.decisions.map((d) => d.by)).toEqual([operatorA.email, viewer.email]);
    expect((await approvalsSeenBy(viewer)).map((a) => [a.status, a.decisions.map((d) => d.comment), a.youMayDecide])).toEqual([
      ['APPROVED', [null, 'agreed'], false],
    ]);

    // Each decision is in the run's event log as it was made (the history and executionProgress show it),
    // the first while the step still waited, the closing one before the step completed.
    const log = await server.orm.em
      .fork()
      .getConnection()
      .execute<Array<{ seq: number; type: string; step_key: string | null; payload: Record<string, unknown> }>>(
        `select seq, type, step_key, payload from execution_events where execution_id = ? order by seq`,
        [id],
      );
    const decided = log.filter((event) => event.type === 'approval.decided');
    expect(decided.map((event) => [event.step_key, event.payload])).toEqual([
      [
        'board',
        { decision: 'approve', by: operatorA.email, userId: operatorA.id, comment: null, status: 'pending', approvals: 1, required: 2 },
      ],
      [
        'board',
        { decision: 'approve', by: viewer.email, userId: viewer.id, comment: 'agreed', status: 'approved', approvals: 2, required: 2 },
      ],
    ]);
    const completed = log.find((event) => event.type === 'step.completed' && event.step_key === 'board');
    expect(decided.every((event) => event.seq < (completed?.seq ?? 0))).toBe(true);
    expect(new Set(log.map((event) => event.seq)).size).toBe(log.length);
  });

  it('fails the step on a rejection (onReject: fail), and a retry from it asks again', async () => {
    await createWorkflow('rejectable', DISCOUNT);
    const id = await start('rejectable', { customer: 'ACME', percent: 40 });
    await asked(operatorB, id);
    ok(await reject(operatorB, id, 'manager_ok', 'too much'));
    const failed = await reaches(id, 'FAILED');
    expect(failed.error).toMatchObject({ code: 'APPROVAL_REJECTED' });
    const step = failed.steps.find((s) => s.key === 'manager_ok');
    expect(step?.error).toMatchObject({ code: 'APPROVAL_REJECTED', message: `rejected by ${operatorB.email}: too much` });
    expect(failed.steps.find((s) => s.key === 'apply' && s.status === 'COMPLETED')).toBeUndefined();

    ok(await execute(server.url, RetryExecutionDocument, { id, fromStep: 'manager_ok' }, server.adminHeaders));
    const [again] = await asked(operatorB, id);
    expect(again).toMatchObject({ status: 'PENDING', approvals: 0, decisions: [] });
    ok(await approve(operatorB, id, 'manager_ok'));
    await reaches(id, 'COMPLETED');
  });

  it('does what onTimeout says when nobody decides in time', async () => {
    const timed = (onTimeout: string) => ({
      steps: [{ name: 'ask', type: 'approval', prompt: 'ok?', approvers: { roles: ['admin'] }, timeout: { seconds: 1, onTimeout } }],
    });
    await createWorkflow('timeout_approve', timed('approve'));
    await createWorkflow('timeout_fail', timed('fail'));
    await createWorkflow('timeout_reject', timed('reject'));
    const [approved, failedRun, rejected] = await Promise.all(
      ['timeout_approve', 'timeout_fail', 'timeout_reject'].map((name) => start(name)),
    );
    await reaches(approved!, 'COMPLETED');
    expect((await stepOf(approved!, 'ask'))?.output).toMatchObject({ approved: true, outcome: 'timed_out', timedOut: true, decisions: [] });
    expect((await reaches(failedRun!, 'FAILED')).error).toMatchObject({ code: 'TIMEOUT' });
    expect((await reaches(rejected!, 'FAILED')).error).toMatchObject({ code: 'APPROVAL_REJECTED' });
    // Timed out: nobody may decide it any more.
    expect(codeOf(await execute(server.url, ApproveStepDocument, { executionId: approved!, step: 'ask' }, server.adminHeaders))).toBe(
      'INVALID_STATE',
    );
  });

  it('tells a subscribed approver of the requests they may decide, and only those', async () => {
    await createWorkflow('for_operators', DISCOUNT);
    await createWorkflow('for_viewer', {
      steps: [{ name: 'nod', type: 'approval', prompt: 'nod?', approvers: { users: [viewer.email] } }],
    });
    const operatorClient = createWsClient(server.wsUrl, operatorA.headers);
    const viewerClient = createWsClient(server.wsUrl, viewer.headers);
    try {
      const operatorFeed = subscribe(operatorClient, ApprovalsChangedDocument);
      const viewerFeed = subscribe(viewerClient, ApprovalsChangedDocument);
      // Both subscriptions are live once a first notice reaches the operator (the feeds are the same topic).
      const id = await start('for_operators', { customer: 'ACME', percent: 1 });
      const opened = await nextWithin(operatorFeed);
      expect(opened.data?.approvalsChanged).toMatchObject({
        change: 'OPENED',
        executionId: id,
        step: 'manager_ok',
        approval: { status: 'PENDING', approvals: 0, required: 1 },
      });
      ok(await approve(operatorB, id, 'manager_ok'));
      expect((await nextWithin(operatorFeed)).data?.approvalsChanged).toMatchObject({
        change: 'APPROVED',
        executionId: id,
        approval: { status: 'APPROVED' },
      });
      // The viewer was told of neither; the first notice they get is of the request they may decide.
      const forViewer = await start('for_viewer');
      expect((await nextWithin(viewerFeed)).data?.approvalsChanged).toMatchObject({
        change: 'OPENED',
        executionId: forViewer,
        step: 'nod',
      });
    } finally {
      await operatorClient.dispose();
      await viewerClient.dispose();
    }
  });

  it('pages pendingApprovals by cursor, oldest first', async () => {
    await createWorkflow('paged', {
      steps: [{ name: 'ask', type: 'approval', prompt: 'page ${context.n}', approvers: { users: [operatorB.email] } }],
    });
    const ids: string[] = [];
    for (const n of [1, 2, 3]) {
      const id = await start('paged', { n });
      await asked(operatorB, id);
      ids.push(id);
    }
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: Awaited<ReturnType<typeof pending>> = ok(
        await execute(server.url, PendingApprovalsDocument, { first: 2, after }, operatorB.headers),
      ).pendingApprovals;
      seen.push(...page.edges.map((edge) => edge.node.executionId));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen.filter((id) => ids.includes(id))).toEqual(ids);
    expect(new Set(seen).size).toBe(seen.length);
    expect(codeOf(await execute(server.url, PendingApprovalsDocument, { first: 2, after: 'nonsense' }, operatorB.headers))).toBe(
      'BAD_USER_INPUT',
    );
  });
});
