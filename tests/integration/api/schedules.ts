import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { JsonObject } from '../../../src/entities/json.js';
import { parse } from 'graphql';
import { bearer, createUser, login } from '../../helpers/auth.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { execute } from '../../helpers/graphql.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';

interface ListedSchedule {
  workflow: string;
  name: string;
  paused: boolean;
  nextFireTimes: string[];
}

/** `schedules` without a workflow: every schedule of the caller's tenant. */
const AllSchedules: TypedDocumentNode<{ schedules: ListedSchedule[] }, Record<string, never>> = parse(`
  query AllSchedules { schedules { workflow name paused nextFireTimes(count: 2) } }
`);

const steps = [{ name: 'only', type: 'transform', output: { ok: true } }];
const schedule = (name: string, cron: string) => ({ name, cron, timezone: 'UTC', input: {} });

describe('schedules over GraphQL: every schedule of the tenant', () => {
  let database: TestDatabase;
  let server: TestServer;
  let viewer: Record<string, string>;
  let otherTenant: Record<string, string>;

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer({ databaseUrl: database.url });
    const user = await createUser(server.orm, 'viewer', { tenantId: server.adminTenantId });
    viewer = bearer((await login(server.url, user.email, user.password)).token);
    const stranger = await createUser(server.orm, 'admin');
    otherTenant = bearer((await login(server.url, stranger.email, stranger.password)).token);
    const save = (tenantId: string, name: string, definition: JsonObject) => server.engine.workflows.save({ tenantId, name, definition });
    await save(server.adminTenantId, 'zeta_reports', {
      steps,
      schedules: [schedule('weekly', '0 6 * * 1'), schedule('daily', '0 6 * * *')],
    });
    await save(server.adminTenantId, 'alpha_cleanup', { steps, schedules: [schedule('nightly', '0 2 * * *')] });
    await save(server.adminTenantId, 'no_schedule', { steps });
    await save(stranger.tenantId, 'foreign', { steps, schedules: [schedule('hourly', '0 * * * *')] });
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  const listed = async (headers: Record<string, string>) => {
    const response = await execute(server.url, AllSchedules, undefined, headers);
    if (!response.data) throw new Error(JSON.stringify(response.errors));
    return response.data.schedules.map((row) => `${row.workflow}/${row.name}`);
  };

  it("lists the tenant's schedules by workflow and name, brought up to date with the current definitions, to a viewer", async () => {
    expect(await listed(viewer)).toEqual(['alpha_cleanup/nightly', 'zeta_reports/daily', 'zeta_reports/weekly']);
    const [first] = (await execute(server.url, AllSchedules, undefined, viewer)).data?.schedules ?? [];
    expect(first?.nextFireTimes).toHaveLength(2);

    // A new version without one of them, and a workflow that gains one: the list follows at once.
    await server.engine.workflows.save({
      tenantId: server.adminTenantId,
      name: 'zeta_reports',
      definition: { steps, schedules: [schedule('daily', '0 6 * * *')] },
      mode: 'update',
    });
    await server.engine.workflows.save({
      tenantId: server.adminTenantId,
      name: 'no_schedule',
      definition: { steps, schedules: [schedule('monthly', '0 0 1 * *')] },
      mode: 'update',
    });
    expect(await listed(viewer)).toEqual(['alpha_cleanup/nightly', 'no_schedule/monthly', 'zeta_reports/daily']);
  });

  it("shows another tenant only its own, and nobody's to an anonymous caller", async () => {
    expect(await listed(otherTenant)).toEqual(['foreign/hourly']);
    const anonymous = await execute(server.url, AllSchedules, undefined, {});
    expect({ data: anonymous.data ?? null, code: anonymous.errors?.[0]?.extensions?.['code'] }).toEqual({
      data: null,
      code: 'UNAUTHENTICATED',
    });
  });
});
