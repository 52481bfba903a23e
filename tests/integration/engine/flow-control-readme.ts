import { describe, expect, it } from '@jest/globals';
import { PASTE_TIMEOUT_MS, readmeLogin, readmeShellBlocks, useReadmeServer } from '../api/readme-shell.js';

describe("the README's flow control example", () => {
  const readme = useReadmeServer();

  it(
    'pasted twice: saves the workflow once; per paste one install of acme runs, the rest queue, the urgent one starts first, globex is not held back',
    async () => {
      const [flow = ''] = readmeShellBlocks('\n### Flow control\n');
      const { pastes, stderr } = await readme.pasteTwice([readmeLogin(), flow], { timeoutMs: PASTE_TIMEOUT_MS });
      expect(stderr).toBe('');
      for (const paste of pastes) {
        expect(paste).not.toMatch(/"errors"/);
        expect(paste).toMatch(/"execution":\{"status":"QUEUED","concurrency":\{"key":"acme-\d+","limit":1\}\}/);
        expect(paste).toContain('{"data":{"publishEvent":{"created":true}}}');
        // After the event: acme's first install completed, the urgent one runs, the other still waits its turn.
        expect(paste).toMatch(/"executions":\{"nodes":\[(\{"status":"(COMPLETED|WAITING|QUEUED)","priority":(0|10)\},?){3}\]/);
      }
      const sql = readme.server.orm.em.fork().getConnection();
      const runs = await sql.execute<Array<{ customer: string; status: string; priority: number }>>(
        `select e.context->>'customer' as customer, e.status, e.priority from executions e join workflows w on w.id = e.workflow_id
       where w.name = 'install_for_customer' order by e.created_at`,
      );
      const of = (company: string) => runs.filter((run) => run.customer.startsWith(`${company}-`));
      // Two pastes, each with customers of its own: per paste the first acme run completed and the urgent one
      // overtook the one queued before it; globex started at once.
      expect(new Set(runs.map((run) => run.customer)).size).toBe(4);
      expect(of('acme').map((run) => [run.status, run.priority])).toEqual([
        ['completed', 0],
        ['queued', 0],
        ['waiting', 10],
        ['completed', 0],
        ['queued', 0],
        ['waiting', 10],
      ]);
      expect(of('globex').map((run) => run.status)).toEqual(['waiting', 'waiting']);
      expect(
        await sql.execute(
          `select version from workflow_versions v join workflows w on w.id = v.workflow_id where w.name = 'install_for_customer'`,
        ),
      ).toHaveLength(1);
    },
    PASTE_TIMEOUT_MS + 30_000,
  );
});
