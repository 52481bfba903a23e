import { createHash } from 'node:crypto';
import { ref } from '@mikro-orm/core';
import { z } from 'zod';
import { Customer } from '../../entities/customer.entity.js';
import { CpeDevice } from '../../entities/domain/cpe-device.entity.js';
import type { JsonObject } from '../../entities/json.js';
import { Tenant } from '../../entities/tenant.entity.js';
import { AppError } from '../../errors.js';
import { defineServiceMethod } from '../registry.js';
import type { GenieAcsClient } from './genieacs-client.js';
import { configTemplateSchema, parameterValuesFor, sameParameterValues } from './parameters.js';

export const PROVISIONED_TAG = 'switchyard-provisioned';

/** The device tag that stands for one provisioning call (the NBI takes no idempotency key). */
export function provisionKeyTag(tenantId: string, idempotencyKey: string): string {
  return `sy-${createHash('sha256').update(`${tenantId}\n${idempotencyKey}`).digest('hex').slice(0, 20)}`;
}

const input = z.object({
  customerId: z.guid(),
  deviceSerial: z.string().trim().min(1),
  configTemplate: configTemplateSchema,
});

/**
 * Configures a customer's CPE through GenieACS: finds it by serial, queues one setParameterValues task
 * (PPPoE credentials, Wi-Fi) with a connection request, and tags it. The NBI takes no idempotency key,
 * so the call's key becomes a device tag (`sy-<hash>`), set last: a repeat that finds the tag does
 * nothing again, and one that finds an identical task still pending reuses it rather than queueing a
 * second. The result names the parameters set, never their values (they hold secrets). Its undo,
 * genieacs.deprovisionDevice, retires the tag and the record, so the same call provisions again.
 */
export function createProvisionDevice(acs: GenieAcsClient) {
  return defineServiceMethod({
    service: 'genieacs',
    method: 'provisionDevice',
    description:
      'Pushes PPPoE and Wi-Fi settings to a CPE through GenieACS and tags it. Returns {deviceId, serial, taskId, status, dataModel, parameters, tags}.',
    effects: 'external',
    input,
    async run(ctx, { customerId, deviceSerial, configTemplate }) {
      const customer = await ctx.em.findOne(Customer, { id: customerId, tenant: ctx.tenantId });
      if (!customer) throw new AppError('NOT_FOUND', `customer ${customerId} not found`);
      const device = await acs.findDeviceBySerial(deviceSerial, ctx.signal);
      if (!device) throw new AppError('NOT_FOUND', `GenieACS knows no device with serial ${deviceSerial}`);

      const keyTag = provisionKeyTag(ctx.tenantId, ctx.idempotencyKey);
      const cpe =
        (await ctx.em.findOne(CpeDevice, { tenant: ctx.tenantId, serial: deviceSerial })) ??
        ctx.em.create(CpeDevice, { tenant: ctx.em.getReference(Tenant, ctx.tenantId), serial: deviceSerial });
      if (device.tags.includes(keyTag) && cpe.lastProvisionKey === ctx.idempotencyKey && cpe.lastProvisionResult) {
        return cpe.lastProvisionResult;
      }

      const dataModel = configTemplate.dataModel ?? device.dataModel;
      const parameterValues = parameterValuesFor(configTemplate, dataModel);
      let taskId: string | null = null;
      let status: 'applied' | 'queued' | 'already_applied' = 'already_applied';
      // The tag is set after the task: with it present, the task was queued by an earlier attempt.
      if (!device.tags.includes(keyTag)) {
        const pending = (await acs.pendingTasks(device.id, ctx.signal)).find(
          (task) =>
            task.name === 'setParameterValues' &&
            task.parameterValues !== undefined &&
            sameParameterValues(task.parameterValues, parameterValues),
        );
        if (pending) {
          taskId = pending.id;
          status = 'queued';
        } else {
          const outcome = await acs.queueTask(device.id, { name: 'setParameterValues', parameterValues }, ctx.signal);
          if (outcome.status === 'faulted') {
            throw new AppError('INVALID_STATE', `the CPE ${deviceSerial} refused the settings: ${outcome.reason}`, {
              details: { deviceId: device.id, taskId: outcome.taskId },
            });
          }
          taskId = outcome.taskId;
          status = outcome.status;
        }
        await acs.addTag(device.id, PROVISIONED_TAG, ctx.signal);
        await acs.addTag(device.id, keyTag, ctx.signal);
      }

      const result: JsonObject = {
        deviceId: device.id,
        serial: deviceSerial,
        taskId,
        status,
        dataModel,
        parameters: parameterValues.map(([path]) => path),
        tags: [...new Set([...device.tags, PROVISIONED_TAG, keyTag])],
      };
      cpe.customer = ref(customer);
      cpe.acsDeviceId = device.id;
      cpe.lastProvisionKey = ctx.idempotencyKey;
      cpe.lastProvisionResult = result;
      cpe.lastProvisionedAt = ctx.now;
      await ctx.em.flush();
      return result;
    },
  });
}
