import type { StepEstimate } from './estimate-step.js';

/** Service-level targets a replica's concurrency must not break. */
export interface LatencyTargets {
  ttftP95Ms?: number;
  /** Slowest decode speed a user may see: 1000 ÷ step time. */
  outputTokensPerSecondPerUser?: number;
  /** End to end for the typical request: time to first token + (output − 1) steps. */
  e2eP95Ms?: number;
}

export interface LatencyCap {
  /** Largest concurrency that meets every target; 0 when even one sequence breaks one. */
  cap: number;
  /** The estimate at the cap (or at 1 when nothing meets the targets). */
  atCap: StepEstimate;
  /** The estimate one sequence above the cap, which breaks a target; null when the requested concurrency meets them. */
  aboveCap: StepEstimate | null;
  explanation: string;
}

export function hasLatencyTargets(t: LatencyTargets | undefined): t is LatencyTargets {
  return (
    t !== undefined &&
    (t.ttftP95Ms !== undefined || t.outputTokensPerSecondPerUser !== undefined || t.e2eP95Ms !== undefined)
  );
}

/** The targets an estimate breaks, each with the figure that breaks it. */
export function brokenTargets(e: StepEstimate, t: LatencyTargets): string[] {
  const broken: string[] = [];
  if (t.ttftP95Ms !== undefined && e.ttftMs > t.ttftP95Ms)
    broken.push(`TTFT ${shown(e.ttftMs, '>', t.ttftP95Ms, 0)} ms > --ttft-p95-ms ${t.ttftP95Ms}`);
  if (t.e2eP95Ms !== undefined && e.e2eMs > t.e2eP95Ms)
    broken.push(`end to end ${shown(e.e2eMs, '>', t.e2eP95Ms, 0)} ms > --e2e-p95-ms ${t.e2eP95Ms}`);
  if (
    t.outputTokensPerSecondPerUser !== undefined &&
    e.perUserOutputTokensPerSecond !== null &&
    e.perUserOutputTokensPerSecond < t.outputTokensPerSecondPerUser
  )
    broken.push(
      `${shown(e.perUserOutputTokensPerSecond, '<', t.outputTokensPerSecondPerUser, 1)} tokens/s per user < --output-tokens-per-second-per-user ${t.outputTokensPerSecondPerUser}`,
    );
  return broken;
}

function met(e: StepEstimate, t: LatencyTargets): string[] {
  const ok: string[] = [];
  if (t.ttftP95Ms !== undefined)
    ok.push(`TTFT ${shown(e.ttftMs, '≤', t.ttftP95Ms, 0)} ms ≤ ${t.ttftP95Ms} ms`);
  if (t.e2eP95Ms !== undefined)
    ok.push(`end to end ${shown(e.e2eMs, '≤', t.e2eP95Ms, 0)} ms ≤ ${t.e2eP95Ms} ms`);
  if (t.outputTokensPerSecondPerUser !== undefined && e.perUserOutputTokensPerSecond !== null)
    ok.push(
      `${shown(e.perUserOutputTokensPerSecond, '≥', t.outputTokensPerSecondPerUser, 1)} ≥ ${t.outputTokensPerSecondPerUser} tokens/s per user`,
    );
  return ok;
}

type Relation = '<' | '>' | '≤' | '≥';

const HOLDS: Record<Relation, (a: number, b: number) => boolean> = {
  '<': (a, b) => a < b,
  '>': (a, b) => a > b,
  '≤': (a, b) => a <= b,
  '≥': (a, b) => a >= b,
};

/**
 * `value` with as many decimals as it takes (from `minDecimals`, up to 6) for the printed figure to
 * stand in the stated relation to the target: a TTFT of 500.2 ms against a 500 ms target prints as
 * 500.2 > 500, never 500 > 500, and one of 499.7 ms as 499.7 ≤ 500. The relation itself is decided on
 * the unrounded value.
 */
export function shown(value: number, relation: Relation, target: number, minDecimals: number): string {
  for (let d = minDecimals; d <= 6; d++) {
    const rounded = Math.round(value * 10 ** d) / 10 ** d;
    // A value off the target must not print as the target itself: 499.7 ≤ 500, not 500 ≤ 500.
    if (HOLDS[relation](rounded, target) && (rounded !== target || value === target))
      return format(rounded, d);
  }
  return String(value);
}

function format(n: number, decimals: number): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: decimals });
}

/**
 * The largest concurrency, up to the `requested` one, whose per-step time keeps every target: a bigger
 * batch reads more KV (and, for MoE, more experts) each step and prefills more arriving prompts,
 * so every latency grows with it and the first concurrency that breaks a target bounds the
 * replica. The estimate has no queueing: the targets hold while the replica stays at or under the
 * cap, which is what the replica count is sized for.
 */
export function latencyCap(
  estimateAt: (concurrency: number) => StepEstimate,
  targets: LatencyTargets,
  requested: number,
): LatencyCap {
  const one = estimateAt(1);
  if (brokenTargets(one, targets).length > 0)
    return {
      cap: 0,
      atCap: one,
      aboveCap: one,
      explanation: `no concurrency meets the latency targets: even one sequence gives ${brokenTargets(one, targets).join(', ')}`,
    };
  let lo = 1;
  let hi = Math.max(1, requested);
  if (brokenTargets(estimateAt(hi), targets).length === 0) lo = hi;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (brokenTargets(estimateAt(mid), targets).length === 0) lo = mid;
    else hi = mid;
  }
  const atCap = estimateAt(lo);
  const aboveCap = lo < requested ? estimateAt(lo + 1) : null;
  const explanation = aboveCap
    ? `latency caps a replica at ${lo} concurrent sequences, not the ${requested} requested: at ${lo}, ${met(atCap, targets).join(', ')}; at ${lo + 1}, ${brokenTargets(aboveCap, targets).join(', ')}`
    : `all ${lo} requested sequences meet the latency targets: ${met(atCap, targets).join(', ')}`;
  return { cap: lo, atCap, aboveCap, explanation };
}
