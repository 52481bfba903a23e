import pg from 'pg';
import { AppError, coerceError } from '../../errors.js';
import type { DatabasePort, ExternalCallContext, SchemaSpec } from './data-store-ports.js';

export interface PostgresSchemasOptions {
  /** The database tenants' schemas are made in: `postgres://user:password@host:5432/tenants`. Its user needs CREATEROLE and CREATE on the database. */
  url: string;
  connectTimeoutMs?: number;
}

/** Tenant schema and role names are made by us from slugs; anything else is refused before it reaches SQL. */
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** SQLSTATEs of a server that cannot serve now (connection, shutdown, too many clients): worth a retry. */
const UNAVAILABLE = /^(08|53|57P0)/;

/**
 * A business's schema in a PostgreSQL database: a NOLOGIN role `<schema>_owner` (the tenant's services are
 * granted it; no password is made) and `CREATE SCHEMA … AUTHORIZATION` it, in one transaction. Dropping
 * removes the schema with all it holds (`CASCADE`), then the role.
 */
export function createPostgresSchemas(options: PostgresSchemasOptions): DatabasePort {
  const parsed = new URL(options.url);
  const target = `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;

  async function session<T>(ctx: ExternalCallContext, what: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
    const client = new pg.Client({ connectionString: options.url, connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000 });
    // The step gave up (timeout, lost lease): close the connection, which ends the statement with it.
    const abort = () => void client.end().catch(() => undefined);
    ctx.signal.addEventListener('abort', abort, { once: true });
    try {
      await client.connect();
      await client.query('begin');
      const result = await work(client);
      await client.query('commit');
      return result;
    } catch (error) {
      throw failure(what, target, error);
    } finally {
      ctx.signal.removeEventListener('abort', abort);
      await client.end().catch(() => undefined);
    }
  }

  return {
    name: 'postgresql',
    target: `postgresql://${target}`,
    async createSchema(ctx, spec) {
      const { schema, role } = identifiers(spec);
      return session(ctx, `create schema ${spec.schema}`, async (client) => {
        const existed = (await client.query('select 1 from pg_namespace where nspname = $1', [spec.schema])).rowCount === 1;
        const roleExists = (await client.query('select 1 from pg_roles where rolname = $1', [spec.role])).rowCount === 1;
        if (!roleExists) await client.query(`create role ${role} nologin`);
        await client.query(`create schema if not exists ${schema} authorization ${role}`);
        return { created: !existed };
      });
    },
    async dropSchema(ctx, spec) {
      const { schema, role } = identifiers(spec);
      return session(ctx, `drop schema ${spec.schema}`, async (client) => {
        const existed = (await client.query('select 1 from pg_namespace where nspname = $1', [spec.schema])).rowCount === 1;
        await client.query(`drop schema if exists ${schema} cascade`);
        await client.query(`drop role if exists ${role}`);
        return { dropped: existed };
      });
    },
  };
}

function identifiers(spec: SchemaSpec): { schema: string; role: string } {
  for (const name of [spec.schema, spec.role]) {
    if (!IDENTIFIER.test(name))
      throw new AppError('VALIDATION', `${name} is not a schema or role name we make (lower-case letters, digits, _; at most 63)`);
  }
  return { schema: pg.escapeIdentifier(spec.schema), role: pg.escapeIdentifier(spec.role) };
}

function failure(what: string, target: string, error: unknown): AppError {
  if (error instanceof AppError) return error;
  const cause = coerceError(error);
  const code = typeof (error as { code?: unknown }).code === 'string' ? (error as { code: string }).code : '';
  // No SQLSTATE: the server was not reached (refused, reset, timed out).
  if (code === '' || code.startsWith('E') || UNAVAILABLE.test(code)) {
    return new AppError('EXTERNAL_UNAVAILABLE', `PostgreSQL at ${target} is unavailable: ${what}: ${cause.message}`, {
      cause: error,
      details: { sqlState: code || null },
    });
  }
  // 42501: the configured user may not create roles or schemas — a setting to fix, not a moment to wait out.
  return new AppError('EXTERNAL_UNAVAILABLE', `PostgreSQL at ${target} refused to ${what}: ${cause.message}`, {
    cause: error,
    retryable: false,
    details: { sqlState: code },
  });
}
