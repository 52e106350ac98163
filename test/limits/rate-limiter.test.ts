import { describe, expect, it } from 'vitest';
import { rateLimitSchema } from '../../src/config/schema/cost-schema.js';
import { InMemoryCounterStore } from '../../src/limits/in-memory-counter-store.js';
import { RateLimiter, type RateLimitAdmission } from '../../src/limits/rate-limiter.js';
import { GatewayError } from '../../src/spec/gateway-error.js';

const ctx = { keyId: 'key-1', team: 'research', deploymentId: null };

function setup(rules: unknown[]) {
  let now = 1_000_000;
  const store = new InMemoryCounterStore(() => now);
  const limiter = new RateLimiter(
    rules.map((r) => rateLimitSchema.parse(r)),
    store,
    { now: () => now },
  );
  return { limiter, advance: (ms: number) => (now += ms) };
}

describe('RateLimiter', () => {
  it('returns OpenAI-style headers for requests and tokens', async () => {
    const { limiter } = setup([{ scope: 'key', requestsPerMinute: 60, tokensPerMinute: 10_000 }]);
    const result = (await limiter.check(ctx, 1000)) as RateLimitAdmission;
    expect(result.headers).toEqual({
      'x-ratelimit-limit-requests': '60',
      'x-ratelimit-remaining-requests': '59',
      'x-ratelimit-reset-requests': '1s',
      'x-ratelimit-limit-tokens': '10000',
      'x-ratelimit-remaining-tokens': '9000',
      'x-ratelimit-reset-tokens': '6s',
    });
  });

  it('refuses past the request rate, naming the limit and when to retry', async () => {
    const { limiter, advance } = setup([{ scope: 'key', requestsPerMinute: 3 }]);
    for (let i = 0; i < 3; i++) expect(await limiter.check(ctx, 0)).not.toBeInstanceOf(GatewayError);
    const err = (await limiter.check(ctx, 0)) as GatewayError;
    expect(err).toBeInstanceOf(GatewayError);
    expect(err.status).toBe(429);
    expect(err.type).toBe('rate_limit_error');
    expect(err.code).toBe('rate_limit_exceeded');
    expect(err.message).toBe(
      "Rate limit reached for requests per minute on key 'key-1': limit 3, remaining 0, requested 1. Retry in 20s.",
    );
    expect(err.headers).toMatchObject({
      'retry-after': '20',
      'retry-after-ms': '20000',
      'x-ratelimit-limit-requests': '3',
      'x-ratelimit-remaining-requests': '0',
      'x-ratelimit-reset-requests': '1m0s',
    });
    advance(20_000);
    expect(await limiter.check(ctx, 0)).not.toBeInstanceOf(GatewayError);
  });

  it('refuses past the token rate', async () => {
    const { limiter } = setup([{ scope: 'team', tokensPerMinute: 1000 }]);
    expect(await limiter.check(ctx, 800)).not.toBeInstanceOf(GatewayError);
    const err = (await limiter.check(ctx, 300)) as GatewayError;
    expect(err.message).toMatch(
      /tokens per minute on team 'research': limit 1000, remaining 200, requested 300\. Retry in 6s/,
    );
  });

  it('a request larger than the bucket is refused for good', async () => {
    const { limiter } = setup([{ scope: 'key', tokensPerMinute: 1000 }]);
    const err = (await limiter.check(ctx, 5000)) as GatewayError;
    expect(err.message).toMatch(/Request too large .* limit 1000, requested 5000/);
    expect(err.headers['x-should-retry']).toBe('false');
  });

  it('limits each subject separately and honours match', async () => {
    const { limiter } = setup([
      { scope: 'key', requestsPerMinute: 1 },
      { scope: 'deployment', match: 'vllm-a', requestsPerMinute: 1 },
    ]);
    expect(await limiter.check(ctx, 0)).not.toBeInstanceOf(GatewayError);
    expect(await limiter.check({ ...ctx, keyId: 'key-2' }, 0)).not.toBeInstanceOf(GatewayError);
    expect(await limiter.check(ctx, 0)).toBeInstanceOf(GatewayError);
    const dep = { keyId: null, team: null, deploymentId: 'vllm-a' };
    expect(await limiter.check(dep, 0)).not.toBeInstanceOf(GatewayError);
    expect(((await limiter.check(dep, 0)) as GatewayError).message).toMatch(/deployment 'vllm-a'/);
    expect(await limiter.check({ ...dep, deploymentId: 'vllm-b' }, 0)).toEqual({ headers: {} });
  });

  it('headers show the tightest of several limits', async () => {
    const { limiter } = setup([
      { scope: 'key', requestsPerMinute: 100 },
      { scope: 'team', requestsPerMinute: 10 },
    ]);
    const result = (await limiter.check(ctx, 0)) as RateLimitAdmission;
    expect(result.headers['x-ratelimit-limit-requests']).toBe('10');
    expect(result.headers['x-ratelimit-remaining-requests']).toBe('9');
  });
});
