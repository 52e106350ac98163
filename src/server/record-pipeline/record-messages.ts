import type { CostConfig } from '../../config/schema/cost-schema.js';
import type { SelfHostedReport } from '../../cost/self-hosted-cost-allocator.js';
import type { ChatCompletionRequest } from '../../spec/chat.js';
import type { Deployment } from '../../spec/deployment.js';
import type { RequestRecord } from '../../spec/request-record.js';
import type { OtlpExporterOptions } from '../../telemetry/otlp-exporter.js';
import type { ShadowPair } from '../../shadow/shadow-pair.js';

/** What the record worker is started with: everything it needs to price, store and trace records. */
export interface RecordWorkerConfig {
  dataDir: string;
  batchIntervalMs: number;
  batchSize: number;
  cost: CostConfig;
  deployments: Deployment[];
  /** Folder `cost.priceFiles` are relative to. */
  baseDir: string;
  otlp?: Omit<OtlpExporterOptions, 'warn' | 'fetchImpl'>;
}

/**
 * A finished request and what pricing it needs besides the record. The request and the answer's
 * text go over only when the worker needs them (a baseline to price, or usage to count), since
 * copying them to the worker is most of what a record costs the event loop.
 */
export interface RecordItem {
  t: 'record';
  record: RequestRecord;
  request?: ChatCompletionRequest;
  outputText?: string;
}

/** An attempt began to occupy a deployment (self-hosted cost is shared by occupancy). */
export interface AttemptItem {
  t: 'attempt';
  requestId: string;
  deploymentId: string;
  atMs: number;
}

/** Usage of one call made for a shadow pair (the candidate's answer, or the judge's verdict). */
export interface PairCallUsage {
  /** Self-hosted time is allocated by the attempts marked under this id. */
  callId: string;
  deployment: Deployment;
  inputTokens: number | null;
  outputTokens: number | null;
  cachedTokens: number | null;
  reasoningTokens: number | null;
  latencyMs: number;
  status: number;
}

/** A completed shadow pair: its calls are priced here, then it is stored. */
export interface ShadowItem {
  t: 'shadow';
  pair: ShadowPair;
  candidateCall?: PairCallUsage;
  judgeCall?: PairCallUsage;
}

export type ToWorker =
  | { t: 'batch'; items: Array<RecordItem | AttemptItem | ShadowItem> }
  | { t: 'flush'; id: number }
  | { t: 'reports'; id: number }
  | { t: 'close'; id: number };

/** The fields pricing fills in, sent back so the request's budget and metrics see them. */
export type PricedFields = Pick<
  RequestRecord,
  | 'id'
  | 'costUsd'
  | 'baselineCostUsd'
  | 'costEstimated'
  | 'inputTokens'
  | 'outputTokens'
  | 'cachedTokens'
  | 'reasoningTokens'
  | 'usageEstimated'
>;

export type FromWorker =
  | { t: 'ready' }
  | { t: 'priced'; items: PricedFields[] }
  | { t: 'shadowPriced'; items: Array<{ id: string; routeId: string; costUsd: number }> }
  | { t: 'warn'; message: string }
  | { t: 'done'; id: number; reports?: Array<[string, SelfHostedReport]> }
  | { t: 'fatal'; message: string };
