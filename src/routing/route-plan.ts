import type { FallbackCondition, RetryPolicy } from '../config/schema/routes-schema.js';
import type { RouteExplanation } from '../spec/request-record.js';

export type DataClass = 'restricted' | 'normal';

/** Where an explicit data class came from; the detector's findings are carried separately. */
export type DataClassSource = 'header' | 'key' | 'workload';

/** What routing needs to know about one request. Built by the server from the request and its key. */
export interface RouteInput {
  model: string;
  keyId?: string | null;
  team?: string | null;
  workload?: string | null;
  /** Lower-cased header names. */
  headers?: Readonly<Record<string, string | undefined>>;
  /** Data class set explicitly by header, key or workload; `restricted` from any source wins. */
  dataClass?: DataClass;
  dataClassSource?: DataClassSource;
  /** Kinds of personal data or secrets the detector found in the prompt (empty or absent: none). */
  sensitiveKinds?: readonly string[];
  promptTokens?: number;
  hasTools?: boolean;
  jsonSchema?: boolean;
  /**
   * The complexity router's score in [0, 1]: the share of its reference requests that look less in
   * need of the strong model (a rank, not a probability). Called at most once, and only when a route
   * needs it.
   */
  complexity?: () => number;
  /** The request body's `user` field, used by `sticky: user` when present. */
  user?: string | null;
  /** Conversation id, used by `sticky: session` (falls back to the `x-session-id` header). */
  sessionId?: string | null;
  /** Overrides whatever a split's `sticky` setting would read: the caller already knows the key. */
  stickyKey?: string | null;
}

export type BreakerState = 'closed' | 'open' | 'half_open';

/** The live numbers routing reads about one deployment. Absent numbers are unknown, never zero. */
export interface DeploymentLoad {
  inFlight: number;
  breaker: BreakerState;
  ewmaLatencyMs?: number;
  ewmaTtftMs?: number;
  /** False after a failed active health check; undefined when the deployment is not probed. */
  healthy?: boolean;
  queueDepth?: number;
  /** KV-cache use reported by the engine, 0..1. */
  kvCacheUsage?: number;
}

/** Read-only view of backend state at planning time, so planning stays a pure function. */
export interface BackendStateView {
  load(deploymentId: string): DeploymentLoad | undefined;
}

export type CandidateReason =
  'primary' | 'pool' | 'split' | 'fallback' | 'spillover' | 'passthrough' | 'rollout';

export interface Candidate {
  deployment: string;
  reason: CandidateReason;
}

export interface ResidencyVerdict {
  dataClass: DataClass;
  /** `header`, `key`, `workload`, `detected(email,iban)`, `redacted(email)` or null for normal data. */
  reason: string | null;
  /** Whether any external deployment may serve this request. */
  allowExternal: boolean;
  /** Detected spans must be replaced before the request goes to an external deployment. */
  redact: boolean;
  /** External deployments dropped from the candidates because of the data class. */
  removedExternal: string[];
}

export interface RoutePlan {
  routeId: string | null;
  rule: string | null;
  targetKind: RouteExplanation['targetKind'];
  /** Ordered: the first is tried first; the rest only after a failure the route falls back on. */
  candidates: Candidate[];
  retryPolicy: RetryPolicy;
  fallbackOn: readonly FallbackCondition[];
  firstTokenBudgetMs?: number;
  residency: ResidencyVerdict;
  routerScore?: number;
  routerThreshold?: number;
  routerChoice?: 'weak' | 'strong';
  /** The preferred pool was saturated and the primary comes from an overflow tier. */
  spilled: boolean;
  /** Why the preferred pool counted as saturated (`in_flight 8>=8`, `queue 12>4`), when it spilled. */
  spillReason?: string;
  /** The saturated pool the request overflowed from. */
  spilledFrom?: string[];
  logBodies?: boolean;
  /** The route is in a gated cutover: which arm this request's caller is on, at what share. */
  rollout?: { arm: 'baseline' | 'candidate'; candidatePercent: number };
}
