import { describeSaving } from './format-usd.js';
import type { WorkloadProfile } from './plan-config.js';
import { formatVolume } from './parse-volume.js';
import type { WorkloadSummary } from './usage-audit.js';

/**
 * The seven factors of the open-versus-proprietary decision (volume, data sensitivity, latency
 * need, task complexity, team capability, customisation need, iteration speed). Each is scored
 * from measured usage where the records carry it and from the workload's profile otherwise.
 */
export type Leaning = 'open' | 'api' | 'neutral' | 'unknown';

export interface FactorScore {
  factor: string;
  leaning: Leaning;
  evidence: string;
  source: 'measured' | 'profile' | 'none';
}

export interface Decision {
  workload: string;
  factors: FactorScore[];
  openCount: number;
  apiCount: number;
  recommendation: 'self-host' | 'open-model API' | 'hybrid' | 'stay on API';
  reasons: string[];
  /** A reason other than cost that decides against the cheaper option, and what it costs per month. */
  override: { reason: string; extraCostUsd: number } | null;
}

export interface DecisionThresholds {
  volumeTokensPerMonth: number;
  complexityScore: number;
  latencyTtftMs: number;
}

export function decideWorkload(
  w: WorkloadSummary,
  profile: WorkloadProfile,
  thresholds: DecisionThresholds,
  /** API − self-hosted per month for this workload; null when its API cost is unknown. */
  selfHostingSavesUsd: number | null,
): Decision {
  const f: FactorScore[] = [];
  f.push({
    factor: 'volume',
    leaning: w.tokensPerMonth >= thresholds.volumeTokensPerMonth ? 'open' : 'api',
    evidence: `${formatVolume(w.tokensPerMonth)} tokens/month vs threshold ${formatVolume(thresholds.volumeTokensPerMonth)}`,
    source: 'measured',
  });

  if (w.restrictedShare !== null && w.restrictedShare > 0)
    f.push({
      factor: 'data sensitivity',
      leaning: 'open',
      evidence: `${(w.restrictedShare * 100).toFixed(1)}% of requests classed restricted by residency rules`,
      source: 'measured',
    });
  else if (profile.dataSensitivity)
    f.push({
      factor: 'data sensitivity',
      leaning:
        profile.dataSensitivity === 'regulated'
          ? 'open'
          : profile.dataSensitivity === 'public'
            ? 'api'
            : 'neutral',
      evidence: `profile: ${profile.dataSensitivity}`,
      source: 'profile',
    });
  else if (w.restrictedShare === 0)
    f.push({
      factor: 'data sensitivity',
      leaning: 'api',
      evidence: 'no restricted requests recorded',
      source: 'measured',
    });
  else
    f.push({
      factor: 'data sensitivity',
      leaning: 'unknown',
      evidence: 'not in records or profile',
      source: 'none',
    });

  const measuredTtft = w.ttftP95Ms !== null ? `; measured TTFT p95 ${Math.round(w.ttftP95Ms)} ms` : '';
  if (profile.latencyTargetTtftMs !== undefined)
    f.push({
      factor: 'latency need',
      leaning: profile.latencyTargetTtftMs < thresholds.latencyTtftMs ? 'open' : 'api',
      evidence: `target TTFT ${profile.latencyTargetTtftMs} ms vs ${thresholds.latencyTtftMs} ms${measuredTtft}`,
      source: 'profile',
    });
  else if (w.ttftP95Ms !== null)
    f.push({
      factor: 'latency need',
      leaning: 'neutral',
      evidence: `no target set${measuredTtft}`,
      source: 'measured',
    });
  else
    f.push({
      factor: 'latency need',
      leaning: 'unknown',
      evidence: 'no target or TTFT measurements',
      source: 'none',
    });

  if (w.meanRouterScore !== null)
    f.push({
      factor: 'task complexity',
      leaning: w.meanRouterScore < thresholds.complexityScore ? 'open' : 'api',
      evidence: `mean router complexity ${w.meanRouterScore.toFixed(2)} vs ${thresholds.complexityScore}`,
      source: 'measured',
    });
  else if (profile.complexity)
    f.push({
      factor: 'task complexity',
      leaning:
        profile.complexity === 'narrow' ? 'open' : profile.complexity === 'multi-step' ? 'api' : 'neutral',
      evidence: `profile: ${profile.complexity}`,
      source: 'profile',
    });
  else
    f.push({
      factor: 'task complexity',
      leaning: 'unknown',
      evidence: 'no router scores or profile',
      source: 'none',
    });

  const bool = (
    factor: string,
    v: boolean | undefined,
    ifTrue: Leaning,
    ifFalse: Leaning,
    yes: string,
    no: string,
  ) =>
    f.push(
      v === undefined
        ? { factor, leaning: 'unknown', evidence: 'not in profile', source: 'none' }
        : { factor, leaning: v ? ifTrue : ifFalse, evidence: `profile: ${v ? yes : no}`, source: 'profile' },
    );
  bool(
    'team capability',
    profile.mlOpsTeam,
    'open',
    'api',
    'ML/ops engineer on staff',
    'no ML infrastructure engineer',
  );
  bool(
    'customisation need',
    profile.needsFineTuning,
    'open',
    'api',
    'needs fine-tuning',
    'prompting is enough',
  );
  f.push(
    profile.iteration
      ? {
          factor: 'iteration speed',
          leaning: profile.iteration === 'stable' ? 'open' : 'api',
          evidence: `profile: ${profile.iteration}`,
          source: 'profile',
        }
      : { factor: 'iteration speed', leaning: 'unknown', evidence: 'not in profile', source: 'none' },
  );

  const openCount = f.filter((x) => x.leaning === 'open').length;
  const apiCount = f.filter((x) => x.leaning === 'api').length;
  const reasons: string[] = [];
  const sensitive = f.find((x) => x.factor === 'data sensitivity')?.leaning === 'open';
  const team = f.find((x) => x.factor === 'team capability')?.leaning;
  const complexity = f.find((x) => x.factor === 'task complexity')?.leaning;
  let recommendation: Decision['recommendation'];
  if (openCount >= 4) {
    if (team === 'api' && !sensitive) {
      recommendation = 'open-model API';
      reasons.push(`${openCount} of 7 factors favour open models, but there is no team to run GPUs`);
    } else {
      recommendation = 'self-host';
      reasons.push(`${openCount} of 7 factors favour open models`);
    }
  } else if (sensitive) {
    recommendation = 'self-host';
    reasons.push('restricted data must stay inside the perimeter');
  } else if (complexity === 'api' && openCount >= 2) {
    recommendation = 'hybrid';
    reasons.push('complex requests stay on the strong model; the router moves the rest');
  } else if (apiCount > openCount) {
    recommendation = 'stay on API';
    reasons.push(`${apiCount} of 7 factors favour the API, ${openCount} favour open models`);
  } else {
    recommendation = 'hybrid';
    reasons.push(`the factors are split (${openCount} open, ${apiCount} API)`);
  }
  const saves = selfHostingSavesUsd;
  const costsMore = saves !== null && saves < 0;
  let override: Decision['override'] = null;
  if (saves !== null && costsMore && recommendation === 'self-host' && !sensitive) {
    recommendation = 'open-model API';
    reasons.push(
      `self-hosting ${describeSaving(saves, 'the API')} at this volume, so an open-model API instead`,
    );
  } else if (saves !== null && costsMore && recommendation === 'self-host') {
    override = { reason: 'restricted data must stay inside the perimeter', extraCostUsd: -saves };
    reasons.push(
      `restricted data overrides cost: self-hosting ${describeSaving(saves, 'the API')}, accepted to keep the data inside`,
    );
  } else if (saves === null) reasons.push('no price for its tokens: cost not compared');
  else reasons.push(`self-hosting ${describeSaving(saves, 'the API')} at this volume`);
  const unknown = f.filter((x) => x.leaning === 'unknown').map((x) => x.factor);
  if (unknown.length) reasons.push(`unscored (add to the workload profile): ${unknown.join(', ')}`);
  return { workload: w.name, factors: f, openCount, apiCount, recommendation, reasons, override };
}
