import { createHash } from 'node:crypto';
import { IpPool } from '../../../../src/entities/domain/ip-pool.entity.js';
import { RadCheck, RadReply, RadUserGroup } from '../../../../src/entities/domain/radius.entity.js';
import { VlanRange } from '../../../../src/entities/domain/vlan-range.entity.js';
import { countRows, setUpOperations, type OperationsTestContext } from './support/context.js';

interface Subscriber {
  radcheckId: number;
  username: string;
  password: string;
  framedIpAddress: string;
}

/** What rlm_pap does with an SSHA2-256-Password: split digest and salt, hash the offered password with the salt. */
function papAccepts(stored: string, offered: string): boolean {
  const raw = Buffer.from(stored, 'base64');
  const digest = raw.subarray(0, 32);
  const salt = raw.subarray(32);
  return salt.length > 0 && createHash('sha256').update(offered).update(salt).digest().equals(digest);
}

describe('radius.createSubscriber and deleteSubscriber', () => {
  let context: OperationsTestContext;
  let username: string;

  beforeAll(async () => {
    context = await setUpOperations();
    const em = context.orm.em.fork();
    em.create(IpPool, { tenant: context.tenantId, name: 'pop', location: 'pop', cidr: '100.64.8.0/24', gateway: '100.64.8.1' });
    em.create(VlanRange, { tenant: context.tenantId, name: 'pop', location: 'pop', firstVlan: 10, lastVlan: 20 });
    await em.flush();
    const allocated = (await context.call('network', 'allocateResources', {
      customerId: context.customerId,
      serviceLocation: 'pop',
      bandwidthPlan: '100M/20M',
    })) as {
      username: string;
    };
    username = allocated.username;
  });
  afterAll(() => context.close());

  it('writes FreeRADIUS rows: a hashed password, the framed IP, rate limits and the profile group', async () => {
    const result = (await context.call('radius_service', 'create_subscriber', {
      customer_id: context.customerId,
      username,
      bandwidth_profile: '100M/20M',
    })) as unknown as Subscriber;
    expect(result).toMatchObject({
      username,
      framedIpAddress: '100.64.8.2',
      rateLimit: '20M/100M',
      groupName: 'bw-100M-20M',
      radcheckId: expect.any(Number),
    });
    expect(result.password).toMatch(/^[A-Za-z0-9]{20}$/);

    const em = context.orm.em.fork();
    const checks = await em.find(RadCheck, { username });
    expect(checks).toHaveLength(1);
    expect(checks[0]).toMatchObject({ id: result.radcheckId, attribute: 'SSHA2-256-Password', op: ':=' });
    expect(checks[0]!.value).not.toContain(result.password);
    expect(papAccepts(checks[0]!.value, result.password)).toBe(true);
    expect(papAccepts(checks[0]!.value, 'wrong password')).toBe(false);

    const replies = await em.find(RadReply, { username }, { orderBy: { id: 'asc' } });
    expect(replies.map((reply) => [reply.attribute, reply.op, reply.value])).toEqual([
      ['Framed-IP-Address', ':=', '100.64.8.2'],
      ['Mikrotik-Rate-Limit', ':=', '20M/100M'],
      ['WISPr-Bandwidth-Max-Down', ':=', '100000000'],
      ['WISPr-Bandwidth-Max-Up', ':=', '20000000'],
    ]);
    const groups = await em.find(RadUserGroup, { username });
    expect(groups.map((group) => [group.groupName, group.priority])).toEqual([['bw-100M-20M', 1]]);
  });

  it("keeps FreeRADIUS's column names, so its stock queries read the rows", async () => {
    const connection = context.orm.em.fork().getConnection();
    // The authorize_check_query and group query of raddb/mods-config/sql/main/postgresql/queries.conf.
    const check = await connection.execute(`SELECT id, UserName, Attribute, Value, Op FROM radcheck WHERE Username = ? ORDER BY id`, [
      username,
    ]);
    expect(check).toHaveLength(1);
    const groups = await connection.execute(`SELECT GroupName FROM radusergroup WHERE UserName = ? ORDER BY priority`, [username]);
    expect(groups).toEqual([{ groupname: 'bw-100M-20M' }]);
  });

  it('replaces the rows and issues a new password when asked again under another key', async () => {
    const again = (await context.call('radius', 'createSubscriber', {
      customerId: context.customerId,
      username,
      bandwidthProfile: '1G/500M',
    })) as unknown as Subscriber;
    const em = context.orm.em.fork();
    const [check] = await em.find(RadCheck, { username });
    expect(papAccepts(check!.value, again.password)).toBe(true);
    expect(await em.count(RadCheck, { username })).toBe(1);
    expect((await em.findOneOrFail(RadReply, { username, attribute: 'Mikrotik-Rate-Limit' })).value).toBe('500M/1000M');
  });

  it('changes nothing when called again with the same idempotency key', async () => {
    const params = { customerId: context.customerId, username, bandwidthProfile: '100M/20M' };
    const first = await context.call('radius', 'createSubscriber', params, { key: 'exec-4:create_radius' });
    const value = (await context.orm.em.fork().findOneOrFail(RadCheck, { username })).value;
    expect(await context.call('radius', 'createSubscriber', params, { key: 'exec-4:create_radius' })).toEqual(first);
    expect((await context.orm.em.fork().findOneOrFail(RadCheck, { username })).value).toBe(value);
  });

  it("refuses unknown users, another customer's user and unreadable profiles", async () => {
    await expect(
      context.call('radius', 'createSubscriber', { customerId: context.customerId, username: 'svc-unknown', bandwidthProfile: '10M' }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    const other = await context.createCustomer('Eve');
    await expect(
      context.call('radius', 'createSubscriber', { customerId: other, username, bandwidthProfile: '10M' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      context.call('radius', 'createSubscriber', { customerId: context.customerId, username, bandwidthProfile: 'fast please' }),
    ).rejects.toMatchObject({
      code: 'VALIDATION',
    });
  });

  it('deletes the subscriber, idempotently', async () => {
    const first = await context.call('radius', 'deleteSubscriber', { username }, { key: 'exec-4:compensate' });
    expect(first).toEqual({ username, removedRows: 6 });
    expect(await countRows(context, 'radcheck')).toBe(0);
    expect(await countRows(context, 'radreply')).toBe(0);
    expect(await countRows(context, 'radusergroup')).toBe(0);
    expect(await context.call('radius', 'deleteSubscriber', { username }, { key: 'exec-4:compensate' })).toEqual(first);
    expect(await context.call('radius', 'deleteSubscriber', { username })).toEqual({ username, removedRows: 0 });
  });
});
