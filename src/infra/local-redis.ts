import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { findFreePort } from './embedded-postgres.js';

/**
 * A throwaway Redis for the test harness and the benchmarks (never used by `npm start`, which needs
 * no Redis at all).
 */
export interface RedisServer {
  url: string;
  port: number;
  stop(): Promise<void>;
  /** Starts it again on the same port after `stop()` (fault tests); a no-op while it runs. */
  start(): Promise<void>;
}

function which(command: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** redis-server from the system; as root on Debian it is installed through apt when missing. */
export function ensureRedisServerBinary(): string {
  const found = which('redis-server');
  if (found) return found;
  if (process.getuid?.() === 0 && which('apt-get')) {
    execFileSync('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null'], {
      stdio: 'inherit',
    });
    const installed = which('redis-server');
    if (installed) return installed;
  }
  throw new Error('redis-server is not installed: install it (Debian: sudo apt-get install redis-server) or set REDIS_URL');
}

/** Starts redis-server on a port and resolves once it accepts connections. */
async function spawnRedis(binary: string, port: number): Promise<ChildProcess> {
  const child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${output.trim().split('\n').at(-1)}`)));
  });
  return child;
}

/** A throwaway Redis on a free loopback port: no persistence, stopped at the end of the run. */
export async function startRedisServer(): Promise<RedisServer> {
  const binary = ensureRedisServerBinary();
  const port = await findFreePort();
  let child = await spawnRedis(binary, port);
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
    async start() {
      if (child.exitCode === null && child.signalCode === null) return;
      child = await spawnRedis(binary, port);
    },
  };
}
