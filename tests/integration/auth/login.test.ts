import { decodeJwt } from 'jose';
import { LoginRefusedError, createAuthService } from '../../../src/auth/auth-service.js';
import { PERMISSIONS } from '../../../src/auth/permissions.js';
import { createTokenService } from '../../../src/auth/tokens.js';
import { NO_PASSWORD } from '../../../src/auth/users/users.js';
import { User } from '../../../src/entities/user.entity.js';
import { createLogger } from '../../../src/logger.js';
import { hashPassword, verifyPassword } from '../../../src/services/passwords.js';
import { ApiKeysDocument, LoginDocument, MeDocument } from '../../generated/graphql.js';
import {
  TEST_ADMIN_EMAIL,
  TEST_ADMIN_PASSWORD,
  TEST_JWT_SECRET,
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
    // JWT_TTL_SECONDS defaults to 900: the token ends 900 s after it was issued, when the answer says it does.
    const { iat, exp } = decodeJwt(payload?.token ?? '');
    expect(exp! - iat!).toBe(900);
    expect(Date.parse(payload?.expiresAt ?? '')).toBe(exp! * 1000);

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

  it('verifies a dummy hash, as costly as a real one, for an unknown e-mail and for an invited user (as long to refuse)', async () => {
    const verified: Array<{ passwordHash: string; password: string }> = [];
    const auth = createAuthService({
      orm: server.orm,
      tokens: createTokenService({ secret: new TextEncoder().encode(TEST_JWT_SECRET), ttlSeconds: 900 }),
      logger: createLogger('silent'),
      passwords: {
        hash: hashPassword,
        verify: (passwordHash, password) => {
          verified.push({ passwordHash, password });
          return verifyPassword(passwordHash, password);
        },
      },
    });
    const invited = await createUser(server.orm, 'viewer');
    await server.orm.em.fork().nativeUpdate(User, { id: invited.id }, { passwordHash: NO_PASSWORD });

    await expect(auth.login('nobody@example.test', 'guess-1')).rejects.toThrow(LoginRefusedError);
    await expect(auth.login(operator.email, 'guess-2')).rejects.toThrow(LoginRefusedError);
    await expect(auth.login(invited.email, 'guess-3')).rejects.toThrow(LoginRefusedError);

    const stored = await server.orm.em.fork().findOneOrFail(User, { id: operator.id }, { populate: ['passwordHash'] });
    expect(verified.map((call) => call.password)).toEqual(['guess-1', 'guess-2', 'guess-3']);
    const [unknown, wrong, uninvited] = verified.map((call) => call.passwordHash);
    expect(wrong).toBe(stored.passwordHash);
    expect(uninvited).toBe(unknown);
    expect(unknown).not.toBe(stored.passwordHash);
    // The same algorithm, version and cost (memory, iterations, lanes) as a real password's: as long to verify.
    const costOf = (passwordHash: string | undefined) => passwordHash?.split('$').slice(1, 4);
    expect(costOf(unknown)).toEqual(costOf(stored.passwordHash));
    expect(costOf(unknown)?.[0]).toBe('argon2id');
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
