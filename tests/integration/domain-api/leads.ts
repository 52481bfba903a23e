import { DomainCreateLeadDocument, DomainLeadsDocument, DomainQualifyLeadDocument } from '../../generated/graphql.js';
import { execute } from '../../helpers/graphql.js';
import type { TestServer } from '../../helpers/server.js';
import { codeOf, startDomainApi, type DomainApi } from './setup.js';

/** Leads: created, qualified once, per tenant and role. */
describe('the domain through GraphQL', () => {
  let api: DomainApi;
  let server: TestServer;
  let admin: Record<string, string>;
  let operator: Record<string, string>;
  let viewer: Record<string, string>;
  let otherTenantAdmin: Record<string, string>;
  let events: DomainApi['events'];

  beforeAll(async () => {
    api = await startDomainApi();
    ({ server, admin, operator, viewer, otherTenantAdmin, events } = api);
  });
  afterAll(() => api?.stop());

  describe('leads', () => {
    it('creates a lead and qualifies it once, recording lead.qualified in the same transaction', async () => {
      const created = await execute(
        server.url,
        DomainCreateLeadDocument,
        { input: { name: 'Ada Lovelace', email: 'Ada@Engines.example', company: 'Analytical', source: 'web' } },
        operator,
      );
      expect(created.errors).toBeUndefined();
      const lead = created.data?.createLead;
      expect(lead).toMatchObject({
        name: 'Ada Lovelace',
        email: 'ada@engines.example',
        company: 'Analytical',
        status: 'NEW',
        qualifiedAt: null,
      });

      const qualified = await execute(server.url, DomainQualifyLeadDocument, { id: lead?.id ?? '' }, operator);
      expect(qualified.data?.qualifyLead).toMatchObject({ id: lead?.id, status: 'QUALIFIED' });
      expect(qualified.data?.qualifyLead.qualifiedAt).not.toBeNull();
      const again = await execute(server.url, DomainQualifyLeadDocument, { id: lead?.id ?? '' }, operator);
      expect(again.data?.qualifyLead.qualifiedAt).toBe(qualified.data?.qualifyLead.qualifiedAt);

      const recorded = (await events('lead.qualified')).filter((event) => event.payload['leadId'] === lead?.id);
      expect(recorded).toHaveLength(1);
      expect(recorded[0]).toMatchObject({
        tenant_id: server.adminTenantId,
        payload: { leadId: lead?.id, tenantId: server.adminTenantId, email: 'ada@engines.example' },
      });
      expect(recorded[0]?.source).toMatch(/^user:/);

      const listed = await execute(server.url, DomainLeadsDocument, { status: 'QUALIFIED' }, viewer);
      expect(listed.data?.leads.map((row) => row.id)).toContain(lead?.id);
    });

    it('refuses bad input with VALIDATION naming the field, and unknown ids with NOT_FOUND', async () => {
      const invalid = await execute(server.url, DomainCreateLeadDocument, { input: { name: ' ', email: 'not-an-email' } }, operator);
      expect(codeOf(invalid)).toBe('VALIDATION');
      expect(invalid.errors?.[0]?.extensions?.['details']).toEqual({
        issues: expect.arrayContaining([
          { path: '$.name', message: expect.any(String) },
          { path: '$.email', message: expect.any(String) },
        ]),
      });
      expect(codeOf(await execute(server.url, DomainQualifyLeadDocument, { id: 'nope' }, operator))).toBe('VALIDATION');
      expect(codeOf(await execute(server.url, DomainQualifyLeadDocument, { id: '00000000-0000-4000-8000-000000000000' }, operator))).toBe(
        'NOT_FOUND',
      );
      expect(codeOf(await execute(server.url, DomainLeadsDocument, { first: 0 }, operator))).toBe('VALIDATION');
    });

    it('keeps tenants apart: another tenant cannot see or qualify the lead', async () => {
      const created = await execute(
        server.url,
        DomainCreateLeadDocument,
        { input: { name: 'Private Lead', email: 'private@example.com' } },
        admin,
      );
      const id = created.data?.createLead.id ?? '';
      expect(codeOf(await execute(server.url, DomainQualifyLeadDocument, { id }, otherTenantAdmin))).toBe('NOT_FOUND');
      const theirs = await execute(server.url, DomainLeadsDocument, { first: 50 }, otherTenantAdmin);
      expect(theirs.errors).toBeUndefined();
      expect(theirs.data?.leads).toEqual([]);
    });

    it('lets viewers read but not write, and writes nothing when refused', async () => {
      const before = (await execute(server.url, DomainLeadsDocument, { first: 200 }, admin)).data?.leads.length;
      const refused = await execute(
        server.url,
        DomainCreateLeadDocument,
        { input: { name: 'Nobody', email: 'nobody@example.com' } },
        viewer,
      );
      expect({ data: refused.data, code: codeOf(refused) }).toEqual({ data: null, code: 'FORBIDDEN' });
      expect((await execute(server.url, DomainLeadsDocument, { first: 200 }, admin)).data?.leads.length).toBe(before);
      expect(codeOf(await execute(server.url, DomainLeadsDocument, { first: 50 }, {}))).toBe('UNAUTHENTICATED');
    });
  });
});
