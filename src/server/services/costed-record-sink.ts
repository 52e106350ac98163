import { countChatInputTokens } from '../../cost/chat-text.js';
import type { CostAccountant } from '../../cost/cost-accountant.js';
import { tokenCounter } from '../../cost/token-counter.js';
import type { GatewayMetrics } from '../../metrics/gateway-metrics.js';
import type { RecordStore, RequestRecord } from '../../spec/request-record.js';
import type { OtlpExporter } from '../../telemetry/otlp-exporter.js';
import type { RecordDetail, RecordSink } from '../gateway-services.js';

/**
 * Counts tokens with a real tokenizer when an upstream reported no usage, framing messages the way
 * the baseline does. The count is o200k's, not necessarily the serving model's, so records mark it
 * as estimated.
 */
function estimateUsage(record: RequestRecord, detail: RecordDetail): void {
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

/**
 * Every finished request: usage estimated where the upstream gave none, priced (its cost and the
 * incumbent's), counted in the metrics, traced when OTLP export is on, and appended to the store.
 * `onPriced` settles the request's budget reservation with its real cost.
 */
export function costedRecordSink(
  store: RecordStore,
  accountant: CostAccountant,
  metrics: GatewayMetrics,
  warn: (message: string) => void,
  traces?: OtlpExporter,
): RecordSink {
  const warned = new Set<string>();
  return {
    finish(record, detail, onPriced) {
      try {
        estimateUsage(record, detail);
        const priced = accountant.apply(record, detail);
        for (const w of priced.warnings) {
          if (warned.has(w)) continue;
          warned.add(w);
          warn(w);
        }
      } catch (err) {
        warn(`pricing request ${record.id} failed: ${(err as Error).message}`);
      }
      onPriced?.(record.costUsd);
      metrics.observeRecord(record);
      traces?.export(record);
      store.append(record);
    },
    flush: () => store.flush(),
    close: () => store.close(),
  };
}
