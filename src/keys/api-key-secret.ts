import { createHash, randomBytes } from 'node:crypto';

export const API_KEY_PREFIX = 'sk-sy-';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * Uniform base62 from the OS CSPRNG. Bytes of 248 or more are rejected rather than reduced modulo
 * 62, which would make the first eight characters likelier than the rest.
 */
export function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte >= 248) continue;
      out += BASE62[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

/** A new secret: `sk-sy-` and 40 base62 characters (about 238 bits). */
export function generateApiKey(): string {
  return `${API_KEY_PREFIX}${randomBase62(40)}`;
}

/**
 * Keys are long random strings, not passwords, so a single unsalted SHA-256 is enough to make the
 * stored value useless to whoever reads the database, and cheap enough to run on every request.
 */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** What `keys list` shows to tell keys apart: the fixed prefix and four characters of the secret. */
export function displayPrefix(key: string): string {
  return key.slice(0, API_KEY_PREFIX.length + 4);
}
