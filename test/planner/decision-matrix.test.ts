import { describe, expect, test } from 'vitest';
import { decideWorkload } from '../../src/planner/decision-matrix.js';
import type { WorkloadProfile } from '../../src/planner/plan-config.js';
import type { WorkloadSummary } from '../../src/planner/usage-audit.js';

const thresholds = { volumeTokensPerMonth: 50e6, complexityScore: 0.5, latencyTtftMs: 100 };

function workload(over: Partial<WorkloadSummary>): WorkloadSummary {
  return {
    name: 'w',
    total: {
      requests: 1,
      inputTokens: 1,
      outputTokens: 1,
      cachedInputTokens: 0,
      costUsd: 1,
      pricedTokens: 2,
      unpricedTokens: 0,
    },
    spanDays: 30,
    tokensPerMonth: 1e6,
    costPerMonthUsd: 1,
    inputShare: 0.75,
    cachedShareOfInput: 0,
    spendShare: 1,
    cumulativeSpendShare: 1,
    models: [],
    months: [],
    profile: {
      resolution: 'hour',
      peakToMean: 1,
      meanOutputTokensPerSecond: 0,
      peakOutputTokensPerSecond: 0,
      hourOfDayShare: [],
    },
    ttftP50Ms: null,
    ttftP95Ms: null,
    latencyP95Ms: null,
    meanRouterScore: null,
    restrictedShare: null,
    strongShare: null,
    ...over,
  };
}

const leaning = (d: ReturnType<typeof decideWorkload>, factor: string) =>
  d.factors.find((f) => f.factor === factor)?.leaning;

describe('decision matrix over the seven factors', () => {
  const stableTeam: WorkloadProfile = { mlOpsTeam: true, needsFineTuning: true, iteration: 'stable' };

  test('high-volume, narrow, stable work with a team: self-host', () => {
    const d = decideWorkload(
      workload({ tokensPerMonth: 2e9, meanRouterScore: 0.2 }),
      stableTeam,
      thresholds,
      1200,
    );
    expect(d.factors.map((f) => f.factor)).toEqual([
      'volume',
      'data sensitivity',
      'latency need',
      'task complexity',
      'team capability',
      'customisation need',
      'iteration speed',
    ]);
    expect(leaning(d, 'volume')).toBe('open');
    expect(d.factors.find((f) => f.factor === 'task complexity')?.source).toBe('measured');
    expect(d.recommendation).toBe('self-host');
  });

  test('the same work without anyone to run GPUs goes to an open-model API', () => {
    const d = decideWorkload(
      workload({ tokensPerMonth: 2e9, meanRouterScore: 0.2 }),
      { ...stableTeam, mlOpsTeam: false, latencyTargetTtftMs: 50 },
      thresholds,
      1200,
    );
    expect(d.recommendation).toBe('open-model API');
  });

  test('restricted data recorded by residency rules keeps it in-house whatever the volume', () => {
    const d = decideWorkload(workload({ restrictedShare: 0.3 }), {}, thresholds, -9743.2);
    expect(leaning(d, 'data sensitivity')).toBe('open');
    expect(d.recommendation).toBe('self-host');
    expect(d.reasons.join(' ')).toMatch(/restricted/);
  });

  test('when restricted data decides against cost, it says it overrides cost and by how much', () => {
    const d = decideWorkload(workload({ restrictedShare: 0.3 }), {}, thresholds, -9743.2);
    expect(d.override).toEqual({
      reason: 'restricted data must stay inside the perimeter',
      extraCostUsd: 9743.2,
    });
    expect(d.reasons).toContain(
      'restricted data overrides cost: self-hosting costs $9,743 more per month than the API, accepted to keep the data inside',
    );
    expect(d.reasons.join(' ')).not.toMatch(/-\$|\$-/);
  });

  test('without restricted data a costlier self-host becomes an open-model API, in words', () => {
    const d = decideWorkload(
      workload({ tokensPerMonth: 2e9, meanRouterScore: 0.2 }),
      { mlOpsTeam: true, needsFineTuning: true, iteration: 'stable' },
      thresholds,
      -500,
    );
    expect(d.recommendation).toBe('open-model API');
    expect(d.override).toBeNull();
    expect(d.reasons).toContain(
      'self-hosting costs $500 more per month than the API at this volume, so an open-model API instead',
    );
  });

  test('low volume, complex, experimenting: stay on the API, and say what is unscored', () => {
    const d = decideWorkload(
      workload({ tokensPerMonth: 5e6, meanRouterScore: 0.8 }),
      { iteration: 'experimenting', dataSensitivity: 'public' },
      thresholds,
      -800,
    );
    expect(d.recommendation).toBe('stay on API');
    expect(d.reasons.join(' ')).toMatch(/unscored.*team capability/);
  });

  test('complex work with some open-leaning factors: hybrid', () => {
    const d = decideWorkload(
      workload({ tokensPerMonth: 1e9, meanRouterScore: 0.7 }),
      { mlOpsTeam: true },
      thresholds,
      1200,
    );
    expect(d.recommendation).toBe('hybrid');
  });
});
