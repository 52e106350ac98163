import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Whether a presented bearer token is the master key. Both sides are hashed first so the comparison
 * runs over equal lengths in constant time and leaks neither the key's content nor its length.
 */
export function isMasterKey(presented: string, master: string | undefined): boolean {
  if (master === undefined || master === '') return false;
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(master).digest();
  return timingSafeEqual(a, b);
}
