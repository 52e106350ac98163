import type { RequestRecord } from '../../src/spec/request-record.js';

let counter = 0;

/** A plausible finished chat request; tests override what they look at. */
export function makeRecord(overrides: Partial<RequestRecord> = {}): RequestRecord {
  counter += 1;
  const startedAt = overrides.startedAt ?? Date.UTC(2026, 10, 25, 12, 0, 0) + counter;
  return {
    id: `req_${counter}`,
    startedAt,
    endedAt: startedAt + 120,
    keyId: 'key_test',
    team: null,
    workload: 'support',
    endpoint: 'chat',
    modelRequested: 'gpt-4o',
    deploymentId: 'vllm-llama',
    provider: 'openai-compatible',
    upstreamModel: 'meta-llama/Llama-3.1-8B-Instruct',
    status: 200,
    errorCode: null,
    inputTokens: 12,
    outputTokens: 34,
    cachedTokens: 0,
    reasoningTokens: null,
    usageEstimated: false,
    latencyMs: 120.5,
    ttftMs: 40,
    streamed: true,
    truncated: false,
    finishReason: 'stop',
    costUsd: 0.0001,
    baselineCostUsd: 0.0004,
    costEstimated: false,
    overheadMs: 0.2,
    route: {
      routeId: null,
      rule: null,
      targetKind: 'pool',
      attempts: [{ deployment: 'vllm-llama', outcome: 'ok', status: 200, latencyMs: 119 }],
    },
    requestBody: null,
    responseBody: null,
    tags: null,
    ...overrides,
  };
}
