import { pino, type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { LogFormat, LogLevel } from './config.js';

export type { Logger };

/** LOG_FORMAT when set; else readable lines when a person is watching stdout (a terminal), JSON otherwise. */
export function logFormatFor(configured: LogFormat | undefined, stdout: { isTTY?: boolean } = process.stdout): LogFormat {
  return configured ?? (stdout.isTTY ? 'pretty' : 'json');
}

/**
 * JSON lines for machines; `pretty`: one readable line each, local times and colours, for a person at a
 * terminal (main.ts picks it when stdout is a TTY, unless LOG_FORMAT says otherwise).
 */
export function createLogger(level: LogLevel, destination?: DestinationStream, format: LogFormat = 'json'): Logger {
  const stream =
    destination ??
    (format === 'pretty'
      ? pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', singleLine: true, sync: true })
      : undefined);
  return pino(
    {
      level,
      base: { pid: process.pid },
      redact: { paths: ['password', '*.password', 'authorization', '*.authorization'], censor: '***' },
    },
    stream,
  );
}
