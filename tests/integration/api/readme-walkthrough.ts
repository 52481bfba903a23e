import { ExecutionsDocument } from '../../generated/graphql.js';
import { eventually } from '../../helpers/eventually.js';
import { execute } from '../../helpers/graphql.js';
import { PASTE_TIMEOUT_MS, readmeShellBlocks, useReadmeServer } from './readme-shell.js';
import { ok } from './support.js';

describe("the README's walkthrough", () => {
  const readme = useReadmeServer();

  it(
    'works pasted twice into one shell, every command answering without an error',
    async () => {
      const blocks = readmeShellBlocks('\n## Try it\n');
      expect(blocks.length).toBeGreaterThanOrEqual(2);
      const { server } = readme;
      const { pastes, tail, stderr } = await readme.pasteTwice(blocks, {
        timeoutMs: PASTE_TIMEOUT_MS,
        after: 'echo "lead=$LEAD run=$RUN"',
      });

      expect(stderr).toBe('');
      expect(`${pastes.join('')}${tail}`).not.toMatch(/"errors"|TypeError|Error:/);
      for (const paste of pastes) {
        expect(paste).toContain('"qualifyLead":{"status":"QUALIFIED"}');
        expect(paste).toContain('{"data":{"executions":{"nodes":[');
        // The subscription followed the run to its final event.
        expect(paste).toContain('"type":"execution.completed"');
      }

      // Each paste qualified a lead of its own, and each lead's onboarding completed.
      const runs = await eventually(
        'both onboardings completed',
        async () =>
          ok(
            await execute(
              server.url,
              ExecutionsDocument,
              { filter: { workflow: 'lead_to_customer_onboarding' }, first: 10 },
              server.adminHeaders,
            ),
          ).executions.nodes,
        (nodes) => nodes.length === 2 && nodes.every((node) => node.status === 'COMPLETED'),
      );
      expect(new Set(runs.map((node) => JSON.stringify(node.context))).size).toBe(2);
      const partnerRuns = ok(
        await execute(
          server.url,
          ExecutionsDocument,
          { filter: { workflow: 'partner_customer_provisioning' }, first: 10 },
          server.adminHeaders,
        ),
      ).executions.nodes;
      expect(partnerRuns.map((node) => node.status)).toEqual(['COMPLETED', 'COMPLETED']);
    },
    PASTE_TIMEOUT_MS + 30_000,
  );
});
