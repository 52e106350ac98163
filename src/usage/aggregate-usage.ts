import type { RequestRecord } from '../spec/request-record.js';
import { percentile } from './percentile.js';

export const USAGE_GROUP_KEYS = ['workload', 'model', 'key', 'deployment', 'day'] as const;
export type UsageGroupKey = (typeof USAGE_GROUP_KEYS)[number];

export interface UsageTotals {
  requests: number;
  errors: number;
  errorRate: number;
  inputTokens: number;
  outputTokens: number;
  /** Sum over requests with a known cost; null when none had one. */
  costUsd: number | null;
  baselineCostUsd: number | null;
  /** Baseline minus cost, over requests where both are known. */
  savingsUsd: number | null;
  /** Successful requests whose cost is unknown, so missing from costUsd. */
  unpricedRequests: number;
  /** Requests whose cost rests on estimated usage. */
  estimatedCostRequests: number;
  p50LatencyMs: number | null;
  p95LatencyMs: number | null;
  p99LatencyMs: number | null;
  p50TtftMs: number | null;
  p95TtftMs: number | null;
}

/** One group: its values for the grouped-by keys (null where the record had none) and its totals. */
export type UsageRow = Partial<Record<UsageGroupKey, string | null>> & UsageTotals;

export interface UsageReport {
  groupBy: UsageGroupKey[];
  rows: UsageRow[];
  total: UsageTotals;
}

export interface AggregateUsageOptions {
  groupBy: readonly UsageGroupKey[];
}

class Accumulator {
  requests = 0;
  errors = 0;
  inputTokens = 0;
  outputTokens = 0;
  costUsd = 0;
  priced = 0;
  baselineCostUsd = 0;
  baselined = 0;
  savingsUsd = 0;
  compared = 0;
  unpriced = 0;
  estimated = 0;
  readonly latencies: number[] = [];
  readonly ttfts: number[] = [];

  add(r: RequestRecord): void {
    this.requests++;
    const failed = r.status >= 400;
    if (failed) this.errors++;
    this.inputTokens += r.inputTokens ?? 0;
    this.outputTokens += r.outputTokens ?? 0;
    if (r.costUsd !== null) {
      this.costUsd += r.costUsd;
      this.priced++;
      if (r.costEstimated) this.estimated++;
    } else if (!failed) this.unpriced++;
    if (r.baselineCostUsd !== null) {
      this.baselineCostUsd += r.baselineCostUsd;
      this.baselined++;
    }
    if (r.costUsd !== null && r.baselineCostUsd !== null) {
      this.savingsUsd += r.baselineCostUsd - r.costUsd;
      this.compared++;
    }
    this.latencies.push(r.latencyMs);
    if (r.ttftMs !== null) this.ttfts.push(r.ttftMs);
  }

  totals(): UsageTotals {
    this.latencies.sort((a, b) => a - b);
    this.ttfts.sort((a, b) => a - b);
    return {
      requests: this.requests,
      errors: this.errors,
      errorRate: this.requests ? this.errors / this.requests : 0,
      inputTokens: this.inputTokens,
      outputTokens: this.outputTokens,
      costUsd: this.priced ? this.costUsd : null,
      baselineCostUsd: this.baselined ? this.baselineCostUsd : null,
      savingsUsd: this.compared ? this.savingsUsd : null,
      unpricedRequests: this.unpriced,
      estimatedCostRequests: this.estimated,
      p50LatencyMs: percentile(this.latencies, 0.5),
      p95LatencyMs: percentile(this.latencies, 0.95),
      p99LatencyMs: percentile(this.latencies, 0.99),
      p50TtftMs: percentile(this.ttfts, 0.5),
      p95TtftMs: percentile(this.ttfts, 0.95),
    };
  }
}

export { percentile };

function groupValue(r: RequestRecord, key: UsageGroupKey): string | null {
  switch (key) {
    case 'workload':
      return r.workload;
    case 'model':
      return r.modelRequested;
    case 'key':
      return r.keyId;
    case 'deployment':
      return r.deploymentId;
    case 'day':
      return new Date(r.startedAt).toISOString().slice(0, 10);
  }
}

/**
 * Requests, tokens, spend, baseline spend, savings, errors and latency percentiles per group, in
 * one pass. Memory per group is constant apart from the latency samples kept for exact
 * percentiles.
 */
export async function aggregateUsage(
  records: AsyncIterable<RequestRecord> | Iterable<RequestRecord>,
  options: AggregateUsageOptions,
): Promise<UsageReport> {
  const groupBy = [...new Set(options.groupBy)];
  const groups = new Map<string, { values: Array<string | null>; acc: Accumulator }>();
  const total = new Accumulator();
  for await (const record of records) {
    const values = groupBy.map((k) => groupValue(record, k));
    const id = JSON.stringify(values);
    let group = groups.get(id);
    if (!group) {
      group = { values, acc: new Accumulator() };
      groups.set(id, group);
    }
    group.acc.add(record);
    total.add(record);
  }
  const rows = [...groups.values()]
    .sort((a, b) => compareValues(a.values, b.values))
    .map(({ values, acc }) => {
      const row: UsageRow = { ...acc.totals() };
      groupBy.forEach((k, i) => (row[k] = values[i]));
      return row;
    });
  return { groupBy, rows, total: total.totals() };
}

function compareValues(a: Array<string | null>, b: Array<string | null>): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? '';
    const y = b[i] ?? '';
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}
