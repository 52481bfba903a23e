import { CpeDevice } from '../../../../src/entities/domain/cpe-device.entity.js';
import { createOperationsServiceMethods } from '../../../../src/services/operations.js';
import { createServiceRegistry } from '../../../../src/services/registry.js';
import { startFakeGenieAcs, type FakeGenieAcs } from '../../../helpers/fake-genieacs.js';
import { setUpOperations, type OperationsTestContext } from './support/context.js';

const TR098_PPP = 'InternetGatewayDevice.WANDevice.1.WANConnectionDevice.1.WANPPPConnection.1';
const template = {
  pppoe_username: 'svc-0123456789abcdef',
  pppoe_password: 's3cretPassw0rd',
  wifi_ssid: 'Ada-Home',
  wifi_password: 'correct horse battery',
};

interface Provisioned {
  deviceId: string;
  taskId: string | null;
  status: string;
  parameters: string[];
  tags: string[];
}

describe('genieacs.provisionDevice against a GenieACS NBI', () => {
  let acs: FakeGenieAcs;
  let context: OperationsTestContext;

  beforeAll(async () => {
    acs = await startFakeGenieAcs();
    context = await setUpOperations({ genieacs: { url: acs.url, timeoutMs: 5_000 } });
  });
  afterAll(async () => {
    // The fake server is stopped even when the context failed to start or to close: a listening server keeps jest's worker alive.
    try {
      await context.close();
    } finally {
      await acs.stop();
    }
  });
  beforeEach(() => acs.setMode('up'));

  const provision = (serial: string, options: { key?: string; configTemplate?: Record<string, unknown> } = {}) =>
    context.call(
      'genieacs_service',
      'provision_device',
      { customer_id: context.customerId, device_serial: serial, config_template: options.configTemplate ?? template },
      {
        key: options.key,
      },
    ) as Promise<unknown> as Promise<Provisioned>;

  it('pushes PPPoE and Wi-Fi to an online TR-098 device, tags it and records it', async () => {
    const device = acs.addDevice({ serial: 'ZTEG00000001' });
    const result = await provision('ZTEG00000001', { key: 'exec-1:provision_cpe' });
    expect(result).toMatchObject({
      deviceId: device.id,
      serial: 'ZTEG00000001',
      status: 'applied',
      dataModel: 'tr098',
      taskId: expect.any(String),
    });
    expect(result.parameters).toEqual([
      `${TR098_PPP}.Username`,
      `${TR098_PPP}.Password`,
      'InternetGatewayDevice.LANDevice.1.WLANConfiguration.1.SSID',
      'InternetGatewayDevice.LANDevice.1.WLANConfiguration.1.PreSharedKey.1.KeyPassphrase',
    ]);
    expect(JSON.stringify(result)).not.toContain('s3cretPassw0rd');
    expect(device.parameters.get(`${TR098_PPP}.Username`)).toBe('svc-0123456789abcdef');
    expect(device.parameters.get(`${TR098_PPP}.Password`)).toBe('s3cretPassw0rd');
    expect(device.parameters.get('InternetGatewayDevice.LANDevice.1.WLANConfiguration.1.SSID')).toBe('Ada-Home');
    expect(device.tags).toEqual(['switchyard-provisioned', expect.stringMatching(/^sy-[0-9a-f]{20}$/)]);
    expect(acs.requests.some((request) => request.method === 'POST' && /\/tasks\?connection_request/.test(request.path))).toBe(true);

    const cpe = await context.orm.em.fork().findOneOrFail(CpeDevice, { serial: 'ZTEG00000001' });
    expect(cpe).toMatchObject({ acsDeviceId: device.id, lastProvisionKey: 'exec-1:provision_cpe', lastProvisionResult: result });
    expect(cpe.customer?.id).toBe(context.customerId);
  });

  it('is harmless when repeated with the same key: no second task, the same answer', async () => {
    const posts = () => acs.requests.filter((request) => request.method === 'POST' && request.path.includes('/tasks')).length;
    const before = posts();
    const again = await provision('ZTEG00000001', { key: 'exec-1:provision_cpe' });
    expect(posts()).toBe(before);
    expect(again).toEqual((await context.orm.em.fork().findOneOrFail(CpeDevice, { serial: 'ZTEG00000001' })).lastProvisionResult);
  });

  it('queues for an offline TR-181 device, and a retry reuses the pending task instead of queueing another', async () => {
    const device = acs.addDevice({ serial: 'TR181OFF', dataModel: 'tr181', online: false });
    // The first attempt queued the task, then lost its answer (the tag was never set).
    const first = await provision('TR181OFF', { key: 'exec-2:provision_cpe' });
    expect(first).toMatchObject({ status: 'queued', dataModel: 'tr181' });
    expect(acs.pendingTasks.filter((task) => task.device === device.id)).toHaveLength(1);
    expect(acs.pendingTasks[0]?.parameterValues?.[0]).toEqual(['Device.PPP.Interface.1.Username', 'svc-0123456789abcdef', 'xsd:string']);
    device.tags.length = 0;

    const retried = await provision('TR181OFF', { key: 'exec-2:provision_cpe' });
    expect(retried).toMatchObject({ status: 'queued', taskId: first.taskId });
    expect(acs.pendingTasks.filter((task) => task.device === device.id)).toHaveLength(1);
  });

  it('is NOT_FOUND for a serial the ACS does not know, VALIDATION for an empty template', async () => {
    await expect(provision('NOSUCHSERIAL')).rejects.toMatchObject({ code: 'NOT_FOUND', retryable: false });
    acs.addDevice({ serial: 'EMPTYTPL' });
    await expect(provision('EMPTYTPL', { configTemplate: {} })).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(provision('EMPTYTPL', { configTemplate: { wifi_ssid: 'x', wifi_password: 'short' } })).rejects.toMatchObject({
      code: 'VALIDATION',
    });
  });

  it('is INVALID_STATE when the CPE faults the task', async () => {
    acs.addDevice({ serial: 'FAULTY' });
    acs.setMode('fault');
    await expect(provision('FAULTY')).rejects.toMatchObject({ code: 'INVALID_STATE', retryable: false });
  });

  it('is EXTERNAL_UNAVAILABLE (retryable) when the ACS answers 5xx, does not answer in time, or is down', async () => {
    acs.addDevice({ serial: 'ZTEG00000002' });
    acs.setMode('error');
    await expect(provision('ZTEG00000002')).rejects.toMatchObject({ code: 'EXTERNAL_UNAVAILABLE', retryable: true });
    acs.setMode('hang');
    await expect(provision('ZTEG00000002')).rejects.toMatchObject({
      code: 'EXTERNAL_UNAVAILABLE',
      retryable: true,
      message: expect.stringContaining('no answer within 5000 ms'),
    });

    const down = await startFakeGenieAcs();
    const url = down.url;
    await down.stop();
    const unreachable = createServiceRegistry(createOperationsServiceMethods({ genieacs: { url } }));
    await expect(
      context.call(
        'genieacs',
        'provisionDevice',
        { customerId: context.customerId, deviceSerial: 'ZTEG00000002', configTemplate: template },
        { registry: unreachable },
      ),
    ).rejects.toMatchObject({ code: 'EXTERNAL_UNAVAILABLE', retryable: true });
  });
});
