import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { StartupError, coerceError, systemErrorCode } from '../errors.js';
import { MIN_SECRET_BYTES } from './tokens.js';

export const JWT_SECRET_FILE = 'jwt-secret';

/**
 * The signing secret when JWT_SECRET is not set: made once and kept in the data directory (mode 0600),
 * so tokens survive restarts. Processes on other machines do not share it: give them JWT_SECRET.
 */
export async function loadOrCreateJwtSecret(dataDir: string): Promise<Uint8Array> {
  const file = path.join(dataDir, JWT_SECRET_FILE);
  try {
    const secret = (await readSecret(file)) ?? (await createSecret(dataDir, file));
    if (secret.byteLength < MIN_SECRET_BYTES) {
      throw new StartupError('JWT_SECRET', `${file} holds fewer than ${MIN_SECRET_BYTES} bytes; delete it to have a new one made`);
    }
    return secret;
  } catch (error) {
    if (error instanceof StartupError) throw error;
    throw new StartupError('JWT_SECRET', `JWT_SECRET is not set and ${file} cannot be used (${coerceError(error).message})`, {
      cause: error,
    });
  }
}

async function readSecret(file: string): Promise<Uint8Array | undefined> {
  try {
    return new TextEncoder().encode((await readFile(file, 'utf8')).trim());
  } catch (error) {
    if (systemErrorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
}

async function createSecret(dataDir: string, file: string): Promise<Uint8Array> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  // Unique per call, not per process: two starts in one process (tests, an embedding) must not share a draft.
  const draft = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(draft, randomBytes(48).toString('base64url'), { mode: 0o600 });
    // link() publishes a complete file or fails with EEXIST: processes starting together agree on one secret.
    await link(draft, file).catch((error: unknown) => {
      if (systemErrorCode(error) !== 'EEXIST') throw error;
    });
  } finally {
    await rm(draft, { force: true });
  }
  const secret = await readSecret(file);
  if (!secret) throw new Error(`${file} vanished while it was being created`);
  return secret;
}
