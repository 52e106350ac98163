/** One answer of a pair, as scorers read it. */
export interface PairAnswer {
  text: string | null;
  toolCalls: Array<{ name: string; arguments: string }>;
  finishReason: string | null;
}

/** One side of a pair: which deployment answered, how fast, with how many tokens, at what cost. */
export interface PairSide {
  deploymentId: string | null;
  latencyMs: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
  costUsd: number | null;
}

/**
 * A sampled request answered twice: by the route's primary (what the client got) and by a shadow
 * candidate (which the client never saw). Stored append-only; what the pairs add up to is computed
 * when they are read.
 */
export interface ShadowPair {
  id: string;
  createdAt: number;
  routeId: string;
  /** The primary request's record id. */
  requestId: string;
  endpoint: string;
  modelRequested: string;
  /** The candidate as configured (a deployment id or a public model name). */
  candidate: string;
  /** The candidate's outcome: 200, or the status of the error that ended it. */
  status: number;
  errorCode: string | null;
  primary: PairSide;
  shadow: PairSide;
  /** What judging the pair cost (judge scorers), apart from the candidate's own cost. */
  judgeCostUsd: number | null;
  scorer: string | null;
  /** Candidate minus baseline, in [-1, 1], as rollout quality gates read it (null: not scored). */
  scoreDifference: number | null;
  scoreDetails: Record<string, unknown> | null;
  /** The request as sent (chat shape), with detected personal data redacted; null without bodies. */
  request: Record<string, unknown> | null;
  primaryAnswer: PairAnswer | null;
  shadowAnswer: PairAnswer | null;
}

/** A score given as the pair completed (`shadow.score`), as `scoreDetails.scores` holds it. */
export interface LiveScore {
  role: 'baseline' | 'candidate' | 'pair';
  value: number | null;
  explanation: string | null;
}

/** The live scores stored with a pair; none when it was not scored or its scoring failed. */
export function liveScoresOf(pair: ShadowPair): LiveScore[] {
  return (pair.scoreDetails?.scores ?? []) as LiveScore[];
}

export interface ShadowPairQuery {
  routeId?: string;
  fromMs?: number;
  toMs?: number;
  limit?: number;
}
