import {
  CreateApiKeyDocument,
  DomainEventByIdDocument,
  DomainEventsDocument,
  ExecutionTriggerEventDocument,
  PauseScheduleDocument,
  PublishEventDocument,
  ResumeScheduleDocument,
  SchedulesDocument,
} from '../../generated/graphql.js';
import { bearer, createUser, login } from '../../helpers/auth.js';
import { execute } from '../../helpers/graphql.js';
import { useTestServer } from '../../helpers/server.js';
import { eventually } from './support.js';

type Role = 'operator' | 'viewer' | 'partner';

describe('triggers over GraphQL: publishEvent, events, schedules', () => {
  const server = useTestServer();
  const headers = {} as Record<Role | 'otherTenant' | 'publisherKey', Record<string, string>>;

  beforeAll(async () => {
    for (const role of ['operator', 'viewer', 'partner'] as const) {
      const user = await createUser(server.orm, role, { tenantId: server.adminTenantId });
      headers[role] = bearer((await login(server.url, user.email, user.password)).token);
    }
    const stranger = await createUser(server.orm, 'operator');
    headers.otherTenant = bearer((await login(server.url, stranger.email, stranger.password)).token);
    const key = await execute(server.url, CreateApiKeyDocument, { name: 'crm sync', permissions: ['EVENT_PUBLISH'] }, server.adminHeaders);
    headers.publisherKey = bearer(key.data?.createApiKey.key ?? '');
    await server.engine.workflows.save({
      tenantId: server.adminTenantId,
      name: 'on_signup',
      definition: {
        triggers: [{ event: 'account.signed_up', filter: 'event.plan != "free"', context: '{ "account": event.account }' }],
        steps: [{ name: 'greet', type: 'transform', expression: '"welcome " & context.account' }],
        schedules: [{ name: 'yearly_report', cron: '0 0 1 1 *', timezone: 'Europe/Paris', input: { kind: 'report' } }],
      },
    });
  });

  const eventRows = async () =>
    Number((await server.orm.em.fork().getConnection().execute<Array<{ count: string }>>('select count(*) from domain_events'))[0]?.count);

  it.each([
    ['anonymous', 'UNAUTHENTICATED'],
    ['viewer', 'FORBIDDEN'],
    ['partner', 'FORBIDDEN'],
  ] as const)('refuses publishEvent to %s (%s) and records nothing', async (caller, code) => {
    const before = await eventRows();
    const response = await execute(
      server.url,
      PublishEventDocument,
      { name: 'account.signed_up', payload: { account: 'x', plan: 'pro' } },
      caller === 'anonymous' ? {} : headers[caller],
    );
    expect({ data: response.data, code: response.errors?.[0]?.extensions?.['code'] }).toEqual({ data: null, code });
    expect(await eventRows()).toBe(before);
  });

  it('publishes an event that the running dispatcher delivers: the execution it started, and back', async () => {
    const published = await execute(
      server.url,
      PublishEventDocument,
      { name: 'account.signed_up', payload: { account: 'acme', plan: 'pro' }, id: 'crm:signup-42' },
      headers.publisherKey,
    );
    expect(published.errors).toBeUndefined();
    const event = published.data?.publishEvent.event;
    expect(published.data?.publishEvent.created).toBe(true);
    expect(event).toMatchObject({
      name: 'account.signed_up',
      payload: { account: 'acme', plan: 'pro' },
      source: expect.stringMatching(/^api-key:/),
    });

    const read = await eventually(
      'the event starts on_signup',
      () => execute(server.url, DomainEventByIdDocument, { id: 'crm:signup-42' }, headers.operator),
      (response) => Boolean(response.data?.event.dispatchedAt) && (response.data?.event.executions.length ?? 0) > 0,
    );
    const shown = read.data?.event;
    expect(shown?.id).toBe(event?.id);
    expect(shown?.deliveries).toEqual([{ workflow: 'on_signup', status: 'STARTED', executionId: shown?.executions[0]?.id }]);
    expect(shown?.executions).toEqual([
      expect.objectContaining({
        context: { account: 'acme' },
        trigger: { type: 'EVENT', source: `account.signed_up:${event?.id}` },
        triggerEvent: { id: event?.id, name: 'account.signed_up' },
      }),
    ]);
    const execution = await execute(server.url, ExecutionTriggerEventDocument, { id: shown?.executions[0]?.id ?? '' }, headers.operator);
    expect(execution.data?.execution.triggerEvent).toEqual({
      id: event?.id,
      name: 'account.signed_up',
      payload: { account: 'acme', plan: 'pro' },
    });

    // The same id again: the first event, nothing recorded or delivered twice.
    const again = await execute(
      server.url,
      PublishEventDocument,
      { name: 'account.signed_up', payload: { account: 'other', plan: 'pro' }, id: 'crm:signup-42' },
      headers.operator,
    );
    expect(again.data?.publishEvent).toEqual({
      created: false,
      event: expect.objectContaining({ id: event?.id, payload: { account: 'acme', plan: 'pro' } }),
    });
    const after = await execute(server.url, DomainEventByIdDocument, { id: event?.id ?? '' }, headers.operator);
    expect(after.data?.event.executions).toHaveLength(1);
    expect(after.data?.event.dispatchedAt).toBe(shown?.dispatchedAt);

    // The same id for another event is a conflict; another tenant's same key is its own event, and this one is invisible there.
    const clash = await execute(
      server.url,
      PublishEventDocument,
      { name: 'account.closed', payload: {}, id: 'crm:signup-42' },
      headers.operator,
    );
    expect(clash.errors?.[0]?.extensions?.['code']).toBe('CONFLICT');
    const elsewhere = await execute(
      server.url,
      PublishEventDocument,
      { name: 'account.signed_up', payload: { account: 'x', plan: 'free' }, id: 'crm:signup-42' },
      headers.otherTenant,
    );
    expect(elsewhere.data?.publishEvent).toMatchObject({ created: true });
    expect(elsewhere.data?.publishEvent.event.id).not.toBe(event?.id);
    const hidden = await execute(server.url, DomainEventByIdDocument, { id: event?.id ?? '' }, headers.otherTenant);
    expect(hidden.errors?.[0]?.extensions?.['code']).toBe('NOT_FOUND');
  });

  it('refuses what is not an event: a bad name, an oversized id', async () => {
    const badName = await execute(server.url, PublishEventDocument, { name: 'SignedUp', payload: {} }, headers.operator);
    expect(badName.errors?.[0]).toMatchObject({
      message: expect.stringContaining('invalid event name'),
      extensions: { code: 'VALIDATION' },
    });
    const longId = await execute(
      server.url,
      PublishEventDocument,
      { name: 'account.signed_up', payload: {}, id: 'x'.repeat(201) },
      headers.operator,
    );
    expect(longId.errors?.[0]?.extensions?.['code']).toBe('VALIDATION');
  });

  it('lists events newest first, page by page, with what they started or why not', async () => {
    for (const plan of ['free', 'pro', 'team']) {
      const response = await execute(server.url, PublishEventDocument, { name: 'account.upgraded', payload: { plan } }, headers.operator);
      expect(response.errors).toBeUndefined();
    }
    const first = await execute(server.url, DomainEventsDocument, { filter: { name: 'account.upgraded' }, first: 2 }, headers.viewer);
    expect(first.data?.events.nodes.map((node) => node.payload['plan'])).toEqual(['team', 'pro']);
    expect(first.data?.events.hasNextPage).toBe(true);
    const second = await execute(
      server.url,
      DomainEventsDocument,
      { filter: { name: 'account.upgraded' }, first: 2, after: first.data?.events.endCursor ?? null },
      headers.viewer,
    );
    expect(second.data?.events.nodes.map((node) => node.payload['plan'])).toEqual(['free']);
    expect(second.data?.events.hasNextPage).toBe(false);
    const badCursor = await execute(server.url, DomainEventsDocument, { first: 2, after: 'nonsense' }, headers.viewer);
    expect(badCursor.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    const refused = await execute(server.url, DomainEventsDocument, { first: 2 }, headers.publisherKey);
    expect(refused.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
  });

  it('lists schedules with their next fire times; operators pause and resume them, viewers may not', async () => {
    const listed = await execute(server.url, SchedulesDocument, { workflow: 'on_signup', count: 3 }, headers.viewer);
    expect(listed.errors).toBeUndefined();
    const [schedule] = listed.data?.schedules ?? [];
    expect(schedule).toMatchObject({
      workflow: 'on_signup',
      name: 'yearly_report',
      cron: '0 0 1 1 *',
      timezone: 'Europe/Paris',
      input: { kind: 'report' },
      catchUp: 'SKIP',
      overlap: 'ALLOW',
      paused: false,
    });
    // Midnight of 1 January in Paris is 23:00 UTC the day before.
    const now = new Date();
    const year = now.getTime() < Date.UTC(now.getUTCFullYear(), 11, 31, 23) ? now.getUTCFullYear() : now.getUTCFullYear() + 1;
    expect(schedule?.nextFireTimes).toEqual([0, 1, 2].map((offset) => `${year + offset}-12-31T23:00:00.000Z`));
    expect(schedule?.nextFireAt).toBe(schedule?.nextFireTimes[0]);

    const forbidden = await execute(server.url, PauseScheduleDocument, { workflow: 'on_signup', name: 'yearly_report' }, headers.viewer);
    expect(forbidden.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    const paused = await execute(server.url, PauseScheduleDocument, { workflow: 'on_signup', name: 'yearly_report' }, headers.operator);
    expect(paused.data?.pauseSchedule).toEqual({ name: 'yearly_report', paused: true, nextFireAt: null, nextFireTimes: [] });
    const resumed = await execute(server.url, ResumeScheduleDocument, { workflow: 'on_signup', name: 'yearly_report' }, headers.operator);
    expect(resumed.data?.resumeSchedule).toMatchObject({ paused: false, nextFireAt: `${year}-12-31T23:00:00.000Z` });
    const unknown = await execute(server.url, ResumeScheduleDocument, { workflow: 'on_signup', name: 'weekly' }, headers.operator);
    expect(unknown.errors?.[0]?.extensions?.['code']).toBe('NOT_FOUND');
    const otherTenant = await execute(server.url, SchedulesDocument, { workflow: 'on_signup', count: 1 }, headers.otherTenant);
    expect(otherTenant.errors?.[0]?.extensions?.['code']).toBe('NOT_FOUND');
  });
});
