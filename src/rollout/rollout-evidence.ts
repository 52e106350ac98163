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
  /** Latency of successful requests served by the arm, in the order they were recorded. */
  latencyMs: readonly number[];
  /** Time to first token of successful streamed requests served by the arm. */
  ttftMs: readonly number[];
}

export interface RolloutEvidenceQuery {
  route: string;
  baseline: string;
  candidate: string;
  /** Requests that started from then on count for the arms. */
  stageStartedAtMs: number;
  /** Quality pairs recorded from then on count. */
  qualityFromMs: number;
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
  /** Differences of the pairs recorded since `fromMs`, oldest first. */
  differences(query: QualityQuery): Promise<readonly number[]>;
}

export const NO_EVIDENCE: ArmEvidence = { requests: 0, errors: 0, latencyMs: [], ttftMs: [] };
