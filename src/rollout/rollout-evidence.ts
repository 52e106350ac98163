/**
 * What the gates read, per arm, since the current stage began: how many calls each deployment took,
 * how many failed, and how long the successful ones took; and the judged quality pairs. Anything
 * that can count these (the request records, a metrics backend, a simulation) can drive a rollout.
 */
export interface ArmEvidence {
  /** Calls made to the arm's deployment on this route (fallback attempts included). */
  requests: number;
  /** Those that failed (any outcome but success; client cancellations are not counted at all). */
  errors: number;
  /** Latency of successful requests served by the arm. */
  latency: TimingEvidence;
  /** Time to first token of successful streamed requests served by the arm. */
  ttft: TimingEvidence;
}

/**
 * A timing, as the gates need it: how many requests were timed, how many of them took longer than
 * the gate's limit (a p95 holds at the limit when at most 5% do), and the p95 itself for display.
 * Counts rather than samples, so a check costs the same at 1% and at 100% of the traffic.
 */
export interface TimingEvidence {
  samples: number;
  /** Samples above the query's limit (0 when it sets none). */
  overLimit: number;
  p95Ms: number | null;
}

export interface RolloutEvidenceQuery {
  route: string;
  baseline: string;
  candidate: string;
  /** Requests that started from then on count for the arms. */
  stageStartedAtMs: number;
  /** Quality pairs recorded from then on count. */
  qualityFromMs: number;
  /** Limits the latency and time-to-first-token counts are taken against (null: no such gate). */
  latencyLimitMs: number | null;
  ttftLimitMs: number | null;
}

export interface RolloutEvidenceSnapshot {
  baseline: ArmEvidence;
  candidate: ArmEvidence;
  /** Paired score differences, candidate − baseline, each in [−1, 1], in the order recorded. */
  qualityDifferences: readonly number[];
}

export interface RolloutEvidence {
  collect(query: RolloutEvidenceQuery): Promise<RolloutEvidenceSnapshot>;
}

export interface QualityQuery {
  route: string;
  baseline: string;
  candidate: string;
  fromMs: number;
}

/**
 * Judged pairs: the same request answered by the baseline and the candidate, scored, and reduced to
 * candidate score − baseline score (scores in [0, 1]). The shadow-pair store implements this; so can
 * a judge of live traffic.
 */
export interface QualitySource {
  /**
   * Differences of the pairs recorded since `fromMs`, in the order recorded. Append-only: a pair
   * recorded later comes after every pair returned before, which lets the gate extend its bound
   * with the new pairs instead of recomputing it.
   */
  differences(query: QualityQuery): Promise<readonly number[]>;
}
