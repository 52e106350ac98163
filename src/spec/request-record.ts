/**
 * One row per request: the audit trail that cost accounting, the usage API, the migration planner
 * and shadow evaluation all read. Every storage backend (SQLite now, PostgreSQL at scale) stores
 * exactly these fields.
 */
export type Endpoint = 'chat' | 'completions' | 'embeddings' | 'responses' | 'messages';

export interface RouteAttempt {
  deployment: string;
  /** `ok`, or the UpstreamFailureKind that ended this attempt. */
  outcome: string;
  status?: number;
  latencyMs: number;
  /**
   * The attempt was abandoned on a timeout while the upstream may still have been generating (and
   * billing) it: a later attempt for the same request may be paid for twice.
   */
  unfinished?: boolean;
}

export interface RouteExplanation {
  routeId: string | null;
  /** The rule that matched, in words (`model=gpt-4o workload=support`). */
  rule: string | null;
  targetKind: 'deployment' | 'split' | 'fallback' | 'auto' | 'pool' | 'direct';
  routerScore?: number;
  routerThreshold?: number;
  /** `weak` or `strong` for auto routes. */
  routerChoice?: string;
  residency?: { dataClass: 'restricted' | 'normal'; reason: string | null; redacted?: number };
  spilled?: boolean;
  /** A gated cutover of the route: the caller's arm and the candidate's share when it was routed. */
  rollout?: { arm: 'baseline' | 'candidate'; candidatePercent: number };
  attempts: RouteAttempt[];
}

export interface RequestRecord {
  id: string;
  startedAt: number; // epoch ms
  endedAt: number; // epoch ms
  keyId: string | null;
  team: string | null;
  workload: string | null;
  endpoint: Endpoint;
  modelRequested: string;
  deploymentId: string | null;
  provider: string | null;
  upstreamModel: string | null;
  status: number;
  errorCode: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  cachedTokens: number | null;
  reasoningTokens: number | null;
  /** Counted by the gateway's tokenizer because the upstream did not report usage. */
  usageEstimated: boolean;
  latencyMs: number;
  ttftMs: number | null;
  streamed: boolean;
  /** A stream that started and then failed: the client saw an error event, not a clean end. */
  truncated: boolean;
  finishReason: string | null;
  costUsd: number | null;
  baselineCostUsd: number | null;
  costEstimated: boolean;
  overheadMs: number | null;
  route: RouteExplanation | null;
  requestBody: string | null;
  responseBody: string | null;
  /**
   * Labels the client attached (`x-switchyard-tags`), and a workload it asked for that its key
   * overrides (`requested_workload`). Tags describe; they never change policy.
   */
  tags: Record<string, string> | null;
}

/** A record with nothing known yet but its id, endpoint and start: every figure null, every flag off. */
export function blankRecord(id: string, endpoint: Endpoint, startedAt: number): RequestRecord {
  return {
    id,
    startedAt,
    endedAt: startedAt,
    keyId: null,
    team: null,
    workload: null,
    endpoint,
    modelRequested: '',
    deploymentId: null,
    provider: null,
    upstreamModel: null,
    status: 0,
    errorCode: null,
    inputTokens: null,
    outputTokens: null,
    cachedTokens: null,
    reasoningTokens: null,
    usageEstimated: false,
    latencyMs: 0,
    ttftMs: null,
    streamed: false,
    truncated: false,
    finishReason: null,
    costUsd: null,
    baselineCostUsd: null,
    costEstimated: false,
    overheadMs: null,
    route: null,
    requestBody: null,
    responseBody: null,
    tags: null,
  };
}

export interface RecordQuery {
  fromMs?: number;
  toMs?: number;
  /** Return records with rowid/sequence after this cursor (for tail -f). */
  afterSeq?: number;
  limit?: number;
  workload?: string;
  model?: string;
}

export interface StoredRecord extends RequestRecord {
  seq: number;
}

/**
 * Where request records live. Writers call `append` on the request path (cheap, in memory); the
 * implementation persists in batches off it. `flush` is awaited at shutdown.
 */
export interface RecordStore {
  append(record: RequestRecord): void;
  flush(): Promise<void>;
  query(q: RecordQuery): Promise<StoredRecord[]>;
  /** Streams every record in a time range in constant memory, oldest first. */
  iterate(q: RecordQuery): AsyncIterable<StoredRecord>;
  writable(): Promise<boolean>;
  close(): Promise<void>;
}
