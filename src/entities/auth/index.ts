import { ApiKey } from './api-key.entity.js';
import { AuditRecord } from './audit-record.entity.js';
import { OneTimeToken } from './one-time-token.entity.js';
import { TenantHeldRun } from './tenant-held-run.entity.js';
import type { EntityClass } from '../entity-class.js';

export { ApiKey, AuditRecord, OneTimeToken, TenantHeldRun };

/** Entities of authentication and authorisation (API keys, one-time tokens, the audit log, the runs a tenant's suspension holds); users and tenants are core entities. */
export const AUTH_ENTITIES: EntityClass[] = [ApiKey, OneTimeToken, AuditRecord, TenantHeldRun];
