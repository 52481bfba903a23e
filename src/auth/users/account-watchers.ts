import type { MikroORM } from '@mikro-orm/postgresql';
import { coerceError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { Viewer } from '../viewer.js';

interface Watcher {
  role: string;
  tenantId: string;
  sessionGeneration: number;
  onChange: () => void;
}

export interface AccountWatchers {
  /** Registers a long-lived connection's user; API keys are not watched (revocation is checked per operation). */
  watch(viewer: Viewer, onChange: () => void): () => void;
  /** Checks one user now (this process changed them). */
  changed(userId: string): void;
  /** Checks every watched user now (a tenant was suspended). */
  changedAll(): void;
}

/**
 * The users of open websockets, checked against the database: at once when this process changed one,
 * and every `sweepMs` for changes made by other processes — one query for all watched users, only while
 * there are any.
 */
export function createAccountWatchers(orm: MikroORM, logger: Logger, sweepMs: number): AccountWatchers {
  const byUser = new Map<string, Set<Watcher>>();
  let timer: NodeJS.Timeout | undefined;

  const check = async (userIds: string[]): Promise<void> => {
    if (userIds.length === 0) return;
    const rows = await orm.em
      .fork()
      .getConnection()
      .execute<Array<{ id: string; role: string; tenant_id: string; active: boolean; session_generation: number }>>(
        `select u.id, u.role, u.tenant_id, u.active and t.suspended_at is null as active, u.session_generation
       from users u join tenants t on t.id = u.tenant_id where u.id in (${userIds.map(() => '?').join(', ')})`,
        userIds,
      );
    const current = new Map(rows.map((row) => [row.id, row]));
    for (const userId of userIds) {
      const row = current.get(userId);
      for (const watcher of byUser.get(userId) ?? []) {
        if (
          row &&
          row.active &&
          row.role === watcher.role &&
          row.tenant_id === watcher.tenantId &&
          row.session_generation === watcher.sessionGeneration
        )
          continue;
        byUser.get(userId)?.delete(watcher);
        watcher.onChange();
      }
      if (byUser.get(userId)?.size === 0) byUser.delete(userId);
    }
    if (byUser.size === 0) stopSweeping();
  };
  const checkQuietly = (userIds: string[]) => {
    check(userIds).catch((error: unknown) => logger.warn({ err: coerceError(error) }, 'checking the accounts of open websockets failed'));
  };
  const stopSweeping = () => {
    clearInterval(timer);
    timer = undefined;
  };

  return {
    watch(viewer, onChange) {
      if (viewer.kind !== 'user') return () => undefined;
      const watcher: Watcher = { role: viewer.role, tenantId: viewer.tenantId, sessionGeneration: viewer.sessionGeneration, onChange };
      const set = byUser.get(viewer.userId) ?? new Set<Watcher>();
      set.add(watcher);
      byUser.set(viewer.userId, set);
      if (!timer) {
        timer = setInterval(() => checkQuietly([...byUser.keys()]), sweepMs);
        timer.unref();
      }
      return () => {
        set.delete(watcher);
        if (set.size === 0 && byUser.get(viewer.userId) === set) byUser.delete(viewer.userId);
        if (byUser.size === 0) stopSweeping();
      };
    },
    changed(userId) {
      if (byUser.has(userId)) checkQuietly([userId]);
    },
    changedAll() {
      checkQuietly([...byUser.keys()]);
    },
  };
}
