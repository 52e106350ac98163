/**
 * A deployment is one concrete place a model is served: a provider, a base URL, an upstream model
 * name and the limits that apply to calls there. Public model names map to one or more of them.
 * This is the resolved, validated form; the config layer produces it from YAML.
 */
export type Location = 'internal' | 'external';

export interface DeploymentTimeouts {
  /** The TCP (and TLS) connect only; waiting for the answer is governed by the budgets below. */
  connectMs: number;
  /**
   * From sending the request to the first content token of a stream (headers are held until then).
   * A non-streamed call has no first token: it is bounded by `totalMs` alone.
   */
  firstTokenMs: number;
  /** Longest silence allowed between two stream events once a stream has started. */
  idleMs: number;
  /** Whole call, from send to last byte. */
  totalMs: number;
}

export interface TokenPrices {
  inputPerMillionUsd?: number;
  outputPerMillionUsd?: number;
  cachedInputPerMillionUsd?: number;
  reasoningPerMillionUsd?: number;
}

/** Infrastructure-priced (self-hosted) deployment: cost is allocated by GPU time, not by tokens. */
export interface SelfHostedCost {
  gpu?: string;
  gpuCount: number;
  gpuHourlyUsd: number;
  fixedMonthlyUsd: number;
  engineerHoursPerMonth: number;
  engineerHourlyUsd: number;
  opsOverheadPct: number;
  /** Requests the deployment serves concurrently at full utilisation. */
  capacityConcurrency?: number;
}

export interface Deployment {
  /** Unique id, recorded on every request it serves. */
  id: string;
  /** Registry key of the provider adapter: `openai-compatible`, `anthropic`. */
  provider: string;
  /** Vendor quirks profile for openai-compatible providers (`openai`, `azure`, `groq`, `vllm`, ...). */
  vendor: string;
  baseUrl: string;
  /** Model name sent upstream. */
  model: string;
  apiKey?: string;
  /** For Azure OpenAI: the deployment name and api-version used to build its URLs. */
  azure?: { deployment: string; apiVersion: string };
  /** Anthropic-only: version header. */
  anthropicVersion?: string;
  headers: Record<string, string>;
  timeouts: DeploymentTimeouts;
  location: Location;
  tags: Record<string, string>;
  prices?: TokenPrices;
  selfHosted?: SelfHostedCost;
  /** Requests in flight this deployment is sized for; beyond it, spill-over considers it saturated. */
  maxConcurrency?: number;
  contextWindow?: number;
  /** Health probe path for self-hosted servers (`/health` for vLLM and TGI). */
  healthPath?: string;
  metricsPath?: string;
  weight: number;
  /** Store request and response bodies in the records for traffic this deployment serves. */
  logBodies: boolean;
}
