import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { dnsRecordsOf } from '../../../../src/services/activation/dns.js';
import { createPostgresSchemas } from '../../../../src/services/activation/postgres-schemas.js';
import { createPowerDns } from '../../../../src/services/activation/powerdns-http.js';
import { createS3Buckets } from '../../../../src/services/activation/s3-buckets.js';
import { signS3Request } from '../../../../src/services/activation/s3-signing.js';
import { createTestDatabase, type TestDatabase } from '../../../helpers/database.js';
import { startFakePowerDns, type FakePowerDns } from '../../../helpers/fake-powerdns.js';
import { startFakeS3, type FakeS3 } from '../../../helpers/fake-s3.js';
import { ctx, failure } from './adapter-failure.js';

describe('SigV4 signing', () => {
  it("signs AWS's own example request to the signature AWS documents", () => {
    // https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html, "GET Object".
    const headers = signS3Request(
      { method: 'GET', url: new URL('https://examplebucket.s3.amazonaws.com/test.txt'), headers: { range: 'bytes=0-9' }, body: '' },
      { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', region: 'us-east-1' },
      new Date('2013-05-24T00:00:00Z'),
    );
    expect(headers['authorization']).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
  });
});

describe('the S3 bucket adapter, against a local fake of the S3 API checking every signature', () => {
  let s3: FakeS3;
  beforeAll(async () => {
    s3 = await startFakeS3();
  });
  afterAll(async () => {
    await s3.stop();
  });
  const adapter = (secretAccessKey = s3.secretAccessKey) =>
    createS3Buckets({ endpoint: s3.url, region: s3.region, accessKeyId: s3.accessKeyId, secretAccessKey });

  it('creates a bucket in its region once, deletes it once, and takes what is already done as done', async () => {
    const buckets = adapter();
    expect(await buckets.createBucket(ctx, 'tenant-one-files')).toEqual({ created: true });
    expect(await buckets.createBucket(ctx, 'tenant-one-files')).toEqual({ created: false });
    expect([...s3.buckets.keys()]).toContain('tenant-one-files');
    expect(await buckets.deleteBucket(ctx, 'tenant-one-files')).toEqual({ deleted: true });
    expect(await buckets.deleteBucket(ctx, 'tenant-one-files')).toEqual({ deleted: false });
    expect(s3.buckets.has('tenant-one-files')).toBe(false);
  });

  it('refuses to delete a bucket someone put data in, refuses a wrong secret, and retries a throttled store', async () => {
    const buckets = adapter();
    await buckets.createBucket(ctx, 'tenant-two-backups');
    s3.buckets.get('tenant-two-backups')?.add('backup-1.tar');
    expect(await failure(buckets.deleteBucket(ctx, 'tenant-two-backups'))).toMatchObject({
      code: 'CONFLICT',
      retryable: false,
      message: expect.stringContaining('BucketNotEmpty'),
    });
    expect(await failure(adapter('not-the-secret').createBucket(ctx, 'tenant-three-files'))).toMatchObject({
      code: 'EXTERNAL_UNAVAILABLE',
      retryable: false,
      message: expect.stringContaining('SignatureDoesNotMatch'),
    });
    s3.failNext(1);
    expect(await failure(buckets.createBucket(ctx, 'tenant-three-files'))).toMatchObject({ code: 'EXTERNAL_UNAVAILABLE', retryable: true });
    expect(s3.buckets.has('tenant-three-files')).toBe(false);
  });
});

describe('the PowerDNS adapter, against a local fake of its zone API', () => {
  let pdns: FakePowerDns;
  beforeAll(async () => {
    pdns = await startFakePowerDns('switchyard.test');
  });
  afterAll(async () => {
    await pdns.stop();
  });
  const adapter = (apiKey = pdns.apiKey) => createPowerDns({ url: pdns.url, apiKey, zone: 'switchyard.test' });

  it("writes a business's records in canonical form (again: the same), and deletes them", async () => {
    const records = dnsRecordsOf('acme.switchyard.test', 'switchyard.test', true);
    await adapter().upsertRecords(ctx, records);
    await adapter().upsertRecords(ctx, records);
    expect(Object.fromEntries(pdns.rrsets)).toEqual({
      'acme.switchyard.test. ALIAS': ['ingress.switchyard.test.'],
      'www.acme.switchyard.test. CNAME': ['acme.switchyard.test.'],
      'api.acme.switchyard.test. CNAME': ['ingress.switchyard.test.'],
      'acme.switchyard.test. MX': ['10 mx.switchyard.test.'],
      'acme.switchyard.test. TXT': ['"v=spf1 include:_spf.switchyard.test ~all"'],
      'switchyard._domainkey.acme.switchyard.test. CNAME': ['dkim.switchyard.test.'],
      '_dmarc.acme.switchyard.test. TXT': ['"v=DMARC1; p=quarantine; rua=mailto:dmarc@acme.switchyard.test"'],
    });
    await adapter().deleteRecords(ctx, records);
    expect(pdns.rrsets.size).toBe(0);
  });

  it('refuses a name outside its zone before calling, passes on what PowerDNS refuses, and retries it when it is down', async () => {
    expect(await failure(adapter().upsertRecords(ctx, dnsRecordsOf('shop.example.org', 'switchyard.test', false)))).toMatchObject({
      code: 'VALIDATION',
      retryable: false,
    });
    // A CNAME beside the MX a mail domain needs: why the domain itself takes an ALIAS.
    const clash = [
      { type: 'CNAME' as const, name: 'b.switchyard.test', value: 'ingress.switchyard.test' },
      { type: 'MX' as const, name: 'b.switchyard.test', value: '10 mx.switchyard.test' },
    ];
    expect(await failure(adapter().upsertRecords(ctx, clash))).toMatchObject({
      code: 'VALIDATION',
      retryable: false,
      message: expect.stringContaining('Conflicts with pre-existing RRset'),
    });
    expect(
      await failure(adapter('wrong-key').upsertRecords(ctx, dnsRecordsOf('c.switchyard.test', 'switchyard.test', false))),
    ).toMatchObject({ code: 'EXTERNAL_UNAVAILABLE', retryable: false });
    pdns.failNext(1);
    expect(await failure(adapter().upsertRecords(ctx, dnsRecordsOf('c.switchyard.test', 'switchyard.test', false)))).toMatchObject({
      code: 'EXTERNAL_UNAVAILABLE',
      retryable: true,
    });
    expect(pdns.rrsets.size).toBe(0);
  });
});

describe('the PostgreSQL schema adapter, against a real PostgreSQL database', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase({ empty: true });
  });
  afterAll(async () => {
    await database?.drop();
  });
  const inDatabase = async <T extends pg.QueryResultRow>(sql: string, params: unknown[] = []) => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      return (await client.query<T>(sql, params)).rows;
    } finally {
      await client.end();
    }
  };

  it('makes the schema owned by a NOLOGIN role (again: made already), and drops both', async () => {
    const databases = createPostgresSchemas({ url: database.url });
    const spec = { schema: 'tenant_pg_adapter_test', role: 'tenant_pg_adapter_test_owner' };
    expect(await databases.createSchema(ctx, spec)).toEqual({ created: true });
    expect(await databases.createSchema(ctx, spec)).toEqual({ created: false });
    expect(
      await inDatabase(
        'select n.nspname, r.rolname, r.rolcanlogin from pg_namespace n join pg_roles r on r.oid = n.nspowner where n.nspname = $1',
        [spec.schema],
      ),
    ).toEqual([{ nspname: spec.schema, rolname: spec.role, rolcanlogin: false }]);
    await inDatabase(`create table ${spec.schema}.orders (id int)`);
    expect(await databases.dropSchema(ctx, spec)).toEqual({ dropped: true });
    expect(await databases.dropSchema(ctx, spec)).toEqual({ dropped: false });
    expect(
      await inDatabase('select 1 from pg_namespace where nspname = $1 union all select 1 from pg_roles where rolname = $2', [
        spec.schema,
        spec.role,
      ]),
    ).toEqual([]);
  });

  it('says a server it cannot reach is unavailable (retried), and refuses a name it would not make', async () => {
    const closed = new URL(database.url);
    closed.port = '1';
    expect(
      await failure(createPostgresSchemas({ url: closed.toString() }).createSchema(ctx, { schema: 'tenant_x', role: 'tenant_x_owner' })),
    ).toMatchObject({ code: 'EXTERNAL_UNAVAILABLE', retryable: true });
    expect(await failure(createPostgresSchemas({ url: database.url }).createSchema(ctx, { schema: 'x"; drop', role: 'r' }))).toMatchObject({
      code: 'VALIDATION',
    });
  });
});
