import { bearer, createUser, login } from '../../helpers/auth.js';
import { createTestDatabase } from '../../helpers/database.js';
import type { GraphQLResponse } from '../../helpers/graphql.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';

export const codeOf = (response: GraphQLResponse<unknown>) => response.errors?.[0]?.extensions?.['code'];

export interface DomainEvent {
  name: string;
  payload: Record<string, unknown>;
  source: string | null;
  tenant_id: string;
}

/** A server on a database of its own, with the headers of its tenant's admin, operator and viewer and of another tenant's admin. */
export interface DomainApi {
  server: TestServer;
  admin: Record<string, string>;
  operator: Record<string, string>;
  viewer: Record<string, string>;
  otherTenantAdmin: Record<string, string>;
  /** The domain events of that name, in the order they occurred. */
  events(name: string): Promise<DomainEvent[]>;
  stop(): Promise<void>;
}

export async function startDomainApi(): Promise<DomainApi> {
  const database = await createTestDatabase();
  const server = await startTestServer({ databaseUrl: database.url });
  const headersOf = async (role: 'admin' | 'operator' | 'viewer', tenantId?: string) => {
    const user = await createUser(server.orm, role, tenantId === undefined ? {} : { tenantId });
    return bearer((await login(server.url, user.email, user.password)).token);
  };
  return {
    server,
    admin: server.adminHeaders,
    operator: await headersOf('operator', server.adminTenantId),
    viewer: await headersOf('viewer', server.adminTenantId),
    otherTenantAdmin: await headersOf('admin'),
    events: (name) =>
      server.orm.em
        .fork()
        .getConnection()
        .execute<DomainEvent[]>('select name, payload, source, tenant_id from domain_events where name = ? order by occurred_at, id', [
          name,
        ]),
    async stop() {
      await server.stop();
      await database.drop();
    },
  };
}
