import type { LabelledExample } from '../../src/complexity-router/index.js';
import { seededRandom } from '../../src/stats/seeded-random.js';

const HARD = [
  'Prove that the integral of',
  'Derive the eigenvalues of the matrix',
  'Solve the differential equation',
];
const EASY = ['Say hello to', 'Thank you for the lovely', 'Tell me a short joke about'];
const NOUNS = ['cats', 'rivers', 'trains', 'maps', 'gardens', 'clocks', 'stars', 'bridges'];

/**
 * Requests whose difficulty is plain from their words: the weak model fails the mathematical ones
 * (the strong one solves them) and both models answer the small talk.
 */
export function syntheticExamples(count: number, seed: number): LabelledExample[] {
  const rand = seededRandom(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  return Array.from({ length: count }, () => {
    const hard = rand() < 0.4;
    const prompt = `${pick(hard ? HARD : EASY)} ${pick(NOUNS)} and ${pick(NOUNS)}.`;
    return { input: prompt, strong: 1, weak: hard ? 0 : 1 };
  });
}
