import { describe, expect, it } from '@jest/globals';
import { PASTE_TIMEOUT_MS, readmeLogin, readmeShellBlocks, useReadmeServer } from './readme-shell.js';

describe("the README's business_activation commands", () => {
  const readme = useReadmeServer();

  it(
    'work pasted twice on a fresh server with nothing configured: two businesses active, recorded, with built-in copilots',
    async () => {
      const [activation = ''] = readmeShellBlocks('\n**business_activation**');
      const { pastes, stderr } = await readme.pasteTwice([readmeLogin(), activation], { timeoutMs: PASTE_TIMEOUT_MS });
      expect(stderr).toBe('');
      for (const paste of pastes) {
        expect(paste).not.toMatch(/"errors"/);
        expect(paste).toMatch(/"execution":\{"status":"COMPLETED","result":\{[^\n]*"tenantSlug":"nordwind-\d+"/);
        const credentials = /"credentials":(\{[^}]*\})/.exec(paste)?.[1] ?? '{}';
        expect(JSON.parse(credentials)).toMatchObject({
          adminEmail: expect.stringMatching(/^owner-\d+@nordwind.example$/),
          adminInvitation: 'pending',
          apiKeyPrefix: expect.stringMatching(/^[0-9a-f]{12}$/),
          deliveredTo: 'welcome_email',
        });
        expect(paste).not.toMatch(/sy_[0-9a-f]{12}_/);
        expect(paste).toMatch(/"businessActivations":\[\{"businessName":"Nordwind \d+","status":"ACTIVE"/);
        expect(paste).toContain('{"kind":"NAMESPACE","name":"tenant-nordwind-');
        expect(paste).toContain('"provider":"recorded","status":"PROVISIONED"');
        expect(paste).toContain('{"kind":"COPILOT","name":"loyalty","provider":"builtin","status":"PROVISIONED"}');
      }
      const rows = await readme.server.orm.em
        .fork()
        .getConnection()
        .execute<Array<{ status: string }>>('select status from business_activations');
      expect(rows.map((row) => row.status)).toEqual(['active', 'active']);
    },
    PASTE_TIMEOUT_MS + 30_000,
  );
});
