import type { Customer, Tenant } from '../../../../src/entities/index.js';
import { addDays } from '../../../../src/services/shared/periods.js';
import { startCommercialHarness, type CommercialHarness } from '../../../helpers/commercial-fixtures.js';

const TENANT_DOMAIN = 'tenants.example.test';

type Provisioned = {
  tenantUrl: string;
  tenantId: string;
  tenantSlug: string;
  deploymentId: string;
  adminEmail: string;
  adminInvitation: 'pending' | 'accepted';
  branding?: Record<string, string>;
};

describe('deployment service', () => {
  let h: CommercialHarness;
  let tenant: Tenant;
  let otherTenant: Tenant;

  beforeAll(async () => {
    h = await startCommercialHarness({ deployment: { tenantDomain: TENANT_DOMAIN, slotsPerDay: 2, schedulingHorizonDays: 2 } }, 8);
    tenant = await h.fixtures.tenant();
    otherTenant = await h.fixtures.tenant();
  });
  afterAll(() => h.close());

  async function licensed(company = 'Wayne Enterprises') {
    const customer = await h.fixtures.customer(tenant.id, { company });
    const template = await h.fixtures.licenseTemplate(tenant.id);
    const license = await h.call<{ licenseKey: string; licenseId: string }>(tenant.id, 'license', 'issueLicense', {
      customerId: customer.id,
      licenseTemplateId: template.id,
      tenantId: tenant.id,
    });
    return { customer, license };
  }
  const provision = (customerId: string, licenseKey: string, options: { key?: string; deploymentType?: string } = {}) =>
    h.call<Provisioned>(
      tenant.id,
      'deployment',
      'provisionTenant',
      { customerId, licenseKey, deploymentType: options.deploymentType ?? 'shared' },
      { key: options.key },
    );
  const passwordHashOf = async (email: string) =>
    (
      await h.orm.em.fork().getConnection().execute<{ password_hash: string }[]>('select password_hash from users where email = ?', [email])
    )[0]?.password_hash ?? '';
  const invitationsTo = (email: string) =>
    h.count('outbox_messages', `kind = 'email' and payload->>'to' = ? and payload->>'template' = 'user_invitation'`, [email.toLowerCase()]);

  describe('provisionTenant', () => {
    it("creates the customer's tenant, its admin invited by e-mail (no password anywhere), and the deployment", async () => {
      const { customer, license } = await licensed('Wayne Enterprises');
      const result = await provision(customer.id, license.licenseKey);

      expect(result).toEqual({
        deploymentId: expect.any(String),
        tenantId: expect.any(String),
        tenantSlug: 'wayne-enterprises',
        tenantUrl: `https://wayne-enterprises.${TENANT_DOMAIN}`,
        deploymentType: 'shared',
        status: 'provisioned',
        customerId: customer.id,
        licenseId: license.licenseId,
        adminEmail: customer.email,
        adminInvitation: 'pending',
        provisionedAt: expect.any(String),
      });
      expect(JSON.stringify(result)).not.toMatch(/password/i);
      expect(await h.count('tenants', `id = ? and slug = 'wayne-enterprises' and name = 'Wayne Enterprises'`, [result.tenantId])).toBe(1);
      expect(await h.count('users', `tenant_id = ? and email = ? and role = 'admin' and active`, [result.tenantId, customer.email])).toBe(
        1,
      );
      // Invited, as a platform admin's createTenant invites: no password until they choose one.
      expect(await passwordHashOf(customer.email)).toBe('!invited');
      expect(await invitationsTo(customer.email)).toBe(1);
      expect(
        await h.count(
          'deployments',
          `id = ? and tenant_id = ? and provisioned_tenant_id = ? and license_id = ? and status = 'provisioned'`,
          [result.deploymentId, tenant.id, result.tenantId, license.licenseId],
        ),
      ).toBe(1);
    });

    it('replays the first result for the same idempotency key, changing nothing', async () => {
      const { customer, license } = await licensed('Stark Industries');
      const first = await provision(customer.id, license.licenseKey, { key: 'exec-13:provision' });
      const before = await h.fingerprint();
      expect(await provision(customer.id, license.licenseKey, { key: 'exec-13:provision' })).toEqual(first);
      expect(await h.fingerprint()).toBe(before);
    });

    it('returns the same tenant to any other call, and never invites its admin again', async () => {
      const { customer, license } = await licensed('Oscorp');
      const first = await provision(customer.id, license.licenseKey.toLowerCase());
      const hash = await passwordHashOf(customer.email);
      const again = await provision(customer.id, license.licenseKey);
      expect(again).toEqual(first);
      expect(await invitationsTo(customer.email)).toBe(1);
      expect(await passwordHashOf(customer.email)).toBe(hash);
      expect(await h.count('deployments', 'license_id = ?', [license.licenseId])).toBe(1);
    });

    it('provisions one tenant per license when calls race', async () => {
      const { customer, license } = await licensed('Cyberdyne Systems');
      const results = await Promise.all(Array.from({ length: 4 }, () => provision(customer.id, license.licenseKey)));
      expect(new Set(results.map((result) => result.tenantId)).size).toBe(1);
      expect(await invitationsTo(customer.email)).toBe(1);
      expect(await h.count('tenants', `slug like 'cyberdyne-systems%'`)).toBe(1);
    });

    it('gives each tenant a slug of its own, never a reserved one', async () => {
      const a = await licensed('Acme, Inc.');
      const b = await licensed('ACME inc');
      const reserved = await licensed('Admin');
      const first = await provision(a.customer.id, a.license.licenseKey);
      const second = await provision(b.customer.id, b.license.licenseKey, { deploymentType: 'dedicated' });
      const third = await provision(reserved.customer.id, reserved.license.licenseKey);
      expect(first.tenantSlug).toBe('acme-inc');
      expect(second.tenantSlug).toMatch(/^acme-inc-[0-9a-z]{4}$/);
      expect(third.tenantSlug).toMatch(/^admin-[0-9a-z]{4}$/);
    });

    it('refuses malformed, unknown, foreign, revoked keys, and an admin e-mail already in use', async () => {
      const { customer, license } = await licensed('Umbrella Corp');
      const other = await licensed('Tyrell Corp');
      const mistyped = license.licenseKey.slice(0, -1) + (license.licenseKey.endsWith('0') ? '1' : '0');
      await expect(provision(customer.id, mistyped)).rejects.toMatchObject({ code: 'VALIDATION' });
      await expect(provision(customer.id, 'SWY-12345')).rejects.toMatchObject({ code: 'VALIDATION' });
      await expect(provision(customer.id, other.license.licenseKey)).rejects.toMatchObject({ code: 'VALIDATION' });
      await expect(provision(customer.id, license.licenseKey, { deploymentType: 'on_the_moon' })).rejects.toMatchObject({
        code: 'VALIDATION',
      });
      await expect(
        h.call(otherTenant.id, 'deployment', 'provisionTenant', {
          customerId: customer.id,
          licenseKey: license.licenseKey,
          deploymentType: 'shared',
        }),
      ).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });

      await h.fixtures.write((em) =>
        em.getConnection().execute(`update licenses set status = 'revoked' where id = ?`, [other.license.licenseId]),
      );
      await expect(provision(other.customer.id, other.license.licenseKey)).rejects.toMatchObject({ code: 'INVALID_STATE' });

      await h.fixtures.write((em) =>
        em
          .getConnection()
          .execute(
            `insert into users (id, tenant_id, email, password_hash, role, active, created_at) values (gen_random_uuid(), ?, ?, 'x', 'viewer', true, now())`,
            [otherTenant.id, customer.email],
          ),
      );
      const before = await h.count('tenants');
      await expect(provision(customer.id, license.licenseKey)).rejects.toMatchObject({ code: 'CONFLICT' });
      expect(await h.count('tenants')).toBe(before);
      expect(await h.count('deployments', 'license_id in (?, ?)', [license.licenseId, other.license.licenseId])).toBe(0);
    });
  });

  describe('provisionPartnerTenant', () => {
    async function partnerCustomerWithSeats(seats = 2): Promise<{ partnerId: string; customer: Customer }> {
      const partner = await h.fixtures.partner(tenant.id);
      const customer = await h.fixtures.customer(tenant.id, { partnerId: partner.id });
      if (seats > 0)
        await h.call(tenant.id, 'license', 'allocateFromPartner', { partnerId: partner.id, customerId: customer.id, licenseCount: seats });
      return { partnerId: partner.id, customer };
    }
    const provisionPartner = (customerId: string, partnerId: string, whiteLabelConfig: unknown, key?: string) =>
      h.call<Provisioned & { partnerId: string }>(
        tenant.id,
        'deployment',
        'provisionPartnerTenant',
        { customerId, partnerId, whiteLabelConfig },
        { key },
      );

    it('provisions a tenant with validated branding, served at its custom domain', async () => {
      const { partnerId, customer } = await partnerCustomerWithSeats();
      const config = {
        display_name: 'Northwind Portal',
        primary_color: '#1a73e8',
        secondary_color: '#fff',
        logo_url: 'https://cdn.northwind.example/logo.svg',
        support_email: 'Help@Northwind.example',
        custom_domain: 'Portal.Northwind.example',
      };
      const result = await provisionPartner(customer.id, partnerId, config);
      const branding = {
        displayName: 'Northwind Portal',
        primaryColor: '#1A73E8',
        secondaryColor: '#FFF',
        logoUrl: 'https://cdn.northwind.example/logo.svg',
        supportEmail: 'help@northwind.example',
        customDomain: 'portal.northwind.example',
      };
      expect(result).toMatchObject({ tenantUrl: 'https://portal.northwind.example', partnerId, branding, adminInvitation: 'pending' });
      expect(await invitationsTo(customer.email)).toBe(1);
      const rows = await h.orm.em
        .fork()
        .getConnection()
        .execute<{ white_label: unknown; partner_id: string; type: string }[]>(
          'select white_label, partner_id, type from deployments where id = ?',
          [result.deploymentId],
        );
      expect(rows[0]).toEqual({ white_label: branding, partner_id: partnerId, type: 'shared' });

      expect(await provisionPartner(customer.id, partnerId, { displayName: 'Changed' })).toMatchObject({
        deploymentId: result.deploymentId,
        branding,
        adminInvitation: 'pending',
      });
    });

    it('changes nothing when called again with the same idempotency key', async () => {
      const { partnerId, customer } = await partnerCustomerWithSeats();
      const first = await provisionPartner(customer.id, partnerId, { displayName: 'Contoso' }, 'exec-14:white_label');
      const before = await h.fingerprint();
      expect(await provisionPartner(customer.id, partnerId, { displayName: 'Contoso' }, 'exec-14:white_label')).toEqual(first);
      expect(await h.fingerprint()).toBe(before);
    });

    it('refuses branding that does not validate, naming the field', async () => {
      const { partnerId, customer } = await partnerCustomerWithSeats();
      const bad = [
        { branding: 'partner' },
        { displayName: '' },
        { displayName: 'X', primaryColor: 'blue' },
        { displayName: 'X', logoUrl: 'http://insecure.example/logo.png' },
        { displayName: 'X', logoUrl: 'javascript:alert(1)' },
        { displayName: 'X', customDomain: 'not a domain' },
        { displayName: 'X', customDomain: `evil.${TENANT_DOMAIN}` },
      ];
      for (const config of bad)
        await expect(provisionPartner(customer.id, partnerId, config)).rejects.toMatchObject({ code: 'VALIDATION' });
      await expect(provisionPartner(customer.id, partnerId, { displayName: 'X', primaryColor: 'blue' })).rejects.toThrow(/primaryColor/);
      expect(await h.count('deployments', 'customer_id = ?', [customer.id])).toBe(0);
    });

    it('needs seats from the partner first, the partner’s own customer, and a custom domain nobody serves', async () => {
      const noSeats = await partnerCustomerWithSeats(0);
      await expect(provisionPartner(noSeats.customer.id, noSeats.partnerId, { displayName: 'X' })).rejects.toMatchObject({
        code: 'INVALID_STATE',
      });
      const direct = await h.fixtures.customer(tenant.id);
      await expect(provisionPartner(direct.id, noSeats.partnerId, { displayName: 'X' })).rejects.toMatchObject({ code: 'VALIDATION' });

      const a = await partnerCustomerWithSeats();
      const b = await partnerCustomerWithSeats();
      await provisionPartner(a.customer.id, a.partnerId, { displayName: 'A', customDomain: 'shared.example.org' });
      await expect(
        provisionPartner(b.customer.id, b.partnerId, { displayName: 'B', customDomain: 'shared.example.org' }),
      ).rejects.toMatchObject({ code: 'CONFLICT' });
      expect(await h.count('deployments', 'customer_id = ?', [b.customer.id])).toBe(0);
    });
  });

  describe('scheduleDeployment', () => {
    async function order(customer?: Customer) {
      const owner = customer ?? (await h.fixtures.customer(tenant.id));
      const quoteId = await h.fixtures.quote(tenant.id, owner.id);
      await h.call(tenant.id, 'crm', 'acceptQuote', { quoteId, acceptedBy: 'buyer' });
      const made = await h.call<{ orderId: string }>(tenant.id, 'sales', 'createOrderFromQuote', { quoteId, tenantId: tenant.id });
      return { orderId: made.orderId, customerId: owner.id };
    }
    const day = (offset: number) => addDays(new Date(), offset).toISOString().slice(0, 10);
    const schedule = (
      target: { orderId: string; customerId: string },
      scheduledDate: string,
      options: { priority?: string; key?: string } = {},
    ) =>
      h.call(
        tenant.id,
        'deployment',
        'scheduleDeployment',
        { ...target, priority: options.priority ?? 'high', scheduledDate },
        { key: options.key },
      );

    it('books the requested day while it has room, then the next free day', async () => {
      const requested = day(20);
      const first = await schedule(await order(), requested);
      expect(first).toEqual({
        deploymentId: expect.any(String),
        orderId: expect.any(String),
        customerId: expect.any(String),
        status: 'scheduled',
        priority: 'high',
        requestedDate: requested,
        scheduledDate: requested,
      });
      expect(
        await h.count('deployments', `id = ? and order_id = ? and status = 'scheduled' and scheduled_for = ?`, [
          first.deploymentId,
          first.orderId,
          requested,
        ]),
      ).toBe(1);
      await schedule(await order(), `${requested}T09:30:00Z`);
      expect(await schedule(await order(), requested)).toMatchObject({ requestedDate: requested, scheduledDate: day(21) });
    });

    it('never overbooks a day when bookings race, and says so when the horizon is full', async () => {
      const requested = day(40);
      const orders = await Promise.all(Array.from({ length: 6 }, () => order()));
      const booked = await Promise.all(orders.map((target) => schedule(target, requested)));
      const perDay = new Map<string, number>();
      for (const booking of booked) perDay.set(booking.scheduledDate as string, (perDay.get(booking.scheduledDate as string) ?? 0) + 1);
      expect(Object.fromEntries(perDay)).toEqual({ [day(40)]: 2, [day(41)]: 2, [day(42)]: 2 });
      await expect(schedule(await order(), requested)).rejects.toMatchObject({ code: 'QUOTA_EXCEEDED' });
    });

    it('keeps one booking per order; the same idempotency key changes nothing', async () => {
      const target = await order();
      const first = await schedule(target, day(60), { key: 'exec-15:schedule' });
      const before = await h.fingerprint();
      expect(await schedule(target, day(60), { key: 'exec-15:schedule' })).toEqual(first);
      expect(await h.fingerprint()).toBe(before);
      expect(await schedule(target, day(61), { priority: 'low' })).toEqual(first);
      expect(await h.count('deployments', 'order_id = ?', [target.orderId])).toBe(1);
    });

    it("refuses past days, another customer's order, cancelled orders and bad input", async () => {
      const target = await order();
      const stranger = await h.fixtures.customer(tenant.id);
      await expect(schedule(target, day(-1))).rejects.toMatchObject({ code: 'VALIDATION' });
      await expect(schedule(target, 'next tuesday')).rejects.toMatchObject({ code: 'VALIDATION' });
      await expect(schedule(target, day(70), { priority: 'asap' })).rejects.toMatchObject({ code: 'VALIDATION' });
      await expect(schedule({ ...target, customerId: stranger.id }, day(70))).rejects.toMatchObject({ code: 'VALIDATION' });
      await expect(
        h.call(otherTenant.id, 'deployment', 'scheduleDeployment', { ...target, priority: 'high', scheduledDate: day(70) }),
      ).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await h.fixtures.write((em) => em.getConnection().execute(`update orders set status = 'cancelled' where id = ?`, [target.orderId]));
      await expect(schedule(target, day(70))).rejects.toMatchObject({ code: 'INVALID_STATE' });
      expect(await h.count('deployments', 'order_id = ?', [target.orderId])).toBe(0);
    });
  });
});
