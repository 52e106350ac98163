import type { RateLimitConfig } from '../config/schema/cost-schema.js';
import type { CounterStore, TokenBucketResult } from '../spec/counter-store.js';
import { GatewayError } from '../spec/gateway-error.js';
import { formatResetDuration } from './format-reset-duration.js';

export interface RateLimitContext {
  keyId: string | null;
  team: string | null;
  /** Null before routing: deployment limits are then checked in a second call once it is known. */
  deploymentId: string | null;
}

export interface RateLimitAdmission {
  /** OpenAI-style `x-ratelimit-*` headers for the tightest limit that applied; empty if none did. */
  headers: Record<string, string>;
}

type Unit = 'requests' | 'tokens';

interface BucketCheck {
  unit: Unit;
  limitPerMinute: number;
  what: string;
  result: TokenBucketResult;
}

const UNIT_WORDS: Record<Unit, string> = { requests: 'requests per minute', tokens: 'tokens per minute' };

function subjectOf(rule: RateLimitConfig, ctx: RateLimitContext): string | null {
  const value = rule.scope === 'key' ? ctx.keyId : rule.scope === 'team' ? ctx.team : ctx.deploymentId;
  if (value === null) return null;
  if (rule.match !== undefined && value !== rule.match) return null;
  return value;
}

/**
 * Requests and tokens per minute per key, team and deployment as token buckets: capacity one
 * minute's worth, refilled continuously, so bursts up to the limit pass and sustained traffic is
 * held to the rate. Tokens are counted as OpenAI does before a call: input tokens plus the output
 * limit. Each bucket is one atomic store call; a request refused by one bucket may already have
 * been counted by another, which errs on the side of refusing.
 */
export class RateLimiter {
  private readonly now: () => number;

  constructor(
    private readonly rules: readonly RateLimitConfig[],
    private readonly store: CounterStore,
    options: { now?: () => number } = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  async check(ctx: RateLimitContext, tokens: number): Promise<RateLimitAdmission | GatewayError> {
    const nowMs = this.now();
    const checks: BucketCheck[] = [];
    for (const rule of this.rules) {
      const subject = subjectOf(rule, ctx);
      if (subject === null) continue;
      const what = `${rule.scope} '${subject}'`;
      const limits: Array<[Unit, number | undefined, number]> = [
        ['tokens', rule.tokensPerMinute, tokens],
        ['requests', rule.requestsPerMinute, 1],
      ];
      for (const [unit, perMinute, cost] of limits) {
        if (perMinute === undefined) continue;
        const key = `ratelimit:${rule.scope}:${subject}:${unit}:${perMinute}`;
        const result = await this.store.takeTokens(key, cost, perMinute, perMinute / 60, nowMs);
        const check = { unit, limitPerMinute: perMinute, what, result };
        if (!result.allowed) return refusal(check, cost, [...checks, check]);
        checks.push(check);
      }
    }
    return { headers: rateLimitHeaders(checks) };
  }
}

/** Headers for the tightest bucket of each unit (lowest share left). */
function rateLimitHeaders(checks: BucketCheck[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const unit of ['requests', 'tokens'] as const) {
    let tightest: BucketCheck | undefined;
    for (const c of checks) {
      if (c.unit !== unit) continue;
      if (
        !tightest ||
        c.result.remaining / c.limitPerMinute < tightest.result.remaining / tightest.limitPerMinute
      )
        tightest = c;
    }
    if (!tightest) continue;
    headers[`x-ratelimit-limit-${unit}`] = String(tightest.limitPerMinute);
    headers[`x-ratelimit-remaining-${unit}`] = String(Math.max(0, tightest.result.remaining));
    headers[`x-ratelimit-reset-${unit}`] = formatResetDuration(tightest.result.resetMs);
  }
  return headers;
}

function refusal(check: BucketCheck, requested: number, checks: BucketCheck[]): GatewayError {
  const words = UNIT_WORDS[check.unit];
  const headers = rateLimitHeaders(checks);
  if (!Number.isFinite(check.result.retryAfterMs)) {
    return new GatewayError({
      status: 429,
      type: 'rate_limit_error',
      code: 'rate_limit_exceeded',
      message: `Request too large for the ${words} limit of ${check.what}: limit ${check.limitPerMinute}, requested ${requested}. Send fewer tokens or lower max_tokens.`,
      // Waiting cannot help: the bucket never holds this many tokens.
      headers: { ...headers, 'x-should-retry': 'false' },
    });
  }
  const retryMs = check.result.retryAfterMs;
  return new GatewayError({
    status: 429,
    type: 'rate_limit_error',
    code: 'rate_limit_exceeded',
    message: `Rate limit reached for ${words} on ${check.what}: limit ${check.limitPerMinute}, remaining ${Math.max(0, check.result.remaining)}, requested ${requested}. Retry in ${formatResetDuration(retryMs)}.`,
    headers: {
      ...headers,
      'retry-after': String(Math.max(1, Math.ceil(retryMs / 1000))),
      'retry-after-ms': String(retryMs),
    },
  });
}
