import type { IncomingHttpHeaders } from 'node:http';
import type { GatewayConfig } from '../config/gateway-config.js';
import type { ChatCompletionRequest } from '../spec/chat.js';
import type { Deployment } from '../spec/deployment.js';
import type { RecordStore, RequestRecord } from '../spec/request-record.js';
import type { BackendStates } from '../health/index.js';
import type { RoutePlan } from '../routing/index.js';
import type { ProviderLookup } from './pipeline/execution-plan.js';
import type { Caller, RequestContext } from './request-context.js';

/** Admission for one request: budget reservations and rate-limit headers, settled when it ends. */
export interface Admission {
  headers: Record<string, string>;
  settle(actualCostUsd: number | null): void;
}

export interface RoutePlanner {
  /** Throws GatewayError for unknown models (404) and residency refusals. */
  plan(ctx: RequestContext, request: ChatCompletionRequest): RoutePlan;
  /**
   * Deployments for endpoints that are not routed by policy (embeddings, completions): the model's
   * pool, less external deployments when the request's data is restricted (403 when none is left).
   * `request` carries the endpoint's input text as a chat request, for the detector.
   */
  pool(ctx: RequestContext, request: ChatCompletionRequest): Deployment[];
}

export interface AdmissionControl {
  /** `plan` gives the candidates in order; the first is the one a per-deployment limit applies to. */
  admit(
    ctx: RequestContext,
    request: ChatCompletionRequest,
    plan: { candidates: ReadonlyArray<{ deployment: string }> },
  ): Promise<Admission>;
}

/** Prices a finished record (cost, baseline) and feeds metrics; may complete asynchronously. */
export interface RecordSink {
  finish(
    record: RequestRecord,
    detail: { request?: ChatCompletionRequest; outputText?: string; deployment?: Deployment },
  ): void;
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
  /** Prometheus text for GET /metrics. */
  metricsText(): string;
  close(): Promise<void>;
}
