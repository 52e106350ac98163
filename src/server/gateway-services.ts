import type { IncomingHttpHeaders } from 'node:http';
import type { GatewayConfig } from '../config/gateway-config.js';
import type { BackendStates } from '../health/index.js';
import type { RoutePlan } from '../routing/index.js';
import type { ChatCompletionRequest } from '../spec/chat.js';
import type { Deployment } from '../spec/deployment.js';
import type { GatewayError } from '../spec/gateway-error.js';
import type { Endpoint, RecordStore, RequestRecord, RouteExplanation } from '../spec/request-record.js';
import type { Caller, RequestPolicy } from './lifecycle/request-policy.js';
import type { ProviderLookup } from './pipeline/execute-attempts.js';
import type { SecretScrubber } from '../secrets/secret-scrubber.js';
import type { ShadowDispatcher } from './shadow/shadow-dispatcher.js';

/** Admission for one request: budget reservations and rate-limit headers, settled when it is priced. */
export interface Admission {
  headers: Record<string, string>;
  settle(actualCostUsd: number | null): void;
}

/** What routing is told about one request. */
export interface RouteRequest {
  /** The request's id: the last-resort sticky key of a rollout. */
  requestId: string;
  endpoint: Endpoint;
  model: string;
  caller: Caller;
  policy: RequestPolicy;
  headers: IncomingHttpHeaders;
  /** The request as chat, for the router's features (tools, response format, messages). */
  chat: ChatCompletionRequest;
  /** The body as the client sent it, for the personal-data detector: every text it carries. */
  body: unknown;
}

/** A refusal is a routing decision too: it carries the explanation the record keeps. */
export interface RouteRefusal extends GatewayError {
  route?: RouteExplanation;
}

export interface RoutePlanner {
  /**
   * The plan for a request: chat-shaped endpoints by the route policies, embeddings and legacy
   * completions by the model's pool. Throws GatewayError (404 unknown model, 403 residency
   * refusal with its `route` explanation).
   */
  plan(request: RouteRequest): RoutePlan;
}

export interface AdmissionControl {
  /** `plan` gives the candidates in order; the first is the one a per-deployment limit applies to. */
  admit(
    who: { caller: Pick<Caller, 'keyId' | 'team'>; workload: string | null },
    request: ChatCompletionRequest,
    plan: { candidates: ReadonlyArray<{ deployment: string }> },
  ): Promise<Admission>;
}

/** What pricing a finished record needs besides the record. */
export interface RecordDetail {
  request?: ChatCompletionRequest;
  outputText?: string;
  deployment?: Deployment;
}

/**
 * Prices finished records (cost, baseline), feeds metrics and stores them, off the request path.
 * `onPriced` runs once the cost is known, so a budget's reservation holds until then.
 */
export interface RecordSink {
  /** Throws a 503 while too many finished requests wait to be priced and stored. */
  admit(): void;
  finish(record: RequestRecord, detail: RecordDetail, onPriced?: (costUsd: number | null) => void): void;
  /** Resolves once every record handed over so far is priced and stored. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export interface Authenticator {
  /** Throws GatewayError 401 when the request carries no valid key. */
  authenticate(headers: IncomingHttpHeaders): Caller;
}

export interface AdminApi {
  /** Extra admin routes (`/admin/...`), answered with JSON. Returns undefined for unknown paths. */
  handle(
    method: string,
    url: URL,
  ): Promise<{ status: number; body: unknown; contentType?: string } | undefined>;
}

/** Counters the edge feeds directly (everything else is counted from records). */
export interface GatewayMetricsSink {
  authFailure(reason: string): void;
}

export interface GatewayServices {
  config: GatewayConfig;
  providers: ProviderLookup;
  records: RecordStore;
  auth: Authenticator;
  router: RoutePlanner;
  deployments: ReadonlyMap<string, Deployment>;
  states: BackendStates;
  /** An attempt on a deployment begins (self-hosted cost is allocated by the time it occupies). */
  onAttemptStart?: (requestId: string, deploymentId: string) => void;
  admission: AdmissionControl;
  sink: RecordSink;
  admin: AdminApi[];
  /** Known secrets (upstream keys, the master key, key-shaped strings) removed from what leaves. */
  scrubber: SecretScrubber;
  metrics: GatewayMetricsSink;
  /** Whether a master key is configured: without one the admin API is off. */
  adminEnabled: boolean;
  /** Copies sampled requests of shadowed routes to their candidates, after the primary answered. */
  shadow?: ShadowDispatcher;
  /** Prometheus text for GET /metrics. */
  metricsText(): string;
  close(): Promise<void>;
}
