import type { RouteAttempt, RouteExplanation } from '../spec/request-record.js';
import type { RoutePlan } from './route-plan.js';

/** The plan and the attempts made under it, in the shape the request record stores. */
export function explainRoute(
  plan: RoutePlan,
  attempts: readonly RouteAttempt[],
  redacted?: number,
): RouteExplanation {
  const explanation: RouteExplanation = {
    routeId: plan.routeId,
    rule: plan.rule,
    targetKind: plan.targetKind,
    residency: { dataClass: plan.residency.dataClass, reason: plan.residency.reason },
    spilled: plan.spilled,
    attempts: [...attempts],
  };
  if (redacted !== undefined && explanation.residency) explanation.residency.redacted = redacted;
  if (plan.routerScore !== undefined) explanation.routerScore = plan.routerScore;
  if (plan.routerThreshold !== undefined) explanation.routerThreshold = plan.routerThreshold;
  if (plan.routerChoice !== undefined) explanation.routerChoice = plan.routerChoice;
  if (plan.rollout !== undefined) explanation.rollout = { ...plan.rollout };
  return explanation;
}
