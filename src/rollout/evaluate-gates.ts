import { meanConfidenceSequence, type MeanBounds } from './mean-confidence-sequence.js';
import { proportionConfidenceSequence } from './proportion-confidence-sequence.js';
import type {
  ErrorRateGateConfig,
  LatencyGateConfig,
  QualityGateConfig,
  RolloutGatesConfig,
} from './rollout-config.js';
import type { ArmEvidence, RolloutEvidenceSnapshot, TimingEvidence } from './rollout-evidence.js';
import type { GateResult, GateStatus } from './rollout-state.js';

/** A p95 holds at a threshold when at most 5% of requests are slower than it. */
const P95_TAIL_SHARE = 0.05;

/**
 * The configured gates, judged on the evidence. Each says pass, fail or inconclusive with the
 * figures behind it; no data is inconclusive. Live gates (errors, latency) are judged only when the
 * candidate is meant to be serving traffic (`live`); at 0% they would only ever be inconclusive.
 * `qualityBounds` are the bounds over `evidence.qualityDifferences` when the caller keeps them up to
 * date itself; otherwise they are computed here.
 */
export function evaluateGates(
  gates: RolloutGatesConfig,
  evidence: RolloutEvidenceSnapshot,
  options: { live: boolean; qualityBounds?: MeanBounds },
): GateResult[] {
  const results: GateResult[] = [];
  if (gates.quality)
    results.push(
      qualityGate(
        gates.quality,
        options.qualityBounds ??
          meanConfidenceSequence(evidence.qualityDifferences, PAIRED_RANGE, gates.quality.alpha),
      ),
    );
  if (options.live) {
    if (gates.errorRate) results.push(errorRateGate(gates.errorRate, evidence.candidate));
    if (gates.latency) results.push(latencyGate('latency', gates.latency, evidence.candidate.latency));
    if (gates.ttft) results.push(latencyGate('ttft', gates.ttft, evidence.candidate.ttft));
  }
  return results;
}

/** Paired score differences (candidate − baseline) of scores in [0, 1]. */
export const PAIRED_RANGE = { min: -1, max: 1 };

/**
 * Non-inferiority: the candidate passes once the lower bound on the mean paired difference is above
 * −margin, fails once the upper bound is below it (it is worse than the margin allows, with
 * confidence), and is inconclusive in between. Both bounds hold at every check at once, so checking
 * every minute does not raise the chance of a false pass above alpha.
 */
export function qualityGate(config: QualityGateConfig, b: MeanBounds): GateResult {
  const limit = -config.margin;
  const base = { gate: 'quality' as const, limit, alpha: config.alpha, samples: b.samples };
  if (b.samples === 0)
    return {
      ...base,
      status: 'inconclusive',
      estimate: null,
      lower: null,
      upper: null,
      reason: 'no judged pairs yet',
    };
  const figures = `mean difference ${signed(b.estimate)} over ${count(b.samples)} pairs, bounds [${signed(b.lower)}, ${signed(b.upper)}]`;
  let status: GateStatus;
  let reason: string;
  if (b.upper < limit) {
    status = 'fail';
    reason = `${figures}: upper bound below −${config.margin}, the candidate is worse than the margin allows`;
  } else if (b.lower > limit && b.samples >= config.minPairs) {
    status = 'pass';
    reason = `${figures}: lower bound above −${config.margin}`;
  } else if (b.lower > limit) {
    status = 'inconclusive';
    reason = `${figures}: lower bound above −${config.margin}, but ${count(b.samples)} of ${count(config.minPairs)} pairs needed`;
  } else {
    status = 'inconclusive';
    reason = `${figures}: the bounds straddle −${config.margin}, more pairs needed`;
  }
  return { ...base, status, estimate: b.estimate, lower: b.lower, upper: b.upper, reason };
}

export function errorRateGate(config: ErrorRateGateConfig, candidate: ArmEvidence): GateResult {
  const base = {
    gate: 'errorRate' as const,
    limit: config.max,
    alpha: config.alpha,
    samples: candidate.requests,
  };
  if (candidate.requests === 0)
    return {
      ...base,
      status: 'inconclusive',
      estimate: null,
      lower: null,
      upper: null,
      reason: 'no candidate requests in this stage yet',
    };
  const b = proportionConfidenceSequence(candidate.errors, candidate.requests, config.alpha);
  const figures = `${percent(b.estimate)} errors (${count(candidate.errors)} of ${count(candidate.requests)}), bounds [${percent(b.lower)}, ${percent(b.upper)}]`;
  const [status, reason]: [GateStatus, string] =
    b.lower > config.max
      ? ['fail', `${figures}: lower bound above the ${percent(config.max)} limit`]
      : b.upper < config.max
        ? ['pass', `${figures}: upper bound below the ${percent(config.max)} limit`]
        : [
            'inconclusive',
            `${figures}: the bounds straddle the ${percent(config.max)} limit, more requests needed`,
          ];
  return { ...base, status, estimate: b.estimate, lower: b.lower, upper: b.upper, reason };
}

/**
 * A p95 is under the threshold exactly when at most 5% of requests are slower than it, so the gate
 * bounds that share (anytime-valid, as for errors) instead of the percentile itself.
 */
export function latencyGate(
  gate: 'latency' | 'ttft',
  config: LatencyGateConfig,
  timing: TimingEvidence,
): GateResult {
  const what = gate === 'latency' ? 'latency' : 'time to first token';
  const base = {
    gate,
    limit: P95_TAIL_SHARE,
    alpha: config.alpha,
    samples: timing.samples,
    p95MaxMs: config.p95MaxMs,
  };
  if (timing.samples === 0)
    return {
      ...base,
      status: 'inconclusive',
      estimate: null,
      lower: null,
      upper: null,
      observedP95Ms: null,
      reason:
        gate === 'ttft'
          ? 'no streamed candidate requests in this stage yet'
          : 'no successful candidate requests in this stage yet',
    };
  const b = proportionConfidenceSequence(timing.overLimit, timing.samples, config.alpha);
  const observedP95Ms = timing.p95Ms;
  const p95 = observedP95Ms === null ? 'unknown' : `${count(Math.round(observedP95Ms))} ms`;
  const figures = `p95 ${what} ${p95} over ${count(timing.samples)} requests; ${percent(b.estimate)} slower than ${count(config.p95MaxMs)} ms, bounds [${percent(b.lower)}, ${percent(b.upper)}]`;
  const [status, reason]: [GateStatus, string] =
    b.lower > P95_TAIL_SHARE
      ? ['fail', `${figures}: more than 5% are slower, the p95 is above ${count(config.p95MaxMs)} ms`]
      : b.upper < P95_TAIL_SHARE
        ? ['pass', `${figures}: under 5% are slower, the p95 is within ${count(config.p95MaxMs)} ms`]
        : ['inconclusive', `${figures}: the bounds straddle 5%, more requests needed`];
  return { ...base, status, estimate: b.estimate, lower: b.lower, upper: b.upper, observedP95Ms, reason };
}

const GROUPED = new Intl.NumberFormat('en-US');
const count = (n: number) => GROUPED.format(n);
const signed = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(4)}`;
/** Two decimals at most, no trailing zeros: 0.5%, 1.34%, 5%. */
const percent = (x: number) => `${Number((x * 100).toFixed(2))}%`;
