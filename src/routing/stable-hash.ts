/**
 * FNV-1a over UTF-16 code units, finished with murmur3's fmix32 avalanche: FNV alone leaves the low
 * bits of similar keys (`user-1`, `user-2`) correlated, which skews weighted splits. Integer-only
 * arithmetic gives the same value on every platform and Node version, so every replica (and every
 * release) places a sticky key in the same place.
 */
export function stableHash32(text: string): number {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A stable point in [0, 1) for a key. */
export function stableUnit(text: string): number {
  return stableHash32(text) / 0x1_0000_0000;
}
