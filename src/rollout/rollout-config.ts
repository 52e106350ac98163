import type { ParsedRollout } from '../config/schema/rollouts-schema.js';

export interface RolloutStage {
  percent: number;
  minDwellMs: number;
  /** Candidate requests the stage must have served; ignored at 0%, where it serves none. */
  minRequests: number;
}

export interface QualityGateConfig {
  margin: number;
  alpha: number;
  minPairs: number;
  window: 'rollout' | 'stage';
}

export interface ErrorRateGateConfig {
  max: number;
  alpha: number;
}

export interface LatencyGateConfig {
  p95MaxMs: number;
  alpha: number;
}

export interface RolloutGatesConfig {
  quality: QualityGateConfig | null;
  errorRate: ErrorRateGateConfig | null;
  latency: LatencyGateConfig | null;
  ttft: LatencyGateConfig | null;
}

/** One route's rollout, with defaults applied and durations in milliseconds. */
export interface RolloutConfig {
  route: string;
  baseline: string;
  candidate: string;
  stages: readonly RolloutStage[];
  checkIntervalMs: number;
  sticky: 'user' | 'session';
  gates: RolloutGatesConfig;
  rollback: { afterFailedChecks: number; to: 'zero' | 'previous' };
  dryRun: boolean;
  webhook: { url: string; timeoutMs: number; maxAttempts: number } | null;
}

const MS_PER_MINUTE = 60_000;

export function normalizeRollout(parsed: ParsedRollout): RolloutConfig {
  const stages = parsed.stages.map((stage) => {
    const s = typeof stage === 'number' ? { percent: stage } : stage;
    return {
      percent: s.percent,
      minDwellMs: (s.minDwellMinutes ?? parsed.minDwellMinutes) * MS_PER_MINUTE,
      minRequests: s.minRequests ?? parsed.minRequests,
    };
  });
  const g = parsed.gates;
  return {
    route: parsed.route,
    baseline: parsed.baseline,
    candidate: parsed.candidate,
    stages,
    checkIntervalMs: parsed.checkIntervalSeconds * 1000,
    sticky: parsed.sticky,
    gates: {
      quality: g.quality === false ? null : g.quality,
      errorRate: g.errorRate === false ? null : g.errorRate,
      latency: g.latency ?? null,
      ttft: g.ttft ?? null,
    },
    rollback: parsed.rollback,
    dryRun: parsed.dryRun,
    webhook: parsed.webhook ?? null,
  };
}

/** The candidate's share at a stage index; −1 is the state before the first stage (0%). */
export function stagePercent(config: RolloutConfig, stageIndex: number): number {
  return stageIndex < 0 ? 0 : config.stages[Math.min(stageIndex, config.stages.length - 1)].percent;
}
