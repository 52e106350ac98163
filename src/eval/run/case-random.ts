import { seededRandom } from '../../stats/index.js';

/** FNV-1a: a stable 32-bit hash, so a seed and a case id always give the same draws. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A generator for one (seed, case, scorer, role): independent of the order cases complete in. */
export function caseRandom(seed: number, ...keys: string[]): () => number {
  return seededRandom(fnv1a(`${seed}\u0000${keys.join('\u0000')}`));
}
