import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * A check for the master key, with the master's hash computed once. Both sides are hashed so the
 * comparison runs over equal lengths in constant time and leaks neither the key's content nor its
 * length. Without a master key (unset or empty) nothing matches.
 */
export function masterKeyMatcher(master: string | undefined): (presented: string) => boolean {
  if (master === undefined || master === '') return () => false;
  const expected = digest(master);
  return (presented) => timingSafeEqual(digest(presented), expected);
}

export function isMasterKey(presented: string, master: string | undefined): boolean {
  return masterKeyMatcher(master)(presented);
}
