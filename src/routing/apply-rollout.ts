import type { Deployment } from '../spec/deployment.js';
import { mayReceive } from './assess-residency.js';
import type { RoutePlan } from './route-plan.js';

/** A caller's place in a route's gated cutover. */
export interface RolloutAssignment {
  arm: 'baseline' | 'candidate';
  candidate: string;
  candidatePercent: number;
}

/**
 * A plan with a rollout applied: callers on the candidate arm are served by the candidate first,
 * with the route's own candidates behind it for failures; callers on the baseline arm never reach
 * the candidate, so each arm's figures are its own. Restricted data never goes to an external
 * candidate: such a caller stays on the baseline.
 */
export function applyRollout(
  plan: RoutePlan,
  assignment: RolloutAssignment,
  deployments: ReadonlyMap<string, Deployment>,
): RoutePlan {
  const others = plan.candidates.filter((c) => c.deployment !== assignment.candidate);
  const candidateAllowed = mayReceive(plan.residency, deployments.get(assignment.candidate));
  const arm = assignment.arm === 'candidate' && candidateAllowed ? 'candidate' : 'baseline';
  return {
    ...plan,
    candidates:
      arm === 'candidate' ? [{ deployment: assignment.candidate, reason: 'rollout' }, ...others] : others,
    rollout: { arm, candidatePercent: assignment.candidatePercent },
  };
}
