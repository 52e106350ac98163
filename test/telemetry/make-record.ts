import type { RequestRecord } from '../../src/spec/request-record.js';

let counter = 0;

/** A finished, successful streamed chat request; tests override what they look at. */
export function makeRecord(overrides: Partial<RequestRecord> = {}): RequestRecord {
  counter += 1;
  const startedAt = Date.UTC(2026, 10, 25, 12, 0, 0) + counter;
  return {
    id: `req_${counter}`,
    startedAt,
    endedAt: startedAt + 120,
    keyId: 'key_secret_id',
    team: 'payments',
    workload: 'support',
    endpoint: 'chat',
    modelRequested: 'gpt-4o',
    deploymentId: 'vllm-llama',
    provider: 'vllm',
    upstreamModel: 'meta-llama/Llama-3.1-8B-Instruct',
    status: 200,
    errorCode: null,
    inputTokens: 12,
    outputTokens: 34,
    cachedTokens: 0,
    reasoningTokens: null,
    usageEstimated: false,
    latencyMs: 120,
    ttftMs: 40,
    streamed: true,
    truncated: false,
    finishReason: 'stop',
    costUsd: 0.0001,
    baselineCostUsd: 0.0004,
    costEstimated: false,
    overheadMs: 0.2,
    route: {
      routeId: 'support-default',
      rule: 'workload=support',
      targetKind: 'fallback',
      residency: { dataClass: 'normal', reason: null },
      attempts: [{ deployment: 'vllm-llama', outcome: 'ok', status: 200, latencyMs: 119 }],
    },
    requestBody: '{"messages":[{"role":"user","content":"my secret prompt"}]}',
    responseBody: '{"choices":[{"message":{"content":"the secret answer"}}]}',
    tags: null,
    ...overrides,
  };
}
