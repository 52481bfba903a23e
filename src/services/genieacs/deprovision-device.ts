import { z } from 'zod';
import { CpeDevice } from '../../entities/domain/cpe-device.entity.js';
import { defineServiceMethod } from '../registry.js';
import type { GenieAcsClient } from './genieacs-client.js';
import { PROVISIONED_TAG, provisionKeyTag } from './provision-device.js';

const input = z.object({ deviceSerial: z.string().trim().min(1) });

/**
 * The compensation of provisionDevice: the provisioning is retired — the device loses the call's key tag
 * and `switchyard-provisioned`, and our record forgets the call — so that a retried run provisions the
 * CPE again, with the credentials of its new RADIUS account, instead of answering "already applied".
 * The key is the undone call's (`ctx.undoes`), else the device's last provisioning. The settings on the
 * CPE stay until then: the RADIUS account they name is deleted by the same rollback. Tags go first, our
 * record after: with the ACS unreachable nothing is retired and the compensation fails visibly.
 */
export function createDeprovisionDevice(acs: GenieAcsClient) {
  return defineServiceMethod({
    service: 'genieacs',
    method: 'deprovisionDevice',
    description:
      'Retires the provisioning of a CPE (its tags at the ACS, our record) so that provisioning it again pushes afresh (compensation of provisionDevice). Returns {serial, deviceId, retired}.',
    effects: 'external',
    input,
    async run(ctx, { deviceSerial }) {
      const cpe = await ctx.em.findOne(CpeDevice, { tenant: ctx.tenantId, serial: deviceSerial });
      const key = ctx.undoes ?? cpe?.lastProvisionKey;
      if (!key) return { serial: deviceSerial, deviceId: cpe?.acsDeviceId ?? null, retired: false };
      const device = await acs.findDeviceBySerial(deviceSerial, ctx.signal);
      if (device) {
        await acs.removeTag(device.id, provisionKeyTag(ctx.tenantId, key), ctx.signal);
        await acs.removeTag(device.id, PROVISIONED_TAG, ctx.signal);
      }
      if (cpe && cpe.lastProvisionKey === key) {
        ctx.em.assign(cpe, { lastProvisionKey: null, lastProvisionResult: null });
        await ctx.em.flush();
      }
      return { serial: deviceSerial, deviceId: device?.id ?? cpe?.acsDeviceId ?? null, retired: true };
    },
  });
}
