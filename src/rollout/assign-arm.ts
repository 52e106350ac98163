import { stableUnit } from '../routing/stable-hash.js';

export type RolloutArm = 'baseline' | 'candidate';

/** The ids a request can be kept on one arm by; `requestId` is always there. */
export interface StickyIds {
  user?: string | null;
  sessionId?: string | null;
  requestId: string;
}

/**
 * The key that keeps a caller on one arm: the preferred id (the request's user, or its conversation
 * id), else the other one, else the request id, so a request with neither still gets a stable answer
 * (a retry with the same id lands on the same arm). Prefixed by kind, so user `42` and session `42`
 * are different callers.
 */
export function stickyKeyFor(ids: StickyIds, prefer: 'user' | 'session' = 'user'): string {
  const user = ids.user ? `user:${ids.user}` : undefined;
  const session = ids.sessionId ? `session:${ids.sessionId}` : undefined;
  const first = prefer === 'user' ? (user ?? session) : (session ?? user);
  return first ?? `request:${ids.requestId}`;
}

/**
 * Which arm serves a caller when the candidate gets `candidatePercent` of the route's traffic.
 * Pure: every replica answers the same from the same inputs. A caller's point in [0, 100) comes
 * from a stable hash of the route, the candidate and the sticky key; the candidate takes the points
 * below the share, so raising the share from 5% to 25% keeps every caller who had the candidate at
 * 5% on it, and lowering it moves back only the callers above the new share. The candidate id is in
 * the hash so that a new candidate on the same route starts with a fresh draw of callers.
 */
export function assignArm(
  rollout: { route: string; candidate: string },
  candidatePercent: number,
  stickyKey: string,
): RolloutArm {
  if (!(candidatePercent > 0)) return 'baseline';
  if (candidatePercent >= 100) return 'candidate';
  return stickyPoint(rollout, stickyKey) < candidatePercent ? 'candidate' : 'baseline';
}

/** The caller's point in [0, 100): it has the candidate at every share above this. */
export function stickyPoint(rollout: { route: string; candidate: string }, stickyKey: string): number {
  return stableUnit(`rollout\u0000${rollout.route}\u0000${rollout.candidate}\u0000${stickyKey}`) * 100;
}
