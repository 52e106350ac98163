import type { CostAccountant } from '../../cost/cost-accountant.js';
import { blankRecord, type RequestRecord } from '../../spec/request-record.js';
import type { PairCallUsage } from './record-messages.js';

/**
 * What one call made for a shadow pair cost, priced like any request (token list price, or its
 * share of a self-hosted deployment's GPU time) but never recorded as a request: shadow spend stays
 * out of budgets, rate limits and savings.
 */
export function pricePairCall(accountant: CostAccountant, call: PairCallUsage, nowMs: number): number | null {
  const record: RequestRecord = {
    ...blankRecord(call.callId, 'chat', nowMs - call.latencyMs),
    endedAt: nowMs,
    modelRequested: call.deployment.model,
    deploymentId: call.deployment.id,
    provider: call.deployment.provider,
    upstreamModel: call.deployment.model,
    status: call.status,
    inputTokens: call.inputTokens,
    outputTokens: call.outputTokens,
    cachedTokens: call.cachedTokens,
    reasoningTokens: call.reasoningTokens,
    latencyMs: call.latencyMs,
  };
  return accountant.price(record, { deployment: call.deployment }).costUsd;
}
