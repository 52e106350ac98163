import { ModelCallError, type CallOptions, type ModelClient } from './model-client.js';

export interface RetryPolicy {
  /** Retries after the first call (0: a single call). */
  retries: number;
  /** First backoff; each retry doubles it (default 500 ms). */
  baseDelayMs?: number;
  /** Backoff ceiling, Retry-After included (default 30 s). */
  maxDelayMs?: number;
  /** Injected for tests; resolves after the delay or rejects when the signal aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  onRetry?: (error: ModelCallError, attempt: number, delayMs: number) => void;
}

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Exponential backoff with jitter ("equal jitter": half fixed, half random, so retries from many
 * concurrent cases spread out without collapsing to zero), raised to the server's Retry-After when
 * it asks for longer. https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
 */
export function backoffMs(
  attempt: number,
  error: ModelCallError,
  policy: RetryPolicy,
  random: () => number,
): number {
  const base = policy.baseDelayMs ?? 500;
  const max = policy.maxDelayMs ?? 30_000;
  const exp = Math.min(max, base * 2 ** (attempt - 1));
  const jittered = exp / 2 + (random() * exp) / 2;
  return Math.min(max, Math.max(jittered, error.retryAfterMs ?? 0));
}

/**
 * Retries calls that failed on a 429, a 5xx, a timeout or a lost connection; other errors (a 400
 * for a context that is too long, an unknown model) are answers and are returned at once.
 */
export function withRetries(client: ModelClient, policy: RetryPolicy): ModelClient {
  const sleep = policy.sleep ?? abortableSleep;
  const random = policy.random ?? Math.random;
  async function attempt<T extends { attempts: number }>(
    call: () => Promise<T>,
    signal?: AbortSignal,
  ): Promise<T> {
    for (let n = 1; ; n++) {
      try {
        const result = await call();
        result.attempts = n;
        return result;
      } catch (err) {
        if (!(err instanceof ModelCallError)) throw err;
        err.attempts = n;
        if (!err.retryable || n > policy.retries || signal?.aborted) throw err;
        const delay = backoffMs(n, err, policy, random);
        policy.onRetry?.(err, n, delay);
        await sleep(delay, signal);
      }
    }
  }
  return {
    chat: (request, options: CallOptions = {}) =>
      attempt(() => client.chat(request, options), options.signal),
    embed: (model, input, options: CallOptions = {}) =>
      attempt(() => client.embed(model, input, options), options.signal),
  };
}
