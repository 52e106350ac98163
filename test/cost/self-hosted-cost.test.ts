import { describe, expect, it } from 'vitest';
import { SelfHostedCostAllocator } from '../../src/cost/self-hosted-cost-allocator.js';
import { projectSelfHostedCost, selfHostedMonthlyCost } from '../../src/cost/self-hosted-cost.js';
import type { SelfHostedCost } from '../../src/spec/deployment.js';

const MIN = 60_000;
const base: SelfHostedCost = {
  gpuCount: 1,
  gpuHourlyUsd: 2,
  fixedMonthlyUsd: 0,
  engineerHoursPerMonth: 0,
  engineerHourlyUsd: 0,
  opsOverheadPct: 0,
};

describe('selfHostedMonthlyCost', () => {
  it.each([
    ['one GPU, nothing else', base, 1460],
    [
      '2 × $2.50 + $500 fixed + 10 h × $100, +10% ops',
      {
        ...base,
        gpuCount: 2,
        gpuHourlyUsd: 2.5,
        fixedMonthlyUsd: 500,
        engineerHoursPerMonth: 10,
        engineerHourlyUsd: 100,
        opsOverheadPct: 10,
      },
      (3650 + 500) * 1.1 + 1000,
    ],
    ['8 × H100 at $3', { ...base, gpuCount: 8, gpuHourlyUsd: 3 }, 17_520],
  ])('%s', (_name, cost, expected) => {
    expect(selfHostedMonthlyCost(cost).totalUsd).toBeCloseTo(expected, 9);
  });
});

describe('SelfHostedCostAllocator', () => {
  // $2/hour. A runs 0–60 min, B 30–90 min. 0–30: A alone; 30–60: both share; 60–90: B alone.
  // A: 30 + 30/2 = 45 min = $1.50; B: 30/2 + 30 = 45 min = $1.50. Window 120 min: $4, idle $1.
  it('divides overlapping time among the requests in flight', () => {
    const alloc = new SelfHostedCostAllocator({ ...base, capacityConcurrency: 4 }, { windowStartMs: 0 });
    const a = alloc.begin(0);
    const b = alloc.begin(30 * MIN);
    const ra = alloc.finish(a, 60 * MIN, { inputTokens: 1000, outputTokens: 500 });
    const rb = alloc.finish(b, 90 * MIN, { inputTokens: 1000, outputTokens: 500 });
    expect(ra.gpuMs).toBe(45 * MIN);
    expect(rb.gpuMs).toBe(45 * MIN);
    expect(ra.costUsd).toBeCloseTo(1.5, 12);
    expect(rb.costUsd).toBeCloseTo(1.5, 12);

    const report = alloc.report(120 * MIN);
    expect(report.windowCostUsd).toBeCloseTo(4, 12);
    expect(report.busyCostUsd).toBeCloseTo(3, 12);
    expect(report.idleCostUsd).toBeCloseTo(1, 12);
    expect(report.utilisation).toBeCloseTo(0.75, 12);
    // ∫k dt = 30 + 60 + 30 = 120 request-minutes over 120 minutes.
    expect(report.averageConcurrency).toBeCloseTo(1, 12);
    expect(report.capacityUtilisation).toBeCloseTo(0.25, 12);
    expect(report.peakConcurrency).toBe(2);
    // $4 over 3000 tokens.
    expect(report.effectiveUsdPerMillionTokens).toBeCloseTo((4 / 3000) * 1e6, 6);
  });

  it('allocations sum to the busy cost under many overlapping requests', () => {
    const alloc = new SelfHostedCostAllocator(base, { windowStartMs: 0 });
    const slots = Array.from({ length: 10 }, (_, i) => ({
      slot: alloc.begin(i * MIN),
      end: (i + 5 + (i % 3)) * MIN,
    }));
    let total = 0;
    for (const { slot, end } of [...slots].sort((x, y) => x.end - y.end))
      total += alloc.finish(slot, end, { inputTokens: 10, outputTokens: 10 }).costUsd;
    expect(total).toBeCloseTo(alloc.report(60 * MIN).busyCostUsd, 9);
  });

  it('a request spanning windows is charged only in the new window', () => {
    const alloc = new SelfHostedCostAllocator(base, { windowStartMs: 0 });
    const slot = alloc.begin(0);
    alloc.startWindow(60 * MIN);
    expect(alloc.finish(slot, 90 * MIN, { inputTokens: 0, outputTokens: 0 }).gpuMs).toBe(30 * MIN);
  });

  it('projects the effective price falling with volume up to capacity', () => {
    const alloc = new SelfHostedCostAllocator({ ...base, capacityConcurrency: 4 }, { windowStartMs: 0 });
    const s = alloc.begin(0);
    alloc.finish(s, 60 * MIN, { inputTokens: 500_000, outputTokens: 500_000 });
    const { projection } = alloc.report(60 * MIN);
    // 1M tokens in an hour at one slot in flight; 4 slots → 4M tokens/hour at capacity.
    expect(projection.map((r) => r.volumeMultiple)).toEqual([1, 2, 4]);
    expect(projection[0].usdPerMillionTokens).toBeCloseTo(2, 9);
    expect(projection[2].usdPerMillionTokens).toBeCloseTo(0.5, 9);
    expect(projection[2].capacityShare).toBe(1);
  });
});

describe('projectSelfHostedCost', () => {
  it('without a capacity stops at 100×', () => {
    const rows = projectSelfHostedCost({
      monthlyCostUsd: 730,
      observedTokensPerHour: 1_000_000,
      capacityTokensPerHour: null,
    });
    expect(rows.map((r) => r.volumeMultiple)).toEqual([1, 2, 5, 10, 20, 50, 100]);
    expect(rows[0].usdPerMillionTokens).toBeCloseTo(1, 12);
    expect(rows[6].usdPerMillionTokens).toBeCloseTo(0.01, 12);
  });
});
