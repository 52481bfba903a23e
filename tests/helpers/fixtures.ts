import type { MikroORM } from '@mikro-orm/postgresql';
import { Tenant } from '../../src/entities/index.js';

export async function createTenant(orm: MikroORM, slug = `tenant-${Math.random().toString(36).slice(2, 8)}`): Promise<Tenant> {
  const em = orm.em.fork();
  const tenant = em.create(Tenant, { slug, name: slug });
  await em.flush();
  return tenant;
}
