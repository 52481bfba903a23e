import { CpeDevice } from '../../../../src/entities/domain/cpe-device.entity.js';
import { startFakeGenieAcs, type FakeGenieAcs } from '../../../helpers/fake-genieacs.js';
import { setUpOperations, type OperationsTestContext } from './support/context.js';

const PPP_USER = 'InternetGatewayDevice.WANDevice.1.WANConnectionDevice.1.WANPPPConnection.1.Username';

/**
 * genieacs.deprovisionDevice, the undo of provisionDevice (issue 11, item 1): it retires the call's tag
 * and record, so the same call — a retried run's — pushes its new credentials instead of answering
 * "already applied".
 */
describe('genieacs.deprovisionDevice', () => {
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

  const key = 'exec-9:provision_cpe';
  const provision = (serial: string, username: string) =>
    context.call(
      'genieacs',
      'provisionDevice',
      { customerId: context.customerId, deviceSerial: serial, configTemplate: { pppoeUsername: username, pppoePassword: 'pa55word-long' } },
      { key },
    );
  const deprovision = (serial: string) =>
    context.call('genieacs', 'deprovisionDevice', { deviceSerial: serial }, { key: `${key}:compensate` });
  const record = (serial: string) => context.orm.em.fork().findOneOrFail(CpeDevice, { serial });

  it('retires the tags and the record of the call, so the same call provisions again with new settings', async () => {
    const device = acs.addDevice({ serial: 'UNDO-0001' });
    await provision('UNDO-0001', 'svc-first');
    // The same call again is answered from its record: nothing new reaches the CPE.
    expect(await provision('UNDO-0001', 'svc-second')).toMatchObject({ status: 'applied' });
    expect(device.parameters.get(PPP_USER)).toBe('svc-first');
    expect(device.tags).toEqual(['switchyard-provisioned', expect.stringMatching(/^sy-/)]);

    expect(await deprovision('UNDO-0001')).toMatchObject({ deviceId: device.id, retired: true });
    expect(device.tags).toEqual([]);
    expect(await record('UNDO-0001')).toMatchObject({ lastProvisionKey: null, lastProvisionResult: null, acsDeviceId: device.id });
    expect(await deprovision('UNDO-0001')).toMatchObject({ retired: false });

    await provision('UNDO-0001', 'svc-second');
    expect(device.parameters.get(PPP_USER)).toBe('svc-second');
    expect((await record('UNDO-0001')).lastProvisionKey).toBe(key);
  });

  it('retires nothing while the ACS is unreachable, and fails so that the rollback says so', async () => {
    const device = acs.addDevice({ serial: 'UNDO-0002' });
    await provision('UNDO-0002', 'svc-kept');
    acs.setMode('error');
    await expect(deprovision('UNDO-0002')).rejects.toMatchObject({ code: 'EXTERNAL_UNAVAILABLE' });
    expect((await record('UNDO-0002')).lastProvisionKey).toBe(key);
    expect(device.tags).toContain('switchyard-provisioned');
  });
});
