import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('loadConfig', () => {
  it('defaults to the embedded database, in-process pub/sub and port 4000', () => {
    const config = loadConfig({}, '/srv/app');
    expect(config.http).toEqual({ host: '0.0.0.0', port: 4000, shutdownGraceSeconds: 10 });
    expect(config.database.url).toBeUndefined();
    expect(config.redisUrl).toBeUndefined();
    expect(config.dataDir).toBe(path.resolve('/srv/app/.switchyard'));
    expect([...config.roles]).toEqual(['api', 'worker', 'scheduler']);
  });

  it('reads every setting it is given', () => {
    const config = loadConfig(
      {
        PORT: '8080',
        DATABASE_URL: 'postgresql://u:p@db:5432/sy',
        REDIS_URL: 'redis://cache:6379',
        SWITCHYARD_DATA_DIR: '/var/lib/switchyard',
        SWITCHYARD_ROLES: 'worker, scheduler',
        LOG_LEVEL: 'debug',
      },
      '/srv/app',
    );
    expect(config.http.port).toBe(8080);
    expect(config.database.url).toBe('postgresql://u:p@db:5432/sy');
    expect(config.redisUrl).toBe('redis://cache:6379');
    expect(config.dataDir).toBe('/var/lib/switchyard');
    expect([...config.roles]).toEqual(['worker', 'scheduler']);
    expect(config.logLevel).toBe('debug');
  });

  it('seeds demo data on a first start, except in production unless asked for', () => {
    expect(loadConfig({}).demoData).toBe(true);
    expect(loadConfig({ SWITCHYARD_DEMO_DATA: 'false' }).demoData).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production' }).demoData).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', SWITCHYARD_DEMO_DATA: 'true' }).demoData).toBe(true);
  });

  it('gives a first start without demo data the built-in workflows inactive, unless told otherwise', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).builtInWorkflows).toBe('inactive');
    expect(loadConfig({ SWITCHYARD_BUILT_IN_WORKFLOWS: 'none' }).builtInWorkflows).toBe('none');
    expect(() => loadConfig({ SWITCHYARD_BUILT_IN_WORKFLOWS: 'yes' })).toThrow(/SWITCHYARD_BUILT_IN_WORKFLOWS/);
  });

  it('takes a cert-manager issuer for the businesses certificates', () => {
    const cluster = { KUBERNETES_API_URL: 'https://10.0.0.1:6443', KUBERNETES_TOKEN: 'token' };
    expect(loadConfig({ ...cluster, CERT_MANAGER_ISSUER: 'letsencrypt' }).integrations.kubernetes?.certificateIssuer).toEqual({
      kind: 'ClusterIssuer',
      name: 'letsencrypt',
    });
    expect(loadConfig({ ...cluster, CERT_MANAGER_ISSUER: 'Issuer/acme' }).integrations.kubernetes?.certificateIssuer).toEqual({
      kind: 'Issuer',
      name: 'acme',
    });
    expect(() => loadConfig({ ...cluster, CERT_MANAGER_ISSUER: 'Nope/x' })).toThrow(/CERT_MANAGER_ISSUER/);
  });

  it('packs claims by default (100 ms); 0 spreads them', () => {
    expect(loadConfig({}).engine.claimDeferMs).toBe(100);
    expect(loadConfig({ SWITCHYARD_WORKER_CLAIM_DEFER_MS: '0' }).engine.claimDeferMs).toBe(0);
    expect(() => loadConfig({ SWITCHYARD_WORKER_CLAIM_DEFER_MS: '5000' })).toThrow(/SWITCHYARD_WORKER_CLAIM_DEFER_MS/);
  });

  it("limits a service call's attempt to 300 s unless the step or SWITCHYARD_STEP_TIMEOUT_SECONDS says otherwise; 0: no limit", () => {
    expect(loadConfig({}).engine.defaultStepTimeoutSeconds).toBe(300);
    expect(loadConfig({ SWITCHYARD_STEP_TIMEOUT_SECONDS: '30' }).engine.defaultStepTimeoutSeconds).toBe(30);
    expect(loadConfig({ SWITCHYARD_STEP_TIMEOUT_SECONDS: '0' }).engine.defaultStepTimeoutSeconds).toBe(0);
    expect(() => loadConfig({ SWITCHYARD_STEP_TIMEOUT_SECONDS: '-1' })).toThrow(/SWITCHYARD_STEP_TIMEOUT_SECONDS/);
  });

  it("leaves a progress stream's idle re-read of the log to the stream unless SWITCHYARD_PROGRESS_IDLE_POLL_MS sets it", () => {
    expect(loadConfig({}).progressIdlePollMs).toBeUndefined();
    expect(loadConfig({ SWITCHYARD_PROGRESS_IDLE_POLL_MS: '3600000' }).progressIdlePollMs).toBe(3_600_000);
    expect(() => loadConfig({ SWITCHYARD_PROGRESS_IDLE_POLL_MS: '10' })).toThrow(/SWITCHYARD_PROGRESS_IDLE_POLL_MS/);
  });

  it('treats empty settings as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: ' ' }).database.url).toBeUndefined();
  });

  it('reports every problem at once, each naming its setting, with passwords redacted', () => {
    let thrown: unknown;
    try {
      loadConfig({ PORT: '70000', DATABASE_URL: 'mysql://root:hunter2@db/x', REDIS_URL: 'localhost:6379', SWITCHYARD_ROLES: 'api,cook' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    const error = thrown as ConfigError;
    expect(error.problems).toHaveLength(4);
    expect(error.problems.map((problem) => problem.split(' ')[0]).sort()).toEqual([
      'DATABASE_URL',
      'PORT',
      'REDIS_URL',
      'SWITCHYARD_ROLES',
    ]);
    expect(error.message).not.toContain('hunter2');
    expect(error.message).not.toContain('\n');
  });
});
