import { stableUnit } from './stable-hash.js';

export interface Weighted {
  weight: number;
}

/**
 * Picks an entry with probability proportional to its weight. `point` in [0, 1) comes from a stable
 * hash of the sticky key (same key, same entry) or from a random source.
 */
export function pickWeighted<T extends Weighted>(entries: readonly T[], point: number): number {
  let total = 0;
  for (const e of entries) total += Math.max(0, e.weight);
  if (total <= 0) return 0;
  let at = point * total;
  for (let i = 0; i < entries.length; i++) {
    const w = Math.max(0, entries[i].weight);
    if (at < w) return i;
    at -= w;
  }
  // Floating-point remainder lands past the end: the last positive entry takes it.
  for (let i = entries.length - 1; i >= 0; i--) if (entries[i].weight > 0) return i;
  return 0;
}

/** The point for a sticky key; salted with the route id so two splits do not move in lockstep. */
export function stickyPoint(routeId: string, key: string): number {
  return stableUnit(`${routeId}\u0000${key}`);
}
