/**
 * 32-bit FNV-1a, fed one char code at a time so the scanner hashes words and n-grams without building
 * substrings. Integer-only arithmetic keeps the result identical across platforms and Node versions,
 * which the shipped weights depend on.
 */
export const FNV_OFFSET = 0x811c9dc5 | 0;

export function fnvStep(hash: number, charCode: number): number {
  return Math.imul(hash ^ charCode, 0x01000193);
}

/** Combines two hashes into a third that depends on their order (word bigrams). */
export function combineHashes(a: number, b: number): number {
  return fnvStep(fnvStep(Math.imul(a, 0x9e3779b1) ^ 0x5bd1e995, b & 0xffff), b >>> 16);
}

/** Final avalanche (murmur3 fmix32) so the low bits used as a bucket index are well mixed. */
export function finalizeHash(hash: number): number {
  let h = hash;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export function hashWord(word: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < word.length; i++) h = fnvStep(h, word.charCodeAt(i));
  return h;
}
