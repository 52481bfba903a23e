import { SiteSurvey } from '../../../../src/entities/domain/site-survey.entity.js';
import { setUpOperations, type OperationsTestContext } from './support/context.js';

describe('crm.getSiteSurvey', () => {
  let context: OperationsTestContext;

  beforeAll(async () => {
    context = await setUpOperations();
  });
  afterAll(() => context.close());

  it('returns the latest completed survey, ignoring scheduled ones', async () => {
    const em = context.orm.em.fork();
    const common = { tenant: context.tenantId, customer: context.customerId, serviceLocation: 'pop-north' };
    em.create(SiteSurvey, {
      ...common,
      status: 'completed',
      address: 'Old address',
      completedAt: new Date('2026-01-01T00:00:00Z'),
      cpeSerial: 'OLD',
    });
    const latest = em.create(SiteSurvey, {
      ...common,
      status: 'completed',
      address: '12 Tower Lane',
      latitude: 51.5072,
      longitude: -0.1276,
      signalStrengthDbm: -58.5,
      recommendedBandwidth: '200M/50M',
      cpeSerial: 'ZTEG12345678',
      completedAt: new Date('2026-03-01T10:00:00Z'),
    });
    em.create(SiteSurvey, { ...common, status: 'scheduled', address: 'Not yet surveyed' });
    await em.flush();

    await expect(context.call('crm_service', 'get_site_survey', { customer_id: context.customerId })).resolves.toEqual({
      surveyId: latest.id,
      customerId: context.customerId,
      address: '12 Tower Lane',
      latitude: 51.5072,
      longitude: -0.1276,
      signalStrengthDbm: -58.5,
      recommendedBandwidth: '200M/50M',
      cpeSerial: 'ZTEG12345678',
      serviceLocation: 'pop-north',
      completedAt: '2026-03-01T10:00:00.000Z',
    });
  });

  it('is NOT_FOUND without a completed survey, for another tenant, and VALIDATION for a malformed id', async () => {
    const other = await context.createCustomer('Bob');
    const em = context.orm.em.fork();
    em.create(SiteSurvey, { tenant: context.tenantId, customer: other, status: 'scheduled', address: 'x' });
    await em.flush();
    await expect(context.call('crm', 'getSiteSurvey', { customerId: other })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const otherTenant = await em
      .getConnection()
      .execute<{ id: string }[]>(
        `insert into tenants (id, slug, name, created_at) values (gen_random_uuid(), 'other-survey', 'Other', now()) returning id`,
      );
    await expect(
      context.call('crm', 'getSiteSurvey', { customerId: context.customerId }, { tenantId: otherTenant[0]!.id }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(context.call('crm', 'getSiteSurvey', { customerId: 'abc' })).rejects.toMatchObject({ code: 'VALIDATION' });
  });

  it('is a read: the same key twice answers the same and writes nothing', async () => {
    const first = await context.call('crm', 'getSiteSurvey', { customerId: context.customerId }, { key: 'exec-1:get_site_survey' });
    expect(await context.call('crm', 'getSiteSurvey', { customerId: context.customerId }, { key: 'exec-1:get_site_survey' })).toEqual(
      first,
    );
    const records = await context.orm.em.fork().getConnection().execute<{ count: string }[]>(`select count(*) from service_call_records`);
    expect(Number(records[0]?.count)).toBe(0);
  });
});
