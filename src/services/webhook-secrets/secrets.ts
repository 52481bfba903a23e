import { randomBytes } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { WebhookSecret } from '../../entities/integrations/webhook-secret.entity.js';
import { AppError } from '../../errors.js';
import type { Queryable } from '../../infra/queryable.js';

/**
 * Inbound webhooks' signing secrets: created (shown once), rotated with an overlap window during which
 * the old and the new one both verify, revoked. `em` is the caller's tenant-scoped EntityManager.
 */

export const SECRET_PREFIX = 'whsec_';
/** The longest overlap a rotation may ask for: a week. */
export const MAX_OVERLAP_SECONDS = 7 * 24 * 3600;
export const DEFAULT_OVERLAP_SECONDS = 24 * 3600;

export interface CreatedSecret {
  record: WebhookSecret;
  /** The whole secret: in this answer only. */
  secret: string;
}

function newSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString('base64url')}`;
}

function checkSource(source: string, known: readonly string[]): void {
  if (!known.includes(source)) {
    throw new AppError('VALIDATION', `no webhook source ${JSON.stringify(source.slice(0, 40))}: one of ${known.join(', ')}`, {
      details: { field: 'source' },
    });
  }
}

async function insert(em: EntityManager, tenantId: string, source: string, createdBy: string, now: Date): Promise<CreatedSecret> {
  const secret = newSecret();
  const record = em.create(WebhookSecret, {
    tenant: tenantId,
    source,
    secret,
    prefix: secret.slice(0, SECRET_PREFIX.length + 4),
    createdBy,
    createdAt: now,
  });
  await em.flush();
  return { record, secret };
}

/** Live: no end, or an end still ahead (a rotated secret in its overlap). */
function live(now: Date) {
  return { $or: [{ expiresAt: null }, { expiresAt: { $gt: now } }] };
}

export async function listWebhookSecrets(
  em: EntityManager,
  tenantId: string,
  now: Date,
  includeExpired: boolean,
): Promise<WebhookSecret[]> {
  return em.find(WebhookSecret, { tenant: tenantId, ...(includeExpired ? {} : live(now)) }, { orderBy: { createdAt: 'desc', id: 'asc' } });
}

/** A source's first secret; CONFLICT when it has a live one without an end (rotate that instead). */
export async function createWebhookSecret(
  em: EntityManager,
  input: { tenantId: string; source: string; createdBy: string; now: Date; sources: readonly string[] },
): Promise<CreatedSecret> {
  checkSource(input.source, input.sources);
  const current = await em.findOne(WebhookSecret, { tenant: input.tenantId, source: input.source, expiresAt: null });
  if (current)
    throw new AppError('CONFLICT', `the ${input.source} webhooks already have a secret (${current.prefix}…): rotate it`, {
      details: { secretId: current.id },
    });
  return insert(em, input.tenantId, input.source, input.createdBy, input.now);
}

/**
 * A new secret for the source; the current one keeps verifying for `overlapSeconds` more (0: stops now),
 * so a provider can be given the new one without losing deliveries signed with the old.
 */
export async function rotateWebhookSecret(
  em: EntityManager,
  input: { tenantId: string; source: string; createdBy: string; now: Date; overlapSeconds: number; sources: readonly string[] },
): Promise<CreatedSecret> {
  checkSource(input.source, input.sources);
  if (!Number.isInteger(input.overlapSeconds) || input.overlapSeconds < 0 || input.overlapSeconds > MAX_OVERLAP_SECONDS) {
    throw new AppError('VALIDATION', `overlapSeconds is 0 to ${MAX_OVERLAP_SECONDS}`, { details: { field: 'overlapSeconds' } });
  }
  const current = await em.findOne(
    WebhookSecret,
    { tenant: input.tenantId, source: input.source, expiresAt: null },
    { lockMode: LockMode.PESSIMISTIC_WRITE },
  );
  if (!current) throw new AppError('NOT_FOUND', `the ${input.source} webhooks have no secret to rotate: create one`);
  current.expiresAt = new Date(input.now.getTime() + input.overlapSeconds * 1000);
  await em.flush();
  return insert(em, input.tenantId, input.source, input.createdBy, input.now);
}

/** Stops a secret at once (idempotent). */
export async function revokeWebhookSecret(em: EntityManager, tenantId: string, id: string, now: Date): Promise<WebhookSecret> {
  const record = await em.findOne(WebhookSecret, { id, tenant: tenantId });
  if (!record) throw new AppError('NOT_FOUND', `no webhook secret ${id}`);
  if (!record.expiresAt || record.expiresAt > now) {
    record.expiresAt = now;
    await em.flush();
  }
  return record;
}

/** Every tenant's live secrets of a source, for verifying a delivery (the signature tells whose it is). */
export async function liveSecretsOf(db: Queryable, source: string, now: Date): Promise<Array<{ tenantId: string; secret: string }>> {
  const rows = await db.query<{ tenant_id: string; secret: string }>(
    `select s.tenant_id, s.secret from webhook_secrets s join tenants t on t.id = s.tenant_id
     where s.source = $1 and (s.expires_at is null or s.expires_at > $2) and t.suspended_at is null
     order by s.created_at desc limit 1000`,
    [source, now],
  );
  return rows.map((row) => ({ tenantId: row.tenant_id, secret: row.secret }));
}

/** The secret a tenant's own provider (the built-in ledger) signs with: its newest live one. */
export async function signingSecretOf(db: Queryable, tenantId: string, source: string, now: Date): Promise<string | undefined> {
  const [row] = await db.query<{ secret: string }>(
    `select secret from webhook_secrets where tenant_id = $1 and source = $2 and (expires_at is null or expires_at > $3) order by created_at desc limit 1`,
    [tenantId, source, now],
  );
  return row?.secret;
}
