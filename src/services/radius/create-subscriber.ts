import { z } from 'zod';
import { RadCheck, RadReply, RadUserGroup } from '../../entities/domain/radius.entity.js';
import { ServiceInstance } from '../../entities/domain/service-instance.entity.js';
import { Tenant } from '../../entities/tenant.entity.js';
import { AppError } from '../../errors.js';
import { defineServiceMethod } from '../registry.js';
import { mikrotikRateLimit, parseBandwidthProfile, profileGroupName } from './bandwidth-profile.js';
import { generatePppoePassword, ssha256 } from './password.js';

export const PASSWORD_ATTRIBUTE = 'SSHA2-256-Password';

const input = z.object({
  customerId: z.guid(),
  /** The service instance's username, from network.allocateResources. */
  username: z.string().trim().min(1).max(253),
  bandwidthProfile: z.string().trim().min(1),
});

/**
 * The subscriber's FreeRADIUS rows: a salted SHA-256 password check, replies with the allocated
 * Framed-IP-Address and the rate limit (MikroTik and WISPr attributes), and the bandwidth profile's
 * group. The generated password is returned once — the CPE must be configured with it — and only its
 * hash is stored. Called again for the same user (another idempotency key), it replaces the rows and
 * issues a new password.
 */
export const createSubscriber = defineServiceMethod({
  service: 'radius',
  method: 'createSubscriber',
  description:
    'Creates the RADIUS subscriber of a service instance (hashed password, framed IP, rate limit). Returns {radcheckId, username, password, framedIpAddress, rateLimit, groupName}.',
  effects: 'local',
  input,
  output: z.looseObject({
    radcheckId: z.int(),
    username: z.string().min(1),
    password: z.string().min(1),
    framedIpAddress: z.ipv4(),
    rateLimit: z.string(),
    groupName: z.string(),
    serviceId: z.uuid(),
  }),
  async run(ctx, { customerId, username, bandwidthProfile }) {
    const service = await ctx.em.findOne(ServiceInstance, {
      tenant: ctx.tenantId,
      username,
      customer: customerId,
      status: { $ne: 'released' },
    });
    if (!service) throw new AppError('NOT_FOUND', `customer ${customerId} has no live service instance with username ${username}`);
    const profile = parseBandwidthProfile(bandwidthProfile);
    if (await ctx.em.count(RadCheck, { username, tenant: { $ne: ctx.tenantId } })) {
      throw new AppError('CONFLICT', `RADIUS username ${username} belongs to another tenant`);
    }

    await ctx.em.nativeDelete(RadCheck, { tenant: ctx.tenantId, username });
    await ctx.em.nativeDelete(RadReply, { tenant: ctx.tenantId, username });
    await ctx.em.nativeDelete(RadUserGroup, { tenant: ctx.tenantId, username });

    const tenant = ctx.em.getReference(Tenant, ctx.tenantId);
    const password = generatePppoePassword();
    const rateLimit = mikrotikRateLimit(profile);
    const groupName = profileGroupName(profile);
    const check = ctx.em.create(RadCheck, { tenant, username, attribute: PASSWORD_ATTRIBUTE, op: ':=', value: ssha256(password) });
    const replies: Array<[string, string]> = [
      ['Framed-IP-Address', service.ipAddress],
      ['Mikrotik-Rate-Limit', rateLimit],
      ['WISPr-Bandwidth-Max-Down', String(profile.downloadKbps * 1_000)],
      ['WISPr-Bandwidth-Max-Up', String(profile.uploadKbps * 1_000)],
    ];
    for (const [attribute, value] of replies) ctx.em.create(RadReply, { tenant, username, attribute, op: ':=', value });
    ctx.em.create(RadUserGroup, { tenant, username, groupName, priority: 1 });
    await ctx.em.flush();

    return { radcheckId: check.id, username, password, framedIpAddress: service.ipAddress, rateLimit, groupName, serviceId: service.id };
  },
});
