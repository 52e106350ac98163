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
  /** All input tokens, cached ones included. */
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  requests: number;
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

export type UsageItem = { row: UsageRow } | { problem: UsageProblem };

export type UsageFormat =
  | 'switchyard-sqlite'
  | 'switchyard-jsonl'
  | 'switchyard-csv'
  | 'openai-usage-json'
  | 'openai-usage-csv'
  | 'anthropic-usage-json'
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
    requests: 1,
    costUsd: null,
    latencyMs: null,
    ttftMs: null,
    routerScore: null,
    routedStrong: null,
    restricted: null,
  };
}
