import { fnvStep } from '../hashing/fnv1a.js';

/** Combines two hashes into a third that depends on their order (word bigrams). */
export function combineHashes(a: number, b: number): number {
  return fnvStep(fnvStep(Math.imul(a, 0x9e3779b1) ^ 0x5bd1e995, b & 0xffff), b >>> 16);
}
