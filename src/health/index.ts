export { CircuitBreaker, DEFAULT_BREAKER_OPTIONS } from './circuit-breaker.js';
export type { BreakerOptions } from './circuit-breaker.js';
export { BackendState } from './backend-state.js';
export type { AttemptOutcome, BackendSnapshot, HealthResult } from './backend-state.js';
export { BackendStates } from './backend-states.js';
export type { BackendsSnapshot, BackendStatesOptions } from './backend-states.js';
export { ActiveHealthChecker, endpointUrl } from './active-health-checker.js';
export { parseEngineMetrics } from './engine-metrics.js';
export type { EngineMetrics } from './engine-metrics.js';
