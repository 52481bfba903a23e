import { PERMISSIONS } from '../../../src/auth/permissions.js';
import { ApiKeysDocument, LoginDocument, MeDocument } from '../../generated/graphql.js';
import {
  TEST_ADMIN_EMAIL,
  TEST_ADMIN_PASSWORD,
  bearer,
  createUser,
  login,
  signToken,
  unsignedToken,
  type TestUser,
} from '../../helpers/auth.js';
import { installManualClock } from '../../helpers/clock.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { execute } from '../../helpers/graphql.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';

describe('logging in and tokens', () => {
  let database: TestDatabase;
  let server: TestServer;
  let operator: TestUser;

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer({ databaseUrl: database.url });
    operator = await createUser(server.orm, 'operator');
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  const codeOf = (response: { errors?: ReadonlyArray<{ extensions?: Record<string, unknown> }> }) =>
    response.errors?.[0]?.extensions?.['code'];

  it('gives a user a short-lived token that says who it is', async () => {
    const before = Date.now();
    const response = await execute(server.url, LoginDocument, { email: ` ${operator.email.toUpperCase()} `, password: operator.password });
    expect(response.errors).toBeUndefined();
    const payload = response.data?.login;
    expect(payload?.viewer).toMatchObject({
      kind: 'USER',
      id: operator.id,
      name: operator.email,
      role: 'OPERATOR',
      tenant: { id: operator.tenantId },
    });
    expect(payload?.viewer.permissions).toEqual(
      expect.arrayContaining([
        'WORKFLOW_VIEW',
        'WORKFLOW_EXECUTE',
        'EXECUTION_CANCEL',
        'EXECUTION_RETRY',
        'EXECUTION_PAUSE',
        'EVENT_PUBLISH',
      ]),
    );
    expect(payload?.viewer.permissions).not.toContain('APIKEY_MANAGE');
    // JWT_TTL_SECONDS defaults to 900.
    const expiresAt = Date.parse(payload?.expiresAt ?? '');
    expect(expiresAt - before).toBeGreaterThan(890_000);
    expect(expiresAt - before).toBeLessThanOrEqual(901_000);

    const me = await execute(server.url, MeDocument, undefined, bearer(payload?.token ?? ''));
    expect(me.errors).toBeUndefined();
    expect(me.data?.me).toMatchObject({
      kind: 'USER',
      id: operator.id,
      role: 'OPERATOR',
      tenant: { id: operator.tenantId },
      expiresAt: payload?.expiresAt,
    });
  });

  it('refuses a wrong password and an unknown e-mail alike, and an inactive user', async () => {
    const inactive = await createUser(server.orm, 'viewer', { active: false });
    const attempts = [
      { email: operator.email, password: 'not-the-password' },
      { email: 'nobody@example.test', password: operator.password },
      { email: inactive.email, password: inactive.password },
    ];
    for (const attempt of attempts) {
      const response = await execute(server.url, LoginDocument, attempt);
      expect(response.data).toBeNull();
      expect(response.errors).toEqual([
        expect.objectContaining({
          message: 'invalid e-mail or password',
          extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }),
        }),
      ]);
    }
  });

  it('takes about as long for an unknown e-mail as for a wrong password (a dummy hash is verified)', async () => {
    const time = async (email: string) => {
      const started = performance.now();
      await execute(server.url, LoginDocument, { email, password: 'wrong-password' });
      return performance.now() - started;
    };
    await time('warm-up@example.test');
    const unknown = await time('nobody@example.test');
    const known = await time(operator.email);
    // argon2id takes tens of milliseconds; answering an unknown e-mail without it would take ~1 ms.
    expect(unknown).toBeGreaterThan(known / 3);
  });

  it('refuses forged, expired, mis-addressed and unsigned tokens with 401 UNAUTHENTICATED', async () => {
    const claims = { sub: operator.id, tid: operator.tenantId };
    const valid = await signToken(claims);
    expect((await execute(server.url, MeDocument, undefined, bearer(valid))).data?.me.id).toBe(operator.id);

    const refused = {
      'wrong secret': await signToken(claims, { secret: 'another-secret-another-secret-another-secret' }),
      expired: await signToken(claims, { expiresAt: new Date(Date.now() - 1_000) }),
      'wrong audience': await signToken(claims, { audience: 'someone-else' }),
      'wrong issuer': await signToken(claims, { issuer: 'someone-else' }),
      'alg none': unsignedToken(claims),
      HS512: await signToken(claims, { algorithm: 'HS512' }),
      'a tenant it does not belong to': await signToken({ sub: operator.id, tid: server.adminTenantId }),
      garbage: 'not.a.token',
    };
    for (const [what, token] of Object.entries(refused)) {
      const response = await execute(server.url, MeDocument, undefined, bearer(token));
      expect({ what, status: response.status, code: codeOf(response), data: response.data }).toEqual({
        what,
        status: 401,
        code: 'UNAUTHENTICATED',
        data: undefined,
      });
    }
    const malformedHeader = await execute(server.url, MeDocument, undefined, { authorization: `Token ${valid}` });
    expect([malformedHeader.status, codeOf(malformedHeader)]).toEqual([401, 'UNAUTHENTICATED']);
  });

  it('answers UNAUTHENTICATED without a credential, FORBIDDEN without the permission', async () => {
    const anonymous = await execute(server.url, MeDocument);
    expect([anonymous.status, anonymous.data, codeOf(anonymous)]).toEqual([200, null, 'UNAUTHENTICATED']);

    const { token } = await login(server.url, operator.email, operator.password);
    const forbidden = await execute(server.url, ApiKeysDocument, { tenant: null }, bearer(token));
    expect([forbidden.data, codeOf(forbidden)]).toEqual([null, 'FORBIDDEN']);
  });

  it('stops accepting a token once its user is deactivated (within the 2 s a user lookup is trusted)', async () => {
    // The lookup is trusted by the ORM's clock: moved on by hand rather than waited for.
    const clock = installManualClock(server);
    const user = await createUser(server.orm, 'viewer');
    const { token } = await login(server.url, user.email, user.password);
    expect((await execute(server.url, MeDocument, undefined, bearer(token))).data?.me.id).toBe(user.id);
    await server.orm.em.fork().getConnection().execute('update users set active = false where id = ?', [user.id]);
    clock.advance(1_900);
    const trusted = await execute(server.url, MeDocument, undefined, bearer(token));
    expect(trusted.data?.me.id).toBe(user.id);
    clock.advance(200);
    const response = await execute(server.url, MeDocument, undefined, bearer(token));
    expect([response.status, codeOf(response)]).toEqual([401, 'UNAUTHENTICATED']);
  });

  it('knows the bootstrapped admin', async () => {
    const { token } = await login(server.url, TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD);
    const me = await execute(server.url, MeDocument, undefined, bearer(token));
    expect(me.data?.me).toMatchObject({ kind: 'USER', name: TEST_ADMIN_EMAIL, role: 'ADMIN', tenant: { slug: 'default' } });
    expect(me.data?.me.permissions).toHaveLength(PERMISSIONS.length);
  });
});
