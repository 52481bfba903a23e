import { spawn } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { logFormatFor } from '../../src/logger.js';

/** Issue 14: readable lines for a person at a terminal, JSON for machines or when LOG_FORMAT says so. */
describe('log format', () => {
  it('is readable on a terminal and JSON otherwise, unless LOG_FORMAT chooses', () => {
    expect(logFormatFor(undefined, { isTTY: true })).toBe('pretty');
    expect(logFormatFor(undefined, { isTTY: false })).toBe('json');
    expect(logFormatFor(undefined, {})).toBe('json');
    expect(logFormatFor('json', { isTTY: true })).toBe('json');
    expect(logFormatFor('pretty', { isTTY: false })).toBe('pretty');
  });

  /** What the built logger (dist/) prints to stdout for one run line, in a process of its own. */
  async function printed(format: 'pretty' | 'json'): Promise<string> {
    const logger = pathToFileURL(path.resolve('dist/src/logger.js')).href;
    const script = `const { createLogger } = await import(${JSON.stringify(logger)});
      createLogger('info', undefined, ${JSON.stringify(format)}).info({ executionId: 'e-1', workflow: 'onboard', tenantId: 't-1' }, 'run started: onboard');`;
    const child = spawn(process.execPath, ['--input-type=module', '--eval', script], {
      env: { PATH: process.env['PATH'] ?? '', TZ: 'UTC' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    await new Promise((resolve) => child.on('exit', resolve));
    return stdout;
  }

  it('prints one readable, coloured line with the time of day and the run’s ids when pretty', async () => {
    const line = await printed('pretty');
    expect(line).toContain('\u001b[');
    // eslint-disable-next-line no-control-regex -- the colours are what is stripped
    const plain = line.replace(/\u001b\[[0-9;]*m/g, '');
    expect(plain).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: run started: onboard \{.*executionId.*"e-1".*\}\n$/);
    expect(plain.trim().split('\n')).toHaveLength(1);
  });

  it('prints a JSON line otherwise', async () => {
    expect(JSON.parse(await printed('json'))).toMatchObject({
      level: 30,
      msg: 'run started: onboard',
      executionId: 'e-1',
      workflow: 'onboard',
      tenantId: 't-1',
    });
  });
});
