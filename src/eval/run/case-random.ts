import { fnv1a } from '../../hashing/fnv1a.js';
import { seededRandom } from '../../stats/index.js';

/** A generator for one (seed, case, scorer, role): independent of the order cases complete in. */
export function caseRandom(seed: number, ...keys: string[]): () => number {
  return seededRandom(fnv1a(`${seed}\u0000${keys.join('\u0000')}`));
}
