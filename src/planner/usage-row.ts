/**
 * One unit of imported usage: a single request (Switchyard records) or an aggregated time bucket
 * (vendor usage exports). Every import format is translated into this at the edge.
 */
export interface UsageRow {
  startMs: number;
  /** Width of the bucket this row aggregates; 0 for a single request. */
  durationMs: number;
  model: string;
  project: string | null;
  apiKey: string | null;
  /** Workload already assigned upstream (Switchyard records carry it). */
  workload: string | null;
  tags: Record<string, string>;
  /** All input tokens, cached reads and cache writes included. */
  inputTokens: number;
  outputTokens: number;
  /** Part of input read from the prompt cache. */
  cachedInputTokens: number;
  /** Part of input written to Anthropic's prompt cache, by cache lifetime. */
  cacheWrite5mTokens: number;
  cacheWrite1hTokens: number;
  requests: number;
  /** `standard`, `batch`, `flex`, `priority` or the vendor's own tier name. */
  serviceTier: string;
  /** Billed at long-context rates (Anthropic's `context_window: 200k-1M`); null when the row does not say. */
  longContext: boolean | null;
  /** Whose usage export this is (`openai`, `anthropic`): its billing rules apply. */
  vendor: string | null;
  /** What the source says this usage cost; null when it does not say. */
  costUsd: number | null;
  latencyMs: number | null;
  ttftMs: number | null;
  routerScore: number | null;
  /** The complexity router sent this request to the strong model (true) or the weak one (false). */
  routedStrong: boolean | null;
  restricted: boolean | null;
}

export interface UsageProblem {
  file: string;
  /** 1-based line, or a JSON path for whole-document formats. */
  where: string;
  message: string;
}

/** A bucket of a usage export with no usage in it: the export covers that time all the same. */
export interface EmptySpan {
  startMs: number;
  endMs: number;
}

/** What a vendor billed for a bucket (OpenAI's Costs API), read to reconcile computed spend. */
export interface BilledCost {
  startMs: number;
  endMs: number;
  amountUsd: number;
  lineItem: string | null;
  project: string | null;
}

export type UsageItem =
  { row: UsageRow } | { problem: UsageProblem } | { empty: EmptySpan } | { billed: BilledCost };

/** Stands for the model of a row whose export was not grouped by model. */
export const MODEL_NOT_REPORTED = '(model not reported)';

export type UsageFormat =
  | 'switchyard-sqlite'
  | 'switchyard-jsonl'
  | 'switchyard-csv'
  | 'openai-usage-json'
  | 'openai-usage-csv'
  | 'anthropic-usage-json'
  | 'openai-costs-json'
  | 'openai-costs-csv'
  | 'csv-mapped';

export function emptyRow(): UsageRow {
  return {
    startMs: 0,
    durationMs: 0,
    model: '',
    project: null,
    apiKey: null,
    workload: null,
    tags: {},
    inputTokens: 0,
    outputTokens: 0,
    cachedInputTokens: 0,
    cacheWrite5mTokens: 0,
    cacheWrite1hTokens: 0,
    requests: 1,
    serviceTier: 'standard',
    longContext: null,
    vendor: null,
    costUsd: null,
    latencyMs: null,
    ttftMs: null,
    routerScore: null,
    routedStrong: null,
    restricted: null,
  };
}
