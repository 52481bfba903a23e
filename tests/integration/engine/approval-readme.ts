import { describe, expect, it } from '@jest/globals';
import { eventually } from '../../helpers/eventually.js';
import { PASTE_TIMEOUT_MS, readmeLogin, readmeShellBlocks, useReadmeServer } from '../api/readme-shell.js';

describe("the README's approval example", () => {
  const readme = useReadmeServer();

  it(
    'pasted twice: saves the workflow once, finds each request in the admin’s list, approves it, and each run completes with the decision',
    async () => {
      const [approvals = ''] = readmeShellBlocks('\n**Approvals.**');
      const { pastes, stderr } = await readme.pasteTwice([readmeLogin(), approvals], { timeoutMs: PASTE_TIMEOUT_MS });
      expect(stderr).toBe('');
      for (const paste of pastes) {
        expect(paste).not.toMatch(/"errors"/);
        expect(paste).toContain('"approveStep":{"status":"APPROVED","decisions":[{"by":"admin@switchyard.local","decision":"APPROVE"}]}');
      }
      const sql = readme.server.orm.em.fork().getConnection();
      const runs = async () =>
        sql.execute<Array<{ status: string; output: { approved?: boolean; outcome?: string } | null }>>(
          `select e.status, s.output from executions e join workflows w on w.id = e.workflow_id
         join execution_steps s on s.execution_id = e.id and s.key = 'manager_ok' where w.name = 'discount_approval'`,
        );
      const ended = await eventually(
        'both runs completed',
        runs,
        (rows) => rows.length === 2 && rows.every((row) => row.status === 'completed'),
      );
      for (const row of ended) expect(row.output).toMatchObject({ approved: true, outcome: 'approved' });
      expect(
        await sql.execute(
          `select version from workflow_versions v join workflows w on w.id = v.workflow_id where w.name = 'discount_approval'`,
        ),
      ).toHaveLength(1);
    },
    PASTE_TIMEOUT_MS + 30_000,
  );
});
