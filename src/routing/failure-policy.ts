import type { FallbackCondition, RetryPolicy } from '../config/schema/routes-schema.js';
import type { UpstreamFailureKind } from '../spec/gateway-error.js';

/**
 * The `fallbackOn` condition a failure falls under, or null for failures no other backend would
 * answer differently (a malformed request is malformed everywhere).
 */
export function fallbackConditionOf(kind: UpstreamFailureKind): FallbackCondition | null {
  switch (kind) {
    case 'connection':
      return 'connection';
    case 'http_5xx':
    case 'protocol':
      return '5xx';
    case 'rate_limited':
      return '429';
    case 'timeout':
    case 'stall':
      return 'timeout';
    case 'first_token_timeout':
      return 'first_token_timeout';
    case 'context_length':
      return 'context_length';
    case 'content_filter':
      return 'content_filter';
    case 'http_4xx':
      return null;
  }
}

export function shouldFallback(kind: UpstreamFailureKind, fallbackOn: readonly FallbackCondition[]): boolean {
  const condition = fallbackConditionOf(kind);
  return condition !== null && fallbackOn.includes(condition);
}

/** Failures that say something about the backend's health, and so feed its circuit breaker. */
export function countsAgainstBackend(kind: UpstreamFailureKind): boolean {
  switch (kind) {
    case 'connection':
    case 'timeout':
    case 'first_token_timeout':
    case 'stall':
    case 'http_5xx':
    case 'rate_limited':
    case 'protocol':
      return true;
    default:
      return false;
  }
}

export interface BackoffInput {
  /** 1 for the first retry. */
  attempt: number;
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>;
  /** Uniform in [0, 1). */
  random: () => number;
  /** From the upstream's Retry-After; waited in full when longer than the computed delay. */
  retryAfterMs?: number;
  /** Time left before the request's deadline; the delay never exceeds it. */
  remainingMs?: number;
}

/**
 * Exponential backoff with full jitter (a uniform draw up to base * 2^(attempt-1), capped), so
 * clients retrying together spread out instead of hitting a recovering backend in waves.
 * See https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/.
 */
export function backoffDelayMs({ attempt, policy, random, retryAfterMs, remainingMs }: BackoffInput): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  let delay = Math.floor(random() * ceiling);
  if (retryAfterMs !== undefined && retryAfterMs > delay) delay = Math.ceil(retryAfterMs);
  if (remainingMs !== undefined) delay = Math.min(delay, Math.max(0, Math.floor(remainingMs)));
  return delay;
}
