export type {
  BackendStateView,
  BreakerState,
  Candidate,
  CandidateReason,
  DataClass,
  DataClassSource,
  DeploymentLoad,
  ResidencyVerdict,
  RouteInput,
  RoutePlan,
} from './route-plan.js';
export { compileRoutingTable, DEFAULT_FALLBACK_ON, DEFAULT_RETRY_POLICY } from './routing-table.js';
export type { RoutingTable, RoutingSource } from './routing-table.js';
export { planRoute, residencyViolation } from './plan-route.js';
export type { PlanOptions } from './plan-route.js';
export { routeInputFromChat } from './route-input-from-chat.js';
export {
  shouldFallback,
  backoffDelayMs,
  countsAgainstBackend,
  fallbackConditionOf,
} from './failure-policy.js';
export { FailoverController, mayStillBeGenerating, noBackendAvailable } from './failover-controller.js';
export type { NextAttempt, AttemptFailure, StopReason, FailoverOptions } from './failover-controller.js';
export { explainRoute } from './explain-route.js';
export { formatRouteHeader } from './format-route-header.js';
export { assessResidency, mayReceive, mustRedactFor } from './assess-residency.js';
export { applyRollout, type RolloutAssignment } from './apply-rollout.js';
