import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/**
 * The built server (dist/, made by `npm test` before jest) in a child process, as `npm start` runs it:
 * with the tracing preload, so the instrumentations see pg, ioredis, graphql and http load.
 */
const MAIN = path.resolve('dist/src/main.js');
const PRELOAD = path.resolve('dist/src/observability/tracing/preload.js');

export interface TracedProcess {
  readonly child: ChildProcess;
  /** stdout lines so far (JSON log lines with LOG_FORMAT=json). */
  readonly lines: string[];
  /** Resolves with the first stdout line matching `pattern`, as soon as it is printed. */
  line(pattern: RegExp): Promise<string>;
  stop(): Promise<void>;
}

export function startTracedProcess(env: Record<string, string>): TracedProcess {
  const child = spawn(process.execPath, ['--import', PRELOAD, MAIN], {
    env: { PATH: process.env['PATH'] ?? '', LOG_FORMAT: 'json', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const stderr: string[] = [];
  const watchers = new Set<() => void>();
  let exited: number | null | undefined;
  child.stdout?.on('data', (chunk: Buffer) => {
    lines.push(...chunk.toString().split('\n').filter(Boolean));
    for (const watch of [...watchers]) watch();
  });
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code) => {
      exited = code;
      for (const watch of [...watchers]) watch();
      resolve();
    }),
  );
  return {
    child,
    lines,
    line(pattern) {
      return new Promise<string>((resolve, reject) => {
        const watch = () => {
          const found = lines.find((line) => pattern.test(line));
          if (found !== undefined) {
            watchers.delete(watch);
            resolve(found);
          } else if (exited !== undefined) {
            watchers.delete(watch);
            reject(new Error(`the process exited (${exited}) before printing ${pattern}:\n${lines.join('\n')}\n${stderr.join('')}`));
          }
        };
        watchers.add(watch);
        watch();
      });
    },
    async stop() {
      if (exited === undefined) child.kill('SIGTERM');
      await exit;
    },
  };
}
