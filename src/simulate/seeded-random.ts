import { randomUUID } from 'node:crypto';

/** FNV-1a over a string, continuing from `seed`: a cheap, stable hash for seeding. */
export function hashString(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export { seededRandom } from '../stats/seeded-random.js';

export function randomSeed(): number {
  return (Math.random() * 4294967296) >>> 0;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** 32 random hex digits, as Python's uuid4().hex gives (what vLLM ids use). */
export function randomHex32(): string {
  const u = randomUUID();
  return u.slice(0, 8) + u.slice(9, 13) + u.slice(14, 18) + u.slice(19, 23) + u.slice(24);
}

export function randomAlnum(length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += ALNUM[(Math.random() * ALNUM.length) | 0];
  return s;
}
