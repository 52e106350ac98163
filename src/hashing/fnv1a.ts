/**
 * 32-bit FNV-1a over UTF-16 code units and murmur3's fmix32 finaliser. Integer-only arithmetic gives
 * the same value on every platform and Node version, which sticky routing (every replica places a
 * key in the same place) and the shipped router weights (trained on these hashes) both depend on.
 */
export const FNV_OFFSET = 0x811c9dc5 | 0;

/** One step of FNV-1a, so a scanner can hash words and n-grams without building substrings. */
export function fnvStep(hash: number, charCode: number): number {
  return Math.imul(hash ^ charCode, 0x01000193);
}

export function fnv1a(text: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < text.length; i++) h = fnvStep(h, text.charCodeAt(i));
  return h;
}

/**
 * Final avalanche: FNV alone leaves the low bits of similar keys (`user-1`, `user-2`) correlated,
 * which would skew weighted splits and bucket indices. Returns an unsigned 32-bit value.
 */
export function fmix32(hash: number): number {
  let h = hash;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
