import type { RequestRecord, RouteExplanation, StoredRecord } from '../spec/request-record.js';

/** The `records` table's columns in insert order; `seq` is the rowid and is assigned by SQLite. */
export const RECORD_COLUMNS = [
  'id',
  'started_at',
  'ended_at',
  'key_id',
  'team',
  'workload',
  'endpoint',
  'model_requested',
  'deployment_id',
  'provider',
  'upstream_model',
  'status',
  'error_code',
  'input_tokens',
  'output_tokens',
  'cached_tokens',
  'reasoning_tokens',
  'usage_estimated',
  'latency_ms',
  'ttft_ms',
  'streamed',
  'truncated',
  'finish_reason',
  'cost_usd',
  'baseline_cost_usd',
  'cost_estimated',
  'overhead_ms',
  'route',
  'request_body',
  'response_body',
  'tags',
] as const;

export interface RecordRow {
  seq: number;
  id: string;
  started_at: number;
  ended_at: number;
  key_id: string | null;
  team: string | null;
  workload: string | null;
  endpoint: RequestRecord['endpoint'];
  model_requested: string;
  deployment_id: string | null;
  provider: string | null;
  upstream_model: string | null;
  status: number;
  error_code: string | null;
  input_tokens: number | null;
  output_tokens: number | null;
  cached_tokens: number | null;
  reasoning_tokens: number | null;
  usage_estimated: number;
  latency_ms: number;
  ttft_ms: number | null;
  streamed: number;
  truncated: number;
  finish_reason: string | null;
  cost_usd: number | null;
  baseline_cost_usd: number | null;
  cost_estimated: number;
  overhead_ms: number | null;
  route: string | null;
  request_body: string | null;
  response_body: string | null;
  tags: string | null;
}

type Bindable = string | number | null;

/** Positional parameters for one insert, in RECORD_COLUMNS order. */
export function recordToParams(r: RequestRecord): Bindable[] {
  return [
    r.id,
    r.startedAt,
    r.endedAt,
    r.keyId,
    r.team,
    r.workload,
    r.endpoint,
    r.modelRequested,
    r.deploymentId,
    r.provider,
    r.upstreamModel,
    r.status,
    r.errorCode,
    r.inputTokens,
    r.outputTokens,
    r.cachedTokens,
    r.reasoningTokens,
    r.usageEstimated ? 1 : 0,
    r.latencyMs,
    r.ttftMs,
    r.streamed ? 1 : 0,
    r.truncated ? 1 : 0,
    r.finishReason,
    r.costUsd,
    r.baselineCostUsd,
    r.costEstimated ? 1 : 0,
    r.overheadMs,
    r.route === null ? null : JSON.stringify(r.route),
    r.requestBody,
    r.responseBody,
    r.tags === null ? null : JSON.stringify(r.tags),
  ];
}

export function rowToRecord(row: RecordRow): StoredRecord {
  return {
    seq: row.seq,
    id: row.id,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    keyId: row.key_id,
    team: row.team,
    workload: row.workload,
    endpoint: row.endpoint,
    modelRequested: row.model_requested,
    deploymentId: row.deployment_id,
    provider: row.provider,
    upstreamModel: row.upstream_model,
    status: row.status,
    errorCode: row.error_code,
    inputTokens: row.input_tokens,
    outputTokens: row.output_tokens,
    cachedTokens: row.cached_tokens,
    reasoningTokens: row.reasoning_tokens,
    usageEstimated: row.usage_estimated === 1,
    latencyMs: row.latency_ms,
    ttftMs: row.ttft_ms,
    streamed: row.streamed === 1,
    truncated: row.truncated === 1,
    finishReason: row.finish_reason,
    costUsd: row.cost_usd,
    baselineCostUsd: row.baseline_cost_usd,
    costEstimated: row.cost_estimated === 1,
    overheadMs: row.overhead_ms,
    route: row.route === null ? null : (JSON.parse(row.route) as RouteExplanation),
    requestBody: row.request_body,
    responseBody: row.response_body,
    tags: row.tags === null ? null : (JSON.parse(row.tags) as Record<string, string>),
  };
}
