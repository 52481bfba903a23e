import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_CLAIM_DEFER_MS } from './engine/runtime/claim-pacing.js';
import { DEFAULT_ENGINE_CONFIG } from './engine/engine-deps.js';

/** How a first start without demo data gives the default tenant the built-in workflows (Config.builtInWorkflows). */
export const BUILT_IN_SEEDINGS = ['inactive', 'active', 'none'] as const;
export type BuiltInSeeding = (typeof BUILT_IN_SEEDINGS)[number];

/**
 * Every setting Switchyard reads, validated once. `loadConfig` has no side effects: it reads the
 * environment object it is given and either returns a typed config or throws a ConfigError that
 * lists every problem at once, each naming the setting.
 */

export const PROCESS_ROLES = ['api', 'worker', 'scheduler'] as const;
export type ProcessRole = (typeof PROCESS_ROLES)[number];

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export interface Config {
  readonly nodeEnv: 'development' | 'production' | 'test';
  readonly logLevel: LogLevel;
  /** Unset: readable lines on a terminal, JSON otherwise. */
  readonly logFormat: LogFormat | undefined;
  readonly roles: ReadonlySet<ProcessRole>;
  readonly http: {
    readonly host: string;
    /** 0 asks the OS for a free port (tests). */
    readonly port: number;
    /** Seconds given to open HTTP requests and websockets to finish on shutdown. */
    readonly shutdownGraceSeconds: number;
    /** Where a process without the api role serves /healthz and /readyz (unset: nowhere). */
    readonly healthPort: number | undefined;
  };
  /**
   * `GET /metrics` (Prometheus): on `port` when set (not public); else on the main port, behind
   * `Authorization: Bearer <token>` when a token is set; without either, on the main port outside
   * production only.
   */
  readonly metrics: {
    readonly port: number | undefined;
    readonly token: string | undefined;
    /** The tenant id as a label of the run and step metrics (one series per tenant): off unless asked for. */
    readonly tenantLabels: boolean;
  };
  readonly database: {
    /** Undefined: start the embedded PostgreSQL under `dataDir`. */
    readonly url: string | undefined;
    readonly poolSize: number;
  };
  /** Undefined: in-process pub/sub (a single process serves every subscriber). */
  readonly redisUrl: string | undefined;
  /**
   * How long an `executionProgress` stream waits for a live event before it reads the run's log again
   * (doubling while nothing comes, up to a minute); undefined: the stream's default (5 s). The live
   * feed (Redis between processes) is what delivers events; this only bounds what a lost one costs.
   */
  readonly progressIdlePollMs: number | undefined;
  /** Where the embedded database and other local state live. Absolute. */
  readonly dataDir: string;
  /** Seed demo data (plans, a partner, a lead, a quote, a site survey…) on the first start of an empty database. */
  readonly demoData: boolean;
  /**
   * Without demo data (which brings them active): whether a first start seeds the default tenant with the
   * built-in workflows, and the e-mail templates they send — `inactive` (the default: there, no trigger
   * fires until an admin activates one), `active`, or `none`.
   */
  readonly builtInWorkflows: BuiltInSeeding;
  readonly auth: {
    /** Undefined: a secret made once and kept in `<dataDir>/jwt-secret` (src/auth/jwt-secret.ts). */
    readonly jwtSecret: string | undefined;
    readonly jwtTtlSeconds: number;
    /** The admin created on first start of an empty database; no password: a random one, printed once. */
    readonly admin: { readonly email: string; readonly password: string | undefined };
  };
  readonly engine: {
    /** A worker that stops renewing its lease (killed, partitioned) loses its executions after this. */
    readonly leaseSeconds: number;
    /** Executions one worker process runs at once. */
    readonly workerConcurrency: number;
    /** How long a run is left to the primary worker before the others claim it (twice as long for a saturated worker); 0: no packing. */
    readonly claimDeferMs: number;
    /** How often a worker looks for executions whose worker died. */
    readonly recoveryIntervalSeconds: number;
    /** The limit of one attempt of a service_call step that sets no timeoutSeconds (EngineConfig.defaultStepTimeoutSeconds); 0: none. */
    readonly defaultStepTimeoutSeconds: number;
    /** Runs started here go straight to this process's worker (see EngineConfig.runStartsLocally). */
    readonly runStartsLocally: boolean;
    /** At most this many top-level runs of one tenant in progress at once; undefined: no limit. */
    readonly tenantConcurrencyLimit: number | undefined;
  };
  /** Systems outside: SMTP for the e-mail outbox, the GenieACS NBI, optionally NetBox IPAM. */
  readonly integrations: {
    readonly smtp: { readonly url: string; readonly from: string } | undefined;
    readonly genieacsUrl: string;
    readonly netbox: { readonly url: string; readonly token: string } | undefined;
    /** Payment intents through Stripe's API instead of the built-in ledger's asynchronous mode. */
    readonly stripe: { readonly apiKey: string; readonly url: string } | undefined;
    /**
     * business_activation's cluster: the Kubernetes API server and a bearer token; without it the objects are only recorded.
     * With `certificateIssuer` (CERT_MANAGER_ISSUER) each business's certificate is a cert-manager Certificate there.
     */
    readonly kubernetes:
      | {
          readonly url: string;
          readonly token: string;
          readonly certificateIssuer: { kind: 'ClusterIssuer' | 'Issuer'; name: string } | undefined;
        }
      | undefined;
    /** business_activation's copilots: an OpenAI-compatible chat-completions API; without it the built-in responder. */
    readonly copilot: { readonly url: string; readonly apiKey: string | undefined; readonly model: string } | undefined;
    /** business_activation's tenant schemas: a PostgreSQL database (its user may create roles); without it they are only recorded. */
    readonly tenantDatabaseUrl: string | undefined;
    /** business_activation's buckets: an S3-compatible API (path-style); without it they are only recorded. */
    readonly s3:
      { readonly endpoint: string; readonly region: string; readonly accessKeyId: string; readonly secretAccessKey: string } | undefined;
    /** business_activation's DNS records: a PowerDNS API and the zone to write in (default: the tenant domain); without it they are only recorded. */
    readonly powerDns:
      { readonly url: string; readonly apiKey: string; readonly serverId: string; readonly zone: string | undefined } | undefined;
    /** Where this deployment's API is reached (`https://switchyard.example.com`): the ledger's confirmations go to its /webhooks/payments. */
    readonly publicUrl: string | undefined;
  };
  /** Per tenant (users) or per API key, per process; perMinute 0 turns it off. */
  readonly rateLimit: { readonly perMinute: number; readonly burst: number };
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

const emptyAsUndefined = (value: unknown): unknown => (typeof value === 'string' && value.trim() === '' ? undefined : value);

const optional = <T extends z.ZodType>(schema: T) => z.preprocess(emptyAsUndefined, schema.optional());

function urlWithProtocols(protocols: readonly string[], example: string) {
  return z.string().refine(
    (value) => {
      try {
        const url = new URL(value);
        return protocols.includes(url.protocol) && url.hostname !== '';
      } catch {
        return false;
      }
    },
    { message: `must be a URL like ${example}` },
  );
}

const integer = (min: number, max: number) => {
  const message = `must be an integer from ${min} to ${max}`;
  return z.preprocess(
    emptyAsUndefined,
    z.coerce.number({ error: message }).int({ error: message }).min(min, { error: message }).max(max, { error: message }).optional(),
  );
};

const envSchema = z.object({
  NODE_ENV: optional(z.enum(['development', 'production', 'test'], { error: 'must be development, production or test' })),
  LOG_LEVEL: optional(z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` })),
  LOG_FORMAT: optional(z.enum(LOG_FORMATS, { error: `must be one of ${LOG_FORMATS.join(', ')}` })),
  SWITCHYARD_ROLES: optional(
    z
      .string()
      .transform((value) =>
        value
          .split(',')
          .map((role) => role.trim())
          .filter(Boolean),
      )
      .refine(
        (roles): roles is ProcessRole[] => roles.length > 0 && roles.every((role) => (PROCESS_ROLES as readonly string[]).includes(role)),
        {
          error: `must be a comma-separated list of ${PROCESS_ROLES.join(', ')}`,
        },
      ),
  ),
  HOST: optional(z.string()),
  PORT: integer(0, 65535),
  HEALTH_PORT: integer(0, 65535),
  METRICS_PORT: integer(0, 65535),
  METRICS_TOKEN: optional(z.string().min(16, { error: 'must be at least 16 characters long' })),
  METRICS_TENANT_LABELS: optional(z.enum(['true', 'false'], { error: 'must be true or false' })),
  SHUTDOWN_GRACE_SECONDS: integer(0, 600),
  DATABASE_URL: optional(urlWithProtocols(['postgres:', 'postgresql:'], 'postgres://user:password@host:5432/db')),
  DATABASE_POOL_SIZE: integer(1, 200),
  REDIS_URL: optional(urlWithProtocols(['redis:', 'rediss:'], 'redis://host:6379')),
  SWITCHYARD_PROGRESS_IDLE_POLL_MS: integer(100, 3_600_000),
  SWITCHYARD_DATA_DIR: optional(z.string()),
  SWITCHYARD_DEMO_DATA: optional(z.enum(['true', 'false'], { error: 'must be true or false' })),
  SWITCHYARD_BUILT_IN_WORKFLOWS: optional(z.enum(BUILT_IN_SEEDINGS, { error: `must be one of ${BUILT_IN_SEEDINGS.join(', ')}` })),
  JWT_SECRET: optional(z.string().refine((value) => Buffer.byteLength(value, 'utf8') >= 32, { error: 'must be at least 32 bytes long' })),
  JWT_TTL_SECONDS: integer(60, 86_400),
  SWITCHYARD_ADMIN_EMAIL: optional(z.email({ error: 'must be an e-mail address' })),
  SWITCHYARD_ADMIN_PASSWORD: optional(z.string().min(12, { error: 'must be at least 12 characters long' })),
  SMTP_URL: optional(urlWithProtocols(['smtp:', 'smtps:'], 'smtp://user:password@host:587')),
  SMTP_FROM: optional(z.string().min(3)),
  GENIEACS_URL: optional(urlWithProtocols(['http:', 'https:'], 'http://genieacs:7557')),
  NETBOX_URL: optional(urlWithProtocols(['http:', 'https:'], 'https://netbox.example.net')),
  NETBOX_TOKEN: optional(z.string().min(1)),
  STRIPE_API_KEY: optional(
    z.string().regex(/^(sk|rk)_(test|live)_[A-Za-z0-9_]+$/, { error: 'must be a Stripe secret key (sk_test_…, sk_live_…)' }),
  ),
  STRIPE_API_URL: optional(urlWithProtocols(['http:', 'https:'], 'https://api.stripe.com')),
  KUBERNETES_API_URL: optional(urlWithProtocols(['http:', 'https:'], 'https://kubernetes.default.svc')),
  KUBERNETES_TOKEN: optional(z.string().min(1)),
  // `ClusterIssuer/<name>`, `Issuer/<name>` (in each business's namespace) or a bare name (a ClusterIssuer).
  CERT_MANAGER_ISSUER: optional(
    z
      .string()
      .regex(/^((ClusterIssuer|Issuer)\/)?[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, {
        error: 'must be a cert-manager issuer: ClusterIssuer/<name>, Issuer/<name> or <name>',
      })
      .transform((text) => {
        const [kind, name] = text.includes('/') ? text.split('/') : ['ClusterIssuer', text];
        return { kind: kind === 'Issuer' ? ('Issuer' as const) : ('ClusterIssuer' as const), name: name ?? text };
      }),
  ),
  COPILOT_API_URL: optional(urlWithProtocols(['http:', 'https:'], 'https://api.openai.com/v1')),
  COPILOT_API_KEY: optional(z.string().min(1)),
  COPILOT_MODEL: optional(z.string().min(1).max(100)),
  TENANT_DATABASE_URL: optional(urlWithProtocols(['postgres:', 'postgresql:'], 'postgres://user:password@host:5432/tenants')),
  S3_ENDPOINT: optional(urlWithProtocols(['http:', 'https:'], 'https://s3.eu-central-1.amazonaws.com')),
  S3_REGION: optional(z.string().regex(/^[a-z0-9-]{2,30}$/, { error: 'must be a region name such as eu-central-1' })),
  S3_ACCESS_KEY_ID: optional(z.string().min(1)),
  S3_SECRET_ACCESS_KEY: optional(z.string().min(1)),
  POWERDNS_API_URL: optional(urlWithProtocols(['http:', 'https:'], 'http://pdns:8081')),
  POWERDNS_API_KEY: optional(z.string().min(1)),
  POWERDNS_SERVER_ID: optional(z.string().min(1)),
  DNS_ZONE: optional(z.hostname({ error: 'must be a DNS name such as switchyard.example.com' })),
  SWITCHYARD_PUBLIC_URL: optional(urlWithProtocols(['http:', 'https:'], 'https://switchyard.example.com')),
  SWITCHYARD_LEASE_SECONDS: integer(2, 600),
  SWITCHYARD_WORKER_CONCURRENCY: integer(1, 1_000),
  SWITCHYARD_WORKER_CLAIM_DEFER_MS: integer(0, 1_000),
  SWITCHYARD_RECOVERY_INTERVAL_SECONDS: integer(1, 600),
  SWITCHYARD_STEP_TIMEOUT_SECONDS: integer(0, 86_400),
  SWITCHYARD_RUN_STARTS_LOCALLY: optional(z.enum(['true', 'false'], { error: 'must be true or false' })),
  SWITCHYARD_TENANT_CONCURRENCY_LIMIT: integer(1, 1_000_000),
  RATE_LIMIT_PER_MINUTE: integer(0, 1_000_000),
  RATE_LIMIT_BURST: integer(1, 100_000),
});

/** Settings whose value never appears in an error message. */
const SECRET_SETTINGS: ReadonlySet<string> = new Set([
  'JWT_SECRET',
  'SWITCHYARD_ADMIN_PASSWORD',
  'NETBOX_TOKEN',
  'METRICS_TOKEN',
  'STRIPE_API_KEY',
  'KUBERNETES_TOKEN',
  'COPILOT_API_KEY',
  'TENANT_DATABASE_URL',
  'S3_SECRET_ACCESS_KEY',
  'POWERDNS_API_KEY',
]);

export function loadConfig(env: NodeJS.ProcessEnv, cwd: string = process.cwd()): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const setting = issue.path.map(String).join('.');
      const given = SECRET_SETTINGS.has(setting) ? undefined : env[setting];
      return `${setting} ${issue.message}${given === undefined ? '' : ` (got "${redactUrl(given)}")`}`;
    });
    throw new ConfigError(problems);
  }
  const e = parsed.data;
  return {
    nodeEnv: e.NODE_ENV ?? 'development',
    logLevel: e.LOG_LEVEL ?? 'info',
    logFormat: e.LOG_FORMAT,
    roles: new Set(e.SWITCHYARD_ROLES ?? PROCESS_ROLES),
    http: {
      host: e.HOST ?? '0.0.0.0',
      port: e.PORT ?? 4000,
      shutdownGraceSeconds: e.SHUTDOWN_GRACE_SECONDS ?? 10,
      healthPort: e.HEALTH_PORT,
    },
    metrics: { port: e.METRICS_PORT, token: e.METRICS_TOKEN, tenantLabels: e.METRICS_TENANT_LABELS === 'true' },
    database: { url: e.DATABASE_URL, poolSize: e.DATABASE_POOL_SIZE ?? 10 },
    redisUrl: e.REDIS_URL,
    progressIdlePollMs: e.SWITCHYARD_PROGRESS_IDLE_POLL_MS,
    dataDir: path.resolve(cwd, e.SWITCHYARD_DATA_DIR ?? '.switchyard'),
    // Demo records belong on a developer's first start, not a production one unless asked for.
    demoData: e.SWITCHYARD_DEMO_DATA === undefined ? (e.NODE_ENV ?? 'development') !== 'production' : e.SWITCHYARD_DEMO_DATA === 'true',
    builtInWorkflows: e.SWITCHYARD_BUILT_IN_WORKFLOWS ?? 'inactive',
    auth: {
      jwtSecret: e.JWT_SECRET,
      jwtTtlSeconds: e.JWT_TTL_SECONDS ?? 900,
      admin: { email: e.SWITCHYARD_ADMIN_EMAIL ?? 'admin@switchyard.local', password: e.SWITCHYARD_ADMIN_PASSWORD },
    },
    integrations: {
      smtp: e.SMTP_URL ? { url: e.SMTP_URL, from: e.SMTP_FROM ?? 'Switchyard <noreply@localhost>' } : undefined,
      genieacsUrl: e.GENIEACS_URL ?? 'http://localhost:7557',
      netbox: e.NETBOX_URL && e.NETBOX_TOKEN ? { url: e.NETBOX_URL, token: e.NETBOX_TOKEN } : undefined,
      stripe: e.STRIPE_API_KEY ? { apiKey: e.STRIPE_API_KEY, url: e.STRIPE_API_URL ?? 'https://api.stripe.com' } : undefined,
      kubernetes:
        e.KUBERNETES_API_URL && e.KUBERNETES_TOKEN
          ? { url: e.KUBERNETES_API_URL, token: e.KUBERNETES_TOKEN, certificateIssuer: e.CERT_MANAGER_ISSUER }
          : undefined,
      copilot: e.COPILOT_API_URL
        ? { url: e.COPILOT_API_URL, apiKey: e.COPILOT_API_KEY, model: e.COPILOT_MODEL ?? 'gpt-4o-mini' }
        : undefined,
      tenantDatabaseUrl: e.TENANT_DATABASE_URL,
      s3:
        e.S3_ENDPOINT && e.S3_ACCESS_KEY_ID && e.S3_SECRET_ACCESS_KEY
          ? {
              endpoint: e.S3_ENDPOINT,
              region: e.S3_REGION ?? 'us-east-1',
              accessKeyId: e.S3_ACCESS_KEY_ID,
              secretAccessKey: e.S3_SECRET_ACCESS_KEY,
            }
          : undefined,
      powerDns:
        e.POWERDNS_API_URL && e.POWERDNS_API_KEY
          ? { url: e.POWERDNS_API_URL, apiKey: e.POWERDNS_API_KEY, serverId: e.POWERDNS_SERVER_ID ?? 'localhost', zone: e.DNS_ZONE }
          : undefined,
      publicUrl: e.SWITCHYARD_PUBLIC_URL,
    },
    engine: {
      leaseSeconds: e.SWITCHYARD_LEASE_SECONDS ?? 20,
      workerConcurrency: e.SWITCHYARD_WORKER_CONCURRENCY ?? 50,
      claimDeferMs: e.SWITCHYARD_WORKER_CLAIM_DEFER_MS ?? DEFAULT_CLAIM_DEFER_MS,
      recoveryIntervalSeconds: e.SWITCHYARD_RECOVERY_INTERVAL_SECONDS ?? 2,
      defaultStepTimeoutSeconds: e.SWITCHYARD_STEP_TIMEOUT_SECONDS ?? DEFAULT_ENGINE_CONFIG.defaultStepTimeoutSeconds,
      runStartsLocally: e.SWITCHYARD_RUN_STARTS_LOCALLY !== 'false',
      tenantConcurrencyLimit: e.SWITCHYARD_TENANT_CONCURRENCY_LIMIT,
    },
    rateLimit: { perMinute: e.RATE_LIMIT_PER_MINUTE ?? 600, burst: e.RATE_LIMIT_BURST ?? 100 },
  };
}

/** A URL as it may be printed: the password replaced. Non-URLs are returned unchanged. */
export function redactUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return value;
  }
}
