import { describe, expect, it } from '@jest/globals';
import { eventually } from '../../helpers/eventually.js';
import { PASTE_TIMEOUT_MS, readmeLogin, readmeShellBlocks, useReadmeServer } from './readme-shell.js';

describe("the README's payment_processing and lead_to_opportunity commands", () => {
  const readme = useReadmeServer();

  it(
    'work pasted twice on a fresh server: paid, declined, confirmed by a signed delivery (whose redelivery records nothing), a stalled opportunity followed up, a won one invoiced',
    async () => {
      const [payments = '', pipeline = ''] = readmeShellBlocks('\n**payment_processing**');
      const { pastes, stderr } = await readme.pasteTwice([readmeLogin(), payments, pipeline], { timeoutMs: PASTE_TIMEOUT_MS });
      expect(stderr).toBe('');
      for (const paste of pastes) {
        expect(paste).not.toMatch(/"errors"/);
        expect(paste).toContain('{"received":true,"recorded":true');
        expect(paste).toContain('{"received":true,"recorded":false');
        expect(paste).toContain('"moveOpportunity":{"stage":"CLOSED_WON","probability":100');
      }
      const statuses = async () =>
        (
          await readme.server.orm.em
            .fork()
            .getConnection()
            .execute<Array<{ status: string; code: string | null }>>(
              `select e.status, e.error->>'code' as code from executions e join workflows w on w.id = e.workflow_id where w.name = 'payment_processing' order by e.created_at`,
            )
        ).map((row) => `${row.status}:${row.code ?? ''}`);
      // Per paste: paid, declined, confirmed from outside, and the won opportunity's invoice.
      const ended = await eventually(
        'the runs ended',
        statuses,
        (all) => all.length === 8 && !all.some((each) => each.startsWith('running') || each.startsWith('waiting')),
      );
      expect([...ended].sort()).toEqual([
        'completed:',
        'completed:',
        'completed:',
        'completed:',
        'completed:',
        'completed:',
        'failed:PAYMENT_DECLINED',
        'failed:PAYMENT_DECLINED',
      ]);
      // Per paste, opportunity_follow_up started by hand on the opportunity at PROPOSAL: one task for its owner.
      const tasks = async () =>
        (
          await readme.server.orm.em
            .fork()
            .getConnection()
            .execute<Array<{ owner: string; title: string }>>(`select owner, title from follow_up_tasks order by created_at`)
        ).map((row) => `${row.owner}: ${row.title}`);
      const made = await eventually('the follow-up tasks', tasks, (all) => all.length === 2);
      expect(made).toEqual(
        Array(2).fill('admin@switchyard.local: No move from proposal in a week: call the customer and move the opportunity on'),
      );
    },
    PASTE_TIMEOUT_MS + 30_000,
  );
});
