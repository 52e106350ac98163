import { parseSse } from '../sse/parse-sse.js';

export interface BenchOptions {
  /** Base URL of an OpenAI-compatible server, with or without the `/v1` prefix. */
  target: string;
  model: string;
  concurrency: number[];
  /** Each level stops starting requests after this long… */
  durationS: number;
  /** …or after this many requests, whichever comes first. */
  maxRequests: number;
  maxTokens: number;
  prompt: string;
  apiKey?: string;
  signal?: AbortSignal;
  /** After each request: how far the current level is, for a progress bar. */
  onProgress?: (progress: BenchProgress) => void;
  /** After each level, with its figures. */
  onLevel?: (level: BenchLevel, index: number) => void;
}

export interface BenchProgress {
  concurrency: number;
  /** 0-based position of the level and the number of levels. */
  levelIndex: number;
  levels: number;
  completed: number;
  /**
   * Share of this level done: a level ends at its request budget or its time budget, whichever
   * comes first, so this is the larger of the two fractions and never goes backwards.
   */
  levelFraction: number;
}

export interface Percentiles {
  p50: number | null;
  p90: number | null;
  p99: number | null;
}

export interface BenchLevel {
  concurrency: number;
  completed: number;
  errors: number;
  firstError: string | null;
  outputTokens: number;
  /** Whether token counts came from the server's usage (true) or from counting content chunks. */
  usageReported: boolean;
  wallSeconds: number;
  outputTokensPerSecond: number;
  requestsPerSecond: number;
  ttftMs: Percentiles;
  interTokenMs: Percentiles;
  latencyMs: Percentiles;
}

export interface BenchResult {
  target: string;
  /** The model name requested. */
  model: string;
  /** The model the server said it ran (the `model` field of its chunks); null if it never said. */
  servedModel: string | null;
  /** Whether the server marked itself a simulator with the `x-switchyard-simulated` header. */
  simulated: boolean;
  startedAt: string;
  maxTokens: number;
  levels: BenchLevel[];
}

export function percentiles(values: number[]): Percentiles {
  if (values.length === 0) return { p50: null, p90: null, p99: null };
  const s = [...values].sort((a, b) => a - b);
  const at = (p: number) =>
    Math.round(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] * 100) / 100;
  return { p50: at(50), p90: at(90), p99: at(99) };
}

export function chatCompletionsUrl(target: string): string {
  const base = target.replace(/\/+$/, '');
  return /\/v\d+$/.test(base) ? `${base}/chat/completions` : `${base}/v1/chat/completions`;
}

interface OneRequest {
  ok: boolean;
  error?: string;
  ttftMs: number | null;
  gapsMs: number[];
  latencyMs: number;
  outputTokens: number;
  usageReported: boolean;
  servedModel?: string;
  simulated?: boolean;
}

async function streamOne(url: string, opts: BenchOptions): Promise<OneRequest> {
  const t0 = performance.now();
  const gaps: number[] = [];
  let ttft: number | null = null;
  let last = 0;
  let chunks = 0;
  let usageTokens: number | null = null;
  let servedModel: string | undefined;
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(opts.apiKey ? { authorization: `Bearer ${opts.apiKey}` } : {}),
      },
      body: JSON.stringify({
        model: opts.model,
        messages: [{ role: 'user', content: opts.prompt }],
        max_tokens: opts.maxTokens,
        stream: true,
        stream_options: { include_usage: true },
      }),
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    if (!res.ok || !res.body) {
      const text = await res.text().catch(() => '');
      return {
        ok: false,
        error: `HTTP ${res.status} ${text.slice(0, 200)}`,
        ttftMs: null,
        gapsMs: [],
        latencyMs: performance.now() - t0,
        outputTokens: 0,
        usageReported: false,
      };
    }
    const simulated = res.headers.get('x-switchyard-simulated') === 'true';
    for await (const ev of parseSse(res.body)) {
      if (ev.data === '[DONE]') break;
      const chunk = JSON.parse(ev.data) as {
        model?: string;
        choices?: Array<{ delta?: { content?: string | null } }>;
        usage?: { completion_tokens?: number } | null;
      };
      if (typeof chunk.model === 'string' && chunk.model) servedModel = chunk.model;
      if (chunk.usage?.completion_tokens !== undefined) usageTokens = chunk.usage.completion_tokens;
      const content = chunk.choices?.some((c) => c.delta?.content);
      if (!content) continue;
      const now = performance.now();
      if (ttft === null) ttft = now - t0;
      else gaps.push(now - last);
      last = now;
      chunks++;
    }
    return {
      ok: true,
      ttftMs: ttft,
      gapsMs: gaps,
      latencyMs: performance.now() - t0,
      outputTokens: usageTokens ?? chunks,
      usageReported: usageTokens !== null,
      ...(servedModel ? { servedModel } : {}),
      simulated,
    };
  } catch (err) {
    return {
      ok: false,
      error: (err as Error).message,
      ttftMs: null,
      gapsMs: [],
      latencyMs: performance.now() - t0,
      outputTokens: 0,
      usageReported: false,
    };
  }
}

