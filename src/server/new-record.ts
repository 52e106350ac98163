import type { RequestRecord } from '../spec/request-record.js';
import type { RequestContext } from './request-context.js';

/** A record with everything unknown still null; handlers fill it in as the request proceeds. */
export function newRecord(ctx: RequestContext): RequestRecord {
  return {
    id: ctx.id,
    startedAt: ctx.startedAtMs,
    endedAt: ctx.startedAtMs,
    keyId: ctx.caller.keyId,
    team: ctx.caller.team,
    workload: ctx.workload,
    endpoint: ctx.endpoint,
    modelRequested: '',
    deploymentId: null,
    provider: null,
    upstreamModel: null,
    status: 0,
    errorCode: null,
    inputTokens: null,
    outputTokens: null,
    cachedTokens: null,
    reasoningTokens: null,
    usageEstimated: false,
    latencyMs: 0,
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
  };
}
