import { countChatInputTokens } from '../../cost/chat-text.js';
import { tokenCounter } from '../../cost/token-counter.js';
import type { RequestRecord } from '../../spec/request-record.js';
import type { RecordDetail } from '../gateway-services.js';

/**
 * Counts tokens with a real tokenizer when an upstream reported no usage, framing messages the way
 * the baseline does. The count is o200k's, not necessarily the serving model's, so records keep
 * `usageEstimated`. A request that never reached a deployment has no usage to estimate.
 */
export function estimateRecordUsage(record: RequestRecord, detail: RecordDetail): void {
  if (!record.usageEstimated || record.inputTokens !== null) return;
  if (!detail.request || record.deploymentId === null) {
    record.usageEstimated = false;
    return;
  }
  const o200k = tokenCounter('o200k_base');
  const output = detail.outputText ?? '';
  record.inputTokens = countChatInputTokens(detail.request, o200k).tokens;
  record.outputTokens = output ? o200k.count(output) : 0;
  record.cachedTokens = 0;
  record.reasoningTokens = 0;
}
