import { createHash, randomBytes, randomInt } from 'node:crypto';

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

/** Letters and digits only (no look-alikes): some CPEs refuse punctuation in PPPoE secrets. 20 of 57 symbols ≈ 116 bits. */
export function generatePppoePassword(length = 20): string {
  let password = '';
  for (let i = 0; i < length; i += 1) password += ALPHABET[randomInt(ALPHABET.length)];
  return password;
}

/**
 * FreeRADIUS's `SSHA2-256-Password`: base64(SHA-256(password ‖ salt) ‖ salt), which rlm_pap checks for
 * PAP. (CHAP and MS-CHAP need the cleartext, which we refuse to store.)
 */
export function ssha256(password: string, salt: Buffer = randomBytes(16)): string {
  const digest = createHash('sha256').update(password).update(salt).digest();
  return Buffer.concat([digest, salt]).toString('base64');
}
