import { describe, expect, it } from 'vitest';
import { InMemoryCounterStore } from '../../src/limits/in-memory-counter-store.js';

describe('InMemoryCounterStore', () => {
  it('token bucket: full at first, refills at its rate, refuses without taking', async () => {
    const store = new InMemoryCounterStore(() => 0);
    expect(await store.takeTokens('b', 3, 3, 1, 0)).toEqual({
      allowed: true,
      remaining: 0,
      retryAfterMs: 0,
      resetMs: 3000,
    });
    expect(await store.takeTokens('b', 1, 3, 1, 500)).toEqual({
      allowed: false,
      remaining: 0,
      retryAfterMs: 500,
      resetMs: 2500,
    });
    expect(await store.takeTokens('b', 1, 3, 1, 1000)).toMatchObject({ allowed: true, remaining: 0 });
    expect(await store.takeTokens('b', 2, 3, 1, 10_000)).toMatchObject({ allowed: true, remaining: 1 });
    expect((await store.takeTokens('b', 5, 3, 1, 20_000)).retryAfterMs).toBe(Number.POSITIVE_INFINITY);
  });

  it('reserve refuses past the limit and changes nothing when it does', async () => {
    const store = new InMemoryCounterStore(() => 0);
    expect(await store.reserve('w', 6, 10, 1000)).toEqual({ allowed: true, used: 6 });
    expect(await store.reserve('w', 5, 10, 1000)).toEqual({ allowed: false, used: 6 });
    expect(await store.reserve('w', 4, 10, 1000)).toEqual({ allowed: true, used: 10 });
    expect(await store.reserve('w', 0, 10, 1000)).toEqual({ allowed: false, used: 10 });
    expect(await store.settle('w', 4, 1, 1000)).toBe(7);
    expect(await store.get('w')).toBe(7);
  });

  it('windows expire at their end', async () => {
    let now = 0;
    const store = new InMemoryCounterStore(() => now);
    await store.reserve('w', 5, 10, 1000);
    now = 1000;
    expect(await store.get('w')).toBe(0);
    expect(await store.incr('c', 1, 50)).toBe(1);
    expect(await store.incr('c', 1, 50)).toBe(2);
    now = 1050;
    expect(await store.incr('c', 1, 50)).toBe(1);
  });
});
