import { finalizeHash, hashWord } from '../router/feature-hash.js';

/**
 * FNV-1a over UTF-16 code units, finished with murmur3's fmix32 avalanche: FNV alone leaves the low
 * bits of similar keys (`user-1`, `user-2`) correlated, which skews weighted splits. The same hash the
 * complexity router buckets words with.
 */
export function stableHash32(text: string): number {
  return finalizeHash(hashWord(text));
}

/** A stable point in [0, 1) for a key. */
export function stableUnit(text: string): number {
  return stableHash32(text) / 0x1_0000_0000;
}
