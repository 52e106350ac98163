import type { CostAccountant } from '../../cost/cost-accountant.js';
import type { RequestRecord } from '../../spec/request-record.js';
import type { PairCallUsage } from './record-messages.js';

/**
 * What one call made for a shadow pair cost, priced like any request (token list price, or its
 * share of a self-hosted deployment's GPU time) but never recorded as a request: shadow spend stays
 * out of budgets, rate limits and savings.
 */
export function pricePairCall(accountant: CostAccountant, call: PairCallUsage, nowMs: number): number | null {
  const record: RequestRecord = {
    id: call.callId,
    startedAt: nowMs - call.latencyMs,
    endedAt: nowMs,
    keyId: null,
    team: null,
    workload: null,
    endpoint: 'chat',
    modelRequested: call.deployment.model,
    deploymentId: call.deployment.id,
    provider: call.deployment.provider,
    upstreamModel: call.deployment.model,
    status: call.status,
    errorCode: null,
    inputTokens: call.inputTokens,
    outputTokens: call.outputTokens,
    cachedTokens: call.cachedTokens,
    reasoningTokens: null,
    usageEstimated: false,
    latencyMs: call.latencyMs,
    ttftMs: null,
    streamed: false,
    truncated: false,
    finishReason: null,
    costUsd: null,
    baselineCostUsd: null,
    costEstimated: false,
    overheadMs: null,
    route: null,
    requestBody: null,
    responseBody: null,
    tags: null,
  };
  return accountant.price(record, { deployment: call.deployment }).costUsd;
}