/**
 * Load-tests a server at each concurrency in turn: that many clients send streaming chat requests
 * back to back until the level's time or request budget runs out, and each level reports output
 * tokens per second of wall time, time to first token and the gaps between content chunks.
 */
export async function runBench(opts: BenchOptions): Promise<BenchResult> {
  const url = chatCompletionsUrl(opts.target);
  const levels: BenchLevel[] = [];
  const startedAt = new Date().toISOString();
  let servedModel: string | null = null;
  let simulated = false;
  for (const [levelIndex, concurrency] of opts.concurrency.entries()) {
    if (opts.signal?.aborted) break;
    const results: OneRequest[] = [];
    let started = 0;
    let fraction = 0;
    const levelStart = performance.now();
    const deadline = levelStart + opts.durationS * 1000;
    const worker = async () => {
      while (started < opts.maxRequests && performance.now() < deadline && !opts.signal?.aborted) {
        started++;
        const one = await streamOne(url, opts);
        results.push(one);
        if (one.servedModel) servedModel = one.servedModel;
        if (one.simulated) simulated = true;
        const elapsed = (performance.now() - levelStart) / (opts.durationS * 1000);
        fraction = Math.min(1, Math.max(fraction, results.length / opts.maxRequests, elapsed));
        opts.onProgress?.({
          concurrency,
          levelIndex,
          levels: opts.concurrency.length,
          completed: results.length,
          levelFraction: fraction,
        });
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const wallSeconds = (performance.now() - levelStart) / 1000;
    const ok = results.filter((r) => r.ok);
    const outputTokens = ok.reduce((s, r) => s + r.outputTokens, 0);
    levels.push({
      concurrency,
      completed: ok.length,
      errors: results.length - ok.length,
      firstError: results.find((r) => !r.ok)?.error ?? null,
      outputTokens,
      usageReported: ok.length > 0 && ok.every((r) => r.usageReported),
      wallSeconds: Math.round(wallSeconds * 1000) / 1000,
      outputTokensPerSecond: wallSeconds > 0 ? Math.round((outputTokens / wallSeconds) * 100) / 100 : 0,
      requestsPerSecond: wallSeconds > 0 ? Math.round((ok.length / wallSeconds) * 1000) / 1000 : 0,
      ttftMs: percentiles(ok.flatMap((r) => (r.ttftMs === null ? [] : [r.ttftMs]))),
      interTokenMs: percentiles(ok.flatMap((r) => r.gapsMs)),
      latencyMs: percentiles(ok.map((r) => r.latencyMs)),
    });
    opts.onLevel?.(levels[levels.length - 1], levelIndex);
  }
  return {
    target: opts.target,
    model: opts.model,
    servedModel,
    simulated,
    startedAt,
    maxTokens: opts.maxTokens,
    levels,
  };
}
