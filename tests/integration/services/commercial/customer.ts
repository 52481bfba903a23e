import type { Tenant } from '../../../../src/entities/index.js';
import { startCommercialHarness, type CommercialHarness } from '../../../helpers/commercial-fixtures.js';

describe('customer service', () => {
  let h: CommercialHarness;
  let tenant: Tenant;
  let otherTenant: Tenant;

  beforeAll(async () => {
    h = await startCommercialHarness();
    tenant = await h.fixtures.tenant();
    otherTenant = await h.fixtures.tenant();
  });
  afterAll(() => h.close());

  describe('createFromLead', () => {
    it('turns a qualified lead into a customer and marks the lead converted', async () => {
      const lead = await h.fixtures.lead(tenant.id, { name: 'Ada Lovelace', email: 'ada.convert@example.com', company: 'Engines' });
      const result = await h.call(tenant.id, 'customer', 'createFromLead', { leadId: lead.id, tenantId: tenant.id });

      expect(result).toEqual({
        customerId: expect.any(String),
        name: 'Ada Lovelace',
        email: 'ada.convert@example.com',
        company: 'Engines',
        source: 'lead',
        leadId: lead.id,
        partnerId: null,
      });
      expect(await h.count('customers', 'id = ? and tenant_id = ? and lead_id = ?', [result.customerId, tenant.id, lead.id])).toBe(1);
      expect(await h.count('leads', `id = ? and status = 'converted' and converted_at is not null`, [lead.id])).toBe(1);
    });

    it("accepts the seeds' snake_case params and the tenant's slug", async () => {
      const lead = await h.fixtures.lead(tenant.id);
      const result = await h.call(tenant.id, 'customer_service', 'create_from_lead', { lead_id: lead.id, tenant_id: tenant.slug });
      expect(result.leadId).toBe(lead.id);
    });

    it('returns the customer of a lead already converted, without a second one', async () => {
      const lead = await h.fixtures.lead(tenant.id);
      const first = await h.call(tenant.id, 'customer', 'createFromLead', { leadId: lead.id, tenantId: tenant.id });
      const again = await h.call(tenant.id, 'customer', 'createFromLead', { leadId: lead.id, tenantId: tenant.id });
      expect(again).toEqual(first);
      expect(await h.count('customers', 'lead_id = ?', [lead.id])).toBe(1);
    });

    it('changes nothing when called again with the same idempotency key', async () => {
      const lead = await h.fixtures.lead(tenant.id);
      const first = await h.call(
        tenant.id,
        'customer',
        'createFromLead',
        { leadId: lead.id, tenantId: tenant.id },
        { key: 'exec-1:create_customer' },
      );
      const before = await h.fingerprint();
      const again = await h.call(
        tenant.id,
        'customer',
        'createFromLead',
        { leadId: lead.id, tenantId: tenant.id },
        { key: 'exec-1:create_customer' },
      );
      expect(again).toEqual(first);
      expect(await h.fingerprint()).toBe(before);
    });

    it('converts a lead once when calls race', async () => {
      const lead = await h.fixtures.lead(tenant.id);
      const results = await Promise.all(
        Array.from({ length: 6 }, () => h.call(tenant.id, 'customer', 'createFromLead', { leadId: lead.id, tenantId: tenant.id })),
      );
      expect(new Set(results.map((result) => result.customerId)).size).toBe(1);
      expect(await h.count('customers', 'lead_id = ?', [lead.id])).toBe(1);
    });

    it('refuses leads that are not qualified, unknown, malformed or of another tenant, and e-mails already taken', async () => {
      const fresh = await h.fixtures.lead(tenant.id, { status: 'new' });
      const lost = await h.fixtures.lead(tenant.id, { status: 'lost' });
      const foreign = await h.fixtures.lead(otherTenant.id);
      const existing = await h.fixtures.customer(tenant.id, { email: 'taken@example.com' });
      const duplicate = await h.fixtures.lead(tenant.id, { email: existing.email });
      const params = (leadId: string, tenantId = tenant.id) => ({ leadId, tenantId });

      await expect(h.call(tenant.id, 'customer', 'createFromLead', params(fresh.id))).rejects.toMatchObject({ code: 'INVALID_STATE' });
      await expect(h.call(tenant.id, 'customer', 'createFromLead', params(lost.id))).rejects.toMatchObject({ code: 'INVALID_STATE' });
      await expect(h.call(tenant.id, 'customer', 'createFromLead', params(foreign.id))).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(h.call(tenant.id, 'customer', 'createFromLead', params('0b9c3f0e-5c1a-4c7e-9a55-1f2d3e4c5b6a'))).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      await expect(h.call(tenant.id, 'customer', 'createFromLead', params('lead-1'))).rejects.toMatchObject({ code: 'VALIDATION' });
      await expect(h.call(tenant.id, 'customer', 'createFromLead', params(fresh.id, otherTenant.id))).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
      await expect(h.call(tenant.id, 'customer', 'createFromLead', params(duplicate.id))).rejects.toMatchObject({ code: 'CONFLICT' });
      expect(await h.count('leads', `id in (?, ?, ?) and status <> 'converted'`, [fresh.id, lost.id, duplicate.id])).toBe(3);
    });
  });

  describe('createPartnerCustomer', () => {
    it("creates a customer owned by the partner, found by the partner's id or code", async () => {
      const partner = await h.fixtures.partner(tenant.id);
      const result = await h.call(tenant.id, 'customer', 'createPartnerCustomer', {
        partner_id: partner.code,
        customer_data: { name: 'Initech', email: 'Peter@Initech.example', company: 'Initech', phone: '+1 555 0199' },
      });
      expect(result).toEqual({
        customerId: expect.any(String),
        name: 'Initech',
        email: 'peter@initech.example',
        company: 'Initech',
        source: 'partner',
        leadId: null,
        partnerId: partner.id,
      });
      expect(
        await h.count('customers', `id = ? and partner_id = ? and source = 'partner' and phone = '+1 555 0199'`, [
          result.customerId,
          partner.id,
        ]),
      ).toBe(1);
    });

    it('returns the same customer when the same partner registers the address again', async () => {
      const partner = await h.fixtures.partner(tenant.id);
      const data = { name: 'Hooli', email: 'gavin@hooli.example' };
      const first = await h.call(tenant.id, 'customer', 'createPartnerCustomer', { partnerId: partner.id, customerData: data });
      const again = await h.call(tenant.id, 'customer', 'createPartnerCustomer', {
        partnerId: partner.id,
        customerData: { ...data, name: 'Hooli XYZ' },
      });
      expect(again).toEqual(first);
      expect(await h.count('customers', 'email = ?', [data.email])).toBe(1);
    });

    it('changes nothing when called again with the same idempotency key', async () => {
      const partner = await h.fixtures.partner(tenant.id);
      const params = { partnerId: partner.id, customerData: { name: 'Pied Piper', email: 'richard@piedpiper.example' } };
      const first = await h.call(tenant.id, 'customer', 'createPartnerCustomer', params, { key: 'exec-2:create_customer' });
      const before = await h.fingerprint();
      expect(await h.call(tenant.id, 'customer', 'createPartnerCustomer', params, { key: 'exec-2:create_customer' })).toEqual(first);
      expect(await h.fingerprint()).toBe(before);
    });

    it("refuses another owner's e-mail, suspended or unknown partners and malformed data", async () => {
      const partner = await h.fixtures.partner(tenant.id);
      const rival = await h.fixtures.partner(tenant.id);
      const suspended = await h.fixtures.partner(tenant.id, { status: 'suspended' });
      const direct = await h.fixtures.customer(tenant.id);
      await h.call(tenant.id, 'customer', 'createPartnerCustomer', {
        partnerId: rival.id,
        customerData: { name: 'Umbrella', email: 'info@umbrella.example' },
      });
      const create = (partnerId: string, customerData: Record<string, unknown>) =>
        h.call(tenant.id, 'customer', 'createPartnerCustomer', { partnerId, customerData });

      await expect(create(partner.id, { name: 'Umbrella', email: 'info@umbrella.example' })).rejects.toMatchObject({ code: 'CONFLICT' });
      await expect(create(partner.id, { name: 'Direct', email: direct.email })).rejects.toMatchObject({ code: 'CONFLICT' });
      await expect(create(suspended.id, { name: 'X', email: 'x@example.com' })).rejects.toMatchObject({ code: 'INVALID_STATE' });
      await expect(create('no-such-partner', { name: 'X', email: 'x@example.com' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(create(partner.id, { name: 'X', email: 'not-an-email' })).rejects.toMatchObject({ code: 'VALIDATION' });
      await expect(create(partner.id, { name: '', email: 'x@example.com' })).rejects.toMatchObject({ code: 'VALIDATION' });
      await expect(create(partner.id, { name: 'X', email: 'x@example.com', favouriteColour: 'blue' })).rejects.toMatchObject({
        code: 'VALIDATION',
      });
      const foreignPartner = await h.fixtures.partner(otherTenant.id);
      await expect(create(foreignPartner.id, { name: 'X', email: 'x@example.com' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect(await h.count('customers', `email = 'x@example.com'`)).toBe(0);
    });
  });
});
