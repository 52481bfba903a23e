import type { Tenant } from '../../../../src/entities/index.js';
import { addDays } from '../../../../src/services/shared/periods.js';
import { isWellFormedLicenseKey } from '../../../../src/services/license/license-key.js';
import { startCommercialHarness, type CommercialHarness } from '../../../helpers/commercial-fixtures.js';

describe('license and partner services', () => {
  let h: CommercialHarness;
  let tenant: Tenant;
  let otherTenant: Tenant;

  beforeAll(async () => {
    // Enough connections for every racer to hold a transaction at once.
    h = await startCommercialHarness({}, 24);
    tenant = await h.fixtures.tenant();
    otherTenant = await h.fixtures.tenant();
  });
  afterAll(() => h.close());

  async function partnerCustomer(partnerId: string) {
    return h.fixtures.customer(tenant.id, { partnerId });
  }
  const allocate = (partnerId: string, customerId: string, licenseCount: number, key?: string) =>
    h.call(tenant.id, 'license', 'allocateFromPartner', { partnerId, customerId, licenseCount }, { key });

  describe('issueLicense', () => {
    it("issues a well-formed random key with the template's seats and validity", async () => {
      const template = await h.fixtures.licenseTemplate(tenant.id, { code: 'standard-license', seats: 5, validityDays: 365 });
      const customer = await h.fixtures.customer(tenant.id);
      const now = new Date('2026-05-01T12:00:00.000Z');
      const license = await h.call(
        tenant.id,
        'license',
        'issueLicense',
        { customerId: customer.id, licenseTemplateId: 'standard-license', tenantId: tenant.id },
        { now },
      );

      expect(license).toEqual({
        licenseId: expect.any(String),
        licenseKey: expect.stringMatching(/^SWY-[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]$/),
        customerId: customer.id,
        templateId: template.id,
        templateCode: 'standard-license',
        product: 'switchyard-cloud',
        seats: 5,
        status: 'active',
        issuedAt: now.toISOString(),
        expiresAt: addDays(now, 365).toISOString(),
        created: true,
      });
      expect(isWellFormedLicenseKey(license.licenseKey as string)).toBe(true);
      expect(
        await h.count('licenses', `id = ? and key = ? and template_id = ? and customer_id = ? and seats = 5`, [
          license.licenseId,
          license.licenseKey,
          template.id,
          customer.id,
        ]),
      ).toBe(1);
    });

    it('returns the active license of the template on a repeat, and replaces an expired one', async () => {
      const template = await h.fixtures.licenseTemplate(tenant.id, { validityDays: 30 });
      const customer = await h.fixtures.customer(tenant.id);
      const params = { customerId: customer.id, licenseTemplateId: template.id, tenantId: tenant.id };
      const first = await h.call(tenant.id, 'license', 'issueLicense', params);
      expect(await h.call(tenant.id, 'license', 'issueLicense', params)).toEqual({ ...first, created: false });
      const later = await h.call(tenant.id, 'license', 'issueLicense', params, { now: addDays(new Date(), 31) });
      expect(later.licenseId).not.toBe(first.licenseId);
      expect(await h.count('licenses', `id = ? and status = 'expired'`, [first.licenseId])).toBe(1);
      expect(await h.count('licenses', `customer_id = ? and status = 'active'`, [customer.id])).toBe(1);
    });

    it('changes nothing when called again with the same idempotency key', async () => {
      const template = await h.fixtures.licenseTemplate(tenant.id);
      const customer = await h.fixtures.customer(tenant.id);
      const params = { customerId: customer.id, licenseTemplateId: template.code, tenantId: tenant.id };
      const first = await h.call(tenant.id, 'license', 'issueLicense', params, { key: 'exec-10:issue' });
      const before = await h.fingerprint();
      expect(await h.call(tenant.id, 'license', 'issueLicense', params, { key: 'exec-10:issue' })).toEqual(first);
      expect(await h.fingerprint()).toBe(before);
    });

    it('refuses retired or unknown templates, foreign customers and a foreign tenantId', async () => {
      const retired = await h.fixtures.licenseTemplate(tenant.id, { active: false });
      const customer = await h.fixtures.customer(tenant.id);
      const foreign = await h.fixtures.customer(otherTenant.id);
      const issue = (licenseTemplateId: string, customerId = customer.id, tenantId = tenant.id) =>
        h.call(tenant.id, 'license', 'issueLicense', { customerId, licenseTemplateId, tenantId });
      await expect(issue(retired.code)).rejects.toMatchObject({ code: 'INVALID_STATE' });
      await expect(issue('gold-license')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(issue(retired.code, foreign.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(issue(retired.code, customer.id, otherTenant.id)).rejects.toMatchObject({ code: 'FORBIDDEN' });
      expect(await h.count('licenses', 'customer_id = ?', [customer.id])).toBe(0);
    });
  });

  describe('allocateFromPartner', () => {
    it("takes seats from the partner's pool into the customer's license; the count is what the customer then holds", async () => {
      const partner = await h.fixtures.partner(tenant.id, { seatsTotal: 10 });
      const customer = await partnerCustomer(partner.id);
      const first = await allocate(partner.code, customer.id, 3);
      expect(first).toEqual({
        licenseId: expect.any(String),
        licenseKey: expect.stringMatching(/^SWY-/),
        customerId: customer.id,
        partnerId: partner.id,
        seats: 3,
        seatsAllocated: 3,
        quotaRemaining: 7,
        status: 'active',
        issuedAt: expect.any(String),
        expiresAt: null,
      });
      expect(await h.count('partners', 'id = ? and seats_used = 3', [partner.id])).toBe(1);

      expect(await allocate(partner.id, customer.id, 3)).toMatchObject({
        licenseId: first.licenseId,
        seats: 3,
        seatsAllocated: 0,
        quotaRemaining: 7,
      });
      expect(await allocate(partner.id, customer.id, 5)).toMatchObject({
        licenseId: first.licenseId,
        seats: 5,
        seatsAllocated: 2,
        quotaRemaining: 5,
      });
      await expect(allocate(partner.id, customer.id, 2)).rejects.toMatchObject({ code: 'CONFLICT' });
      expect(await h.count('partners', 'id = ? and seats_used = 5', [partner.id])).toBe(1);
      expect(await h.count('licenses', 'partner_id = ? and customer_id = ? and seats = 5', [partner.id, customer.id])).toBe(1);
    });

    it('changes nothing when called again with the same idempotency key', async () => {
      const partner = await h.fixtures.partner(tenant.id);
      const customer = await partnerCustomer(partner.id);
      const first = await allocate(partner.id, customer.id, 2, 'exec-11:allocate');
      const before = await h.fingerprint();
      expect(await allocate(partner.id, customer.id, 2, 'exec-11:allocate')).toEqual(first);
      expect(await h.fingerprint()).toBe(before);
    });

    it('refuses more seats than are left, customers of other partners, suspended partners', async () => {
      const partner = await h.fixtures.partner(tenant.id, { seatsTotal: 4, seatsUsed: 3 });
      const suspended = await h.fixtures.partner(tenant.id, { status: 'suspended' });
      const customer = await partnerCustomer(partner.id);
      const direct = await h.fixtures.customer(tenant.id);
      await expect(allocate(partner.id, customer.id, 2)).rejects.toMatchObject({
        code: 'QUOTA_EXCEEDED',
        details: { requested: 2, quotaRemaining: 1 },
      });
      await expect(allocate(partner.id, direct.id, 1)).rejects.toMatchObject({ code: 'VALIDATION' });
      await expect(allocate(suspended.id, await partnerCustomer(suspended.id).then((c) => c.id), 1)).rejects.toMatchObject({
        code: 'INVALID_STATE',
      });
      await expect(allocate(partner.id, customer.id, 0)).rejects.toMatchObject({ code: 'VALIDATION' });
      await expect(
        h.call(otherTenant.id, 'license', 'allocateFromPartner', { partnerId: partner.id, customerId: customer.id, licenseCount: 1 }),
      ).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect(await h.count('partners', 'id = ? and seats_used = 3', [partner.id])).toBe(1);
      expect(await h.count('licenses', 'partner_id = ?', [partner.id])).toBe(0);
    });

    it('never hands out more seats than the pool holds when 20 allocations race for 10 seats', async () => {
      const partner = await h.fixtures.partner(tenant.id, { seatsTotal: 10 });
      const customers = await Promise.all(Array.from({ length: 20 }, () => partnerCustomer(partner.id)));
      const outcomes = await Promise.allSettled(customers.map((customer) => allocate(partner.id, customer.id, 1)));

      const granted = outcomes.filter((outcome) => outcome.status === 'fulfilled');
      const refused = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as { code: string }] : []));
      expect(granted).toHaveLength(10);
      expect(refused).toHaveLength(10);
      expect(refused.every((error) => error.code === 'QUOTA_EXCEEDED')).toBe(true);
      expect(await h.count('partners', 'id = ? and seats_used = 10', [partner.id])).toBe(1);
      expect(await h.count('licenses', 'partner_id = ?', [partner.id])).toBe(10);
    });

    it('is protected by the database too: seats_used can never pass seats_total', async () => {
      const partner = await h.fixtures.partner(tenant.id, { seatsTotal: 2 });
      await expect(
        h.fixtures.write((em) => em.getConnection().execute('update partners set seats_used = 3 where id = ?', [partner.id])),
      ).rejects.toThrow(/partners_seats_check/);
      await expect(
        h.fixtures.write((em) => em.getConnection().execute('update partners set seats_used = -1 where id = ?', [partner.id])),
      ).rejects.toThrow(/partners_seats_check/);
    });
  });

  describe('checkLicenseQuota', () => {
    it('says whether the pool has the seats, and is a read', async () => {
      const partner = await h.fixtures.partner(tenant.id, { seatsTotal: 10, seatsUsed: 6 });
      const before = await h.fingerprint();
      expect(
        await h.call(tenant.id, 'partner_service', 'check_license_quota', { partner_id: partner.code, requested_licenses: 4 }),
      ).toEqual({
        available: true,
        quotaRemaining: 4,
        requestedLicenses: 4,
        seatsTotal: 10,
        seatsUsed: 6,
        partnerId: partner.id,
        partnerStatus: 'active',
      });
      expect(await h.call(tenant.id, 'partner', 'checkLicenseQuota', { partnerId: partner.id, requestedLicenses: 5 })).toMatchObject({
        available: false,
        quotaRemaining: 4,
      });
      expect(await h.fingerprint()).toBe(before);

      const suspended = await h.fixtures.partner(tenant.id, { status: 'suspended' });
      expect(await h.call(tenant.id, 'partner', 'checkLicenseQuota', { partnerId: suspended.id, requestedLicenses: 1 })).toMatchObject({
        available: false,
      });
      await expect(h.call(tenant.id, 'partner', 'checkLicenseQuota', { partnerId: 'nobody', requestedLicenses: 1 })).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      await expect(
        h.call(otherTenant.id, 'partner', 'checkLicenseQuota', { partnerId: partner.id, requestedLicenses: 1 }),
      ).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(
        h.call(tenant.id, 'partner', 'checkLicenseQuota', { partnerId: partner.id, requestedLicenses: 1.5 }),
      ).rejects.toMatchObject({ code: 'VALIDATION' });
    });
  });

  describe('recordCommission', () => {
    it("applies the partner's rate to the list value of the customer's seats, rounding half up", async () => {
      const partner = await h.fixtures.partner(tenant.id, { seatPriceAmount: 1_001, commissionRateBps: 5_000 });
      const customer = await partnerCustomer(partner.id);
      await allocate(partner.id, customer.id, 1);
      const commission = await h.call(tenant.id, 'partner', 'recordCommission', {
        partnerId: partner.id,
        customerId: customer.id,
        commissionType: 'new_customer',
      });
      expect(commission).toEqual({
        commissionId: expect.any(String),
        partnerId: partner.id,
        customerId: customer.id,
        commissionType: 'new_customer',
        amount: 501,
        currency: 'USD',
        rateBps: 5_000,
        baseAmount: 1_001,
        status: 'accrued',
      });
      expect(
        await h.count('partner_commissions', `id = ? and amount = 501 and base_amount = 1001 and rate_bps = 5000`, [
          commission.commissionId,
        ]),
      ).toBe(1);
    });

    it('takes a given amount as is; earns new_customer once, other types once per call', async () => {
      const partner = await h.fixtures.partner(tenant.id);
      const customer = await partnerCustomer(partner.id);
      const record = (commissionType: string, amount?: number | null) =>
        h.call(tenant.id, 'partner', 'recordCommission', { partnerId: partner.id, customerId: customer.id, commissionType, amount });
      const first = await record('new_customer', 12_345);
      expect(first).toMatchObject({ amount: 12_345, rateBps: null, baseAmount: null });
      expect(await record('new_customer', 99)).toEqual(first);
      await record('upsell', 100);
      await record('upsell', 100);
      expect(await h.count('partner_commissions', `partner_id = ? and type = 'new_customer'`, [partner.id])).toBe(1);
      expect(await h.count('partner_commissions', `partner_id = ? and type = 'upsell'`, [partner.id])).toBe(2);
    });

    it('changes nothing when called again with the same idempotency key', async () => {
      const partner = await h.fixtures.partner(tenant.id);
      const customer = await partnerCustomer(partner.id);
      const params = { partnerId: partner.id, customerId: customer.id, commissionType: 'referral', amount: 700 };
      const first = await h.call(tenant.id, 'partner', 'recordCommission', params, { key: 'exec-12:commission' });
      const before = await h.fingerprint();
      expect(await h.call(tenant.id, 'partner', 'recordCommission', params, { key: 'exec-12:commission' })).toEqual(first);
      expect(await h.fingerprint()).toBe(before);
    });

    it("refuses customers who are not the partner's, no amount with nothing to base it on, and bad input", async () => {
      const partner = await h.fixtures.partner(tenant.id);
      const customer = await partnerCustomer(partner.id);
      const direct = await h.fixtures.customer(tenant.id);
      const record = (params: Record<string, unknown>) =>
        h.call(tenant.id, 'partner', 'recordCommission', {
          partnerId: partner.id,
          customerId: customer.id,
          commissionType: 'new_customer',
          ...params,
        });
      await expect(record({ customerId: direct.id, amount: 10 })).rejects.toMatchObject({ code: 'VALIDATION' });
      await expect(record({})).rejects.toMatchObject({ code: 'VALIDATION' });
      await expect(record({ amount: -1 })).rejects.toMatchObject({ code: 'VALIDATION' });
      await expect(record({ amount: 10.5 })).rejects.toMatchObject({ code: 'VALIDATION' });
      await expect(record({ commissionType: 'bonus', amount: 10 })).rejects.toMatchObject({ code: 'VALIDATION' });
      expect(await h.count('partner_commissions', 'partner_id = ?', [partner.id])).toBe(0);
    });
  });
});
