import type { RequestRecord } from '../../src/spec/request-record.js';

/** A finished chat request record with plausible defaults. */
export function usageRecord(over: Partial<RequestRecord> = {}): RequestRecord {
  return {
    id: `r-${Math.random().toString(36).slice(2)}`,
    startedAt: Date.UTC(2026, 10, 24, 12),
    endedAt: Date.UTC(2026, 10, 24, 12) + 500,
    keyId: 'key-1',
    team: 'research',
    workload: 'support',
    endpoint: 'chat',
    modelRequested: 'gpt-4o',
    deploymentId: 'vllm-llama',
    provider: 'openai-compatible',
    upstreamModel: 'meta-llama/Llama-3.3-70B-Instruct',
    status: 200,
    errorCode: null,
    inputTokens: 100,
    outputTokens: 50,
    cachedTokens: null,
    reasoningTokens: null,
    usageEstimated: false,
    latencyMs: 500,
    ttftMs: 80,
    streamed: true,
    truncated: false,
    finishReason: 'stop',
    costUsd: 0.0001,
    baselineCostUsd: 0.00075,
    costEstimated: false,
    overheadMs: 1,
    route: null,
    requestBody: null,
    responseBody: null,
    tags: null,
    ...over,
  };
}
