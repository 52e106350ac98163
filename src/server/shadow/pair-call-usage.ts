import { callUsageOf } from '../../eval/pricing/call-pricer.js';
import type { Usage } from '../../spec/chat.js';
import type { Deployment } from '../../spec/deployment.js';
import type { PairCallUsage } from '../record-pipeline/record-messages.js';

/** A shadow candidate's or judge's call as the record worker prices it, like any request's. */
export function pairCallUsage(
  callId: string,
  deployment: Deployment,
  usage: Usage | null | undefined,
  latencyMs: number,
  status: number,
): PairCallUsage {
  return { callId, deployment, ...callUsageOf(usage), latencyMs, status };
}
