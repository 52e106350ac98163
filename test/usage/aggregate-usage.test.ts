import { describe, expect, it } from 'vitest';
import { aggregateUsage, percentile } from '../../src/usage/aggregate-usage.js';
import { usageRecord } from './usage-record.js';

const day1 = Date.UTC(2026, 10, 24, 10);
const day2 = Date.UTC(2026, 10, 25, 23, 59);

const records = [
  usageRecord({
    workload: 'support',
    modelRequested: 'gpt-4o',
    latencyMs: 100,
    ttftMs: 10,
    costUsd: 0.01,
    baselineCostUsd: 0.05,
    inputTokens: 1000,
    outputTokens: 100,
    startedAt: day1,
  }),
  usageRecord({
    workload: 'support',
    modelRequested: 'gpt-4o',
    latencyMs: 300,
    ttftMs: 30,
    costUsd: 0.02,
    baselineCostUsd: 0.04,
    inputTokens: 2000,
    outputTokens: 200,
    startedAt: day2,
  }),
  usageRecord({
    workload: 'support',
    modelRequested: 'gpt-4o',
    latencyMs: 200,
    ttftMs: null,
    status: 502,
    errorCode: 'upstream_unreachable',
    costUsd: null,
    baselineCostUsd: null,
    inputTokens: null,
    outputTokens: null,
    startedAt: day2,
  }),
  usageRecord({
    workload: 'batch',
    modelRequested: 'gpt-4o-mini',
    latencyMs: 1000,
    ttftMs: null,
    costUsd: null,
    baselineCostUsd: 0.003,
    inputTokens: 500,
    outputTokens: 500,
    startedAt: day1,
  }),
  usageRecord({
    workload: null,
    modelRequested: 'gpt-4o-mini',
    latencyMs: 50,
    ttftMs: 5,
    costUsd: 0.004,
    baselineCostUsd: 0.002,
    costEstimated: true,
    inputTokens: 10,
    outputTokens: 20,
    startedAt: day1,
  }),
];

async function* stream<T>(items: T[]): AsyncIterable<T> {
  for (const item of items) yield item;
}

describe('aggregateUsage', () => {
  it('groups by workload and model with totals equal to the sums of the records', async () => {
    const report = await aggregateUsage(stream(records), { groupBy: ['workload', 'model'] });
    expect(report.rows.map((r) => [r.workload, r.model, r.requests])).toEqual([
      [null, 'gpt-4o-mini', 1],
      ['batch', 'gpt-4o-mini', 1],
      ['support', 'gpt-4o', 3],
    ]);
    const support = report.rows[2];
    expect(support).toMatchObject({
      requests: 3,
      errors: 1,
      errorRate: 1 / 3,
      inputTokens: 3000,
      outputTokens: 300,
      unpricedRequests: 0,
      p50LatencyMs: 200,
      p95LatencyMs: 300,
      p99LatencyMs: 300,
      p50TtftMs: 10,
      p95TtftMs: 30,
    });
    expect(support.costUsd).toBeCloseTo(0.03, 12);
    expect(support.baselineCostUsd).toBeCloseTo(0.09, 12);
    expect(support.savingsUsd).toBeCloseTo(0.06, 12);

    // A request with an unknown cost adds nothing to cost or savings, and is counted as unpriced.
    const batch = report.rows[1];
    expect([batch.costUsd, batch.baselineCostUsd, batch.savingsUsd, batch.unpricedRequests]).toEqual([
      null,
      0.003,
      null,
      1,
    ]);
    // Savings can be negative: serving cost more than the baseline.
    expect(report.rows[0].savingsUsd).toBeCloseTo(-0.002, 12);
    expect(report.rows[0].estimatedCostRequests).toBe(1);

    const sum = (pick: (r: (typeof records)[number]) => number | null) =>
      records.reduce((s, r) => s + (pick(r) ?? 0), 0);
    expect(report.total.requests).toBe(records.length);
    expect(report.total.inputTokens).toBe(sum((r) => r.inputTokens));
    expect(report.total.outputTokens).toBe(sum((r) => r.outputTokens));
    expect(report.total.costUsd).toBeCloseTo(
      sum((r) => r.costUsd),
      12,
    );
    expect(report.total.baselineCostUsd).toBeCloseTo(
      sum((r) => r.baselineCostUsd),
      12,
    );
    const rowSum = (pick: (r: (typeof report.rows)[number]) => number | null) =>
      report.rows.reduce((s, r) => s + (pick(r) ?? 0), 0);
    expect(rowSum((r) => r.requests)).toBe(report.total.requests);
    expect(rowSum((r) => r.costUsd)).toBeCloseTo(report.total.costUsd ?? NaN, 12);
    expect(rowSum((r) => r.savingsUsd)).toBeCloseTo(report.total.savingsUsd ?? NaN, 12);
    expect(report.total.errors).toBe(1);
  });

  it('groups by UTC day', async () => {
    const report = await aggregateUsage(records, { groupBy: ['day'] });
    expect(report.rows.map((r) => [r.day, r.requests])).toEqual([
      ['2026-11-24', 3],
      ['2026-11-25', 2],
    ]);
  });

  it('without grouping gives one row', async () => {
    const report = await aggregateUsage(records, { groupBy: [] });
    expect(report.rows).toHaveLength(1);
    expect(report.rows[0].requests).toBe(5);
  });

  it('empty input gives no rows and zero totals', async () => {
    const report = await aggregateUsage([], { groupBy: ['model'] });
    expect(report.rows).toEqual([]);
    expect(report.total).toMatchObject({ requests: 0, errorRate: 0, costUsd: null, p50LatencyMs: null });
  });
});

describe('percentile (nearest rank)', () => {
  it.each([
    [[1], 0.5, 1],
    [[1, 2], 0.5, 1],
    [[1, 2, 3, 4], 0.5, 2],
    [[1, 2, 3, 4], 0.95, 4],
    [Array.from({ length: 100 }, (_, i) => i + 1), 0.99, 99],
    [Array.from({ length: 100 }, (_, i) => i + 1), 0.95, 95],
  ])('%j p%s = %s', (sorted, p, expected) => {
    expect(percentile(sorted, p)).toBe(expected);
  });
});
