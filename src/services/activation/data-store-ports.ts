import type { KubernetesCallContext } from './kubernetes-port.js';

/** A call to a system outside, bounded by the step (its timeout, a lost lease). */
export type ExternalCallContext = KubernetesCallContext;

/** A database schema of the business and the role that owns it (NOLOGIN: no password exists to leak). */
export interface SchemaSpec {
  schema: string;
  role: string;
}

/**
 * Where a business's database schema is made: a PostgreSQL server (`postgresql`), or — none configured —
 * nowhere (`recorded`). Creating is idempotent (what exists counts as made); dropping removes the schema
 * with everything in it, then its role; what is gone already is not an error.
 */
export interface DatabasePort {
  /** `postgresql` or `recorded`: the `provider` of what it makes. */
  readonly name: string;
  /** Where it makes it, for the output: the server and database (no password), or why nowhere. */
  readonly target: string;
  createSchema(ctx: ExternalCallContext, spec: SchemaSpec): Promise<{ created: boolean }>;
  dropSchema(ctx: ExternalCallContext, spec: SchemaSpec): Promise<{ dropped: boolean }>;
}

/** Where a business's buckets are made: an S3-compatible object store (`s3`), or nowhere (`recorded`). */
export interface BucketPort {
  readonly name: string;
  readonly target: string;
  /** false: it was ours already (a retried step). */
  createBucket(ctx: ExternalCallContext, bucket: string): Promise<{ created: boolean }>;
  /** false: it was gone already. */
  deleteBucket(ctx: ExternalCallContext, bucket: string): Promise<{ deleted: boolean }>;
}

export type DnsRecordType = 'ALIAS' | 'CNAME' | 'MX' | 'TXT';

/** A record as written: `value` as a zone file has it, without the final dot (`10 mx.example.com`). */
export interface DnsRecord {
  type: DnsRecordType;
  name: string;
  value: string;
}

/**
 * Where a business's DNS records are written: a DNS server's API (`powerdns`), or nowhere (`recorded`).
 * Writing replaces the record sets named (idempotent); deleting removes them, gone already or not.
 */
export interface DnsPort {
  readonly name: string;
  readonly target: string;
  upsertRecords(ctx: ExternalCallContext, records: readonly DnsRecord[]): Promise<void>;
  deleteRecords(ctx: ExternalCallContext, records: readonly DnsRecord[]): Promise<void>;
}

export const RECORDED = 'recorded';

/** Nothing configured: nothing is made anywhere; the activation's rows are the only record, and the outputs say so. */
export function createRecordedDataStores(): { databases: DatabasePort; buckets: BucketPort; dns: DnsPort } {
  return {
    databases: {
      name: RECORDED,
      target: 'no tenant database configured (TENANT_DATABASE_URL): the schema is recorded, not created',
      createSchema: async () => ({ created: false }),
      dropSchema: async () => ({ dropped: false }),
    },
    buckets: {
      name: RECORDED,
      target: 'no object store configured (S3_ENDPOINT): the buckets are recorded, not created',
      createBucket: async () => ({ created: false }),
      deleteBucket: async () => ({ deleted: false }),
    },
    dns: {
      name: RECORDED,
      target: 'no DNS API configured (POWERDNS_API_URL): the records are recorded, not written',
      upsertRecords: async () => undefined,
      deleteRecords: async () => undefined,
    },
  };
}
