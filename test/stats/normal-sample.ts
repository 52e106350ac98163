import { seededRandom } from '../../src/stats/index.js';

/** Standard normal draws by Box–Muller from the seeded generator: known distributions for tests. */
export function normalSample(n: number, seed: number, meanValue = 0, sd = 1): number[] {
  const random = seededRandom(seed);
  const out: number[] = [];
  while (out.length < n) {
    const u = 1 - random();
    const v = random();
    out.push(meanValue + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
  }
  return out;
}

export function bernoulliSample(n: number, p: number, seed: number): number[] {
  const random = seededRandom(seed);
  return Array.from({ length: n }, () => (random() < p ? 1 : 0));
}
