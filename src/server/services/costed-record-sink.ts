import type { CostAccountant } from '../../cost/cost-accountant.js';
import type { GatewayMetrics } from '../../metrics/gateway-metrics.js';
import type { RecordStore } from '../../spec/request-record.js';
import type { OtlpExporter } from '../../telemetry/otlp-exporter.js';
import type { RecordSink } from '../gateway-services.js';

/**
 * Every finished request: priced (its cost and the incumbent's), counted in the metrics, traced
 * when OTLP export is on, and appended to the store. Pricing is synchronous so budget settlement
 * sees the real cost.
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
    finish(record, detail) {
      try {
        const priced = accountant.apply(record, detail);
        for (const w of priced.warnings) {
          if (warned.has(w)) continue;
          warned.add(w);
          warn(w);
        }
      } catch (err) {
        warn(`pricing request ${record.id} failed: ${(err as Error).message}`);
      }
      metrics.observeRecord(record);
      traces?.export(record);
      store.append(record);
    },
  };
}
