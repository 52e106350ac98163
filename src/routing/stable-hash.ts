import { fmix32, fnv1a } from '../hashing/fnv1a.js';

/**
 * A key's stable 32-bit hash (FNV-1a with an fmix32 finish): every replica, and every release, places
 * a sticky key in the same place.
 */
export function stableHash32(text: string): number {
  return fmix32(fnv1a(text));
}

/** A stable point in [0, 1) for a key. */
export function stableUnit(text: string): number {
  return stableHash32(text) / 0x1_0000_0000;
}
