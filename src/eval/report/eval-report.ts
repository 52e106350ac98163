import type { Interval } from '../../stats/index.js';
import type { WinTieLoss } from '../../stats/index.js';

/** What `eval run` and `eval report` print, in every format; the JSON format is this object. */
export interface EvalReport {
  run: {
    id: string;
    createdAt: string;
    /** `finished` once every case has both answers and every score. */
    status: 'finished' | 'incomplete';
    dataset: string;
    datasetSha256: string;
    cases: number;
    casesComplete: number;
    baseline: string;
    candidate: string;
    scorers: string[];
    judge: string | null;
    seed: number;
    gateway: string;
  };
  statistics: { method: string; confidence: number; resamples: number; seed: number };
  models: { baseline: ModelSummary; candidate: ModelSummary };
  /** Judge and embedding calls, apart from the models under test. */
  evaluationSpend: SpendSummary & { byScorer: Record<string, SpendSummary> };
  scorers: ScorerSummary[];
  /** Calls that failed after their retries, the candidate's first. */
  failures: FailureRow[];
}

export interface SpendSummary {
  /** Sum of the priced calls. */
  pricedUsd: number;
  calls: number;
  /** Calls with no known price: the total is then a lower bound and says so. */
  unpricedCalls: number;
}

export interface ModelSummary {
  model: string;
  calls: number;
  succeeded: number;
  failed: number;
  /** Deployments that answered, with call counts. */
  servedBy: Record<string, number>;
  latencyMs: { mean: number; p50: number; p95: number } | null;
  tokens: { input: number; output: number };
  cost: SpendSummary & { perCaseUsd: number | null; sources: string[] };
}

export interface PairedSummary {
  n: number;
  baseline: Interval;
  candidate: Interval;
  /** candidate − baseline */
  difference: Interval;
  permutation: { pValue: number; method: string };
  wilcoxon: { pValue: number; method: string; statistic: number };
  winTieLoss: WinTieLoss;
  signTest: { pValue: number };
}

export interface ScorerSummary {
  scorer: string;
  needs: 'output' | 'reference' | 'pair';
  /** Both models scored on the same cases (against expected answers, or alone). */
  comparison?: PairedSummary;
  /** Candidate scored against the baseline's answers, on cases without an expected answer. */
  agreement?: { n: number; candidate: Interval };
  /** Pairwise verdicts: 1 candidate preferred, 0.5 tie, 0 baseline preferred. */
  pairwise?: {
    n: number;
    candidatePreferred: Interval;
    winTieLoss: WinTieLoss;
    signTest: { pValue: number };
    positionBias: { judgedBothOrders: number; disagreements: number; rate: number | null };
  };
  /** Mean of each field's score (JSON fields, tool calls, rubric criteria). */
  fields: Array<{ field: string; baseline: number | null; candidate: number | null; n: number }>;
  /** Scores the scorer could not give, and the most common reasons. */
  notScored: number;
  notScoredReasons: Array<{ reason: string; count: number }>;
  worst: WorstCase[];
}

export interface WorstCase {
  caseId: string;
  baseline: number | null;
  candidate: number | null;
  explanation: string | null;
  candidateAnswer: string;
}

export interface FailureRow {
  caseId: string;
  role: 'baseline' | 'candidate';
  model: string;
  status: number | null;
  code: string | null;
  message: string;
  attempts: number;
}
