import type { EntityManager } from '@mikro-orm/postgresql';
import { RadCheck, RadReply, RadUserGroup } from '../../entities/domain/radius.entity.js';
import { pageSize } from '../shared/parse-input.js';
import { PASSWORD_ATTRIBUTE } from './create-subscriber.js';

export interface RadiusAttributeView {
  attribute: string;
  op: string;
  /** Null for the password check: its hash is never shown. */
  value: string | null;
}

export interface RadiusAccountView {
  username: string;
  checks: RadiusAttributeView[];
  replies: RadiusAttributeView[];
  groups: string[];
}

/** The FreeRADIUS subscribers of the tenant (radcheck, radreply, radusergroup by user name), by name. */
export async function listRadiusAccounts(
  em: EntityManager,
  tenantId: string,
  filter: { username?: string | null; first?: number | null },
): Promise<RadiusAccountView[]> {
  const byName = filter.username ? { username: filter.username } : {};
  // One password check per subscriber: the page of user names.
  const passwords = await em.find(
    RadCheck,
    { tenant: tenantId, attribute: PASSWORD_ATTRIBUTE, ...byName },
    { orderBy: { username: 'asc' }, limit: pageSize(filter.first) },
  );
  const usernames = passwords.map((check) => check.username);
  if (usernames.length === 0) return [];
  const checks = await em.find(RadCheck, { tenant: tenantId, username: { $in: usernames } }, { orderBy: { id: 'asc' } });
  const replies = await em.find(RadReply, { tenant: tenantId, username: { $in: usernames } }, { orderBy: { id: 'asc' } });
  const groups = await em.find(
    RadUserGroup,
    { tenant: tenantId, username: { $in: usernames } },
    { orderBy: { priority: 'asc', id: 'asc' } },
  );
  return usernames.map((username) => ({
    username,
    checks: checks
      .filter((check) => check.username === username)
      .map((check) => ({ attribute: check.attribute, op: check.op, value: check.attribute === PASSWORD_ATTRIBUTE ? null : check.value })),
    replies: replies
      .filter((reply) => reply.username === username)
      .map((reply) => ({ attribute: reply.attribute, op: reply.op, value: reply.value })),
    groups: groups.filter((group) => group.username === username).map((group) => group.groupName),
  }));
}
