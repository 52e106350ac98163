import type { CounterStore, ReserveResult, TokenBucketResult } from '../spec/counter-store.js';

interface Bucket {
  tokens: number;
  lastMs: number;
  capacity: number;
  refillPerSec: number;
}

interface Windowed {
  value: number;
  /** Epoch ms after which the entry is gone; Infinity for none. */
  endMs: number;
}

const SWEEP_EVERY = 1024;

/**
 * Counters for one gateway process. Every method does its whole read-modify-write synchronously
 * before its promise resolves, so no two calls interleave: each is atomic, as the Redis scripts
 * that replace it across replicas must be.
 */
export class InMemoryCounterStore implements CounterStore {
  private readonly buckets = new Map<string, Bucket>();
  private readonly windows = new Map<string, Windowed>();
  private operations = 0;

  constructor(private readonly now: () => number = Date.now) {}

  takeTokens(
    key: string,
    cost: number,
    capacity: number,
    refillPerSec: number,
    nowMs: number,
  ): Promise<TokenBucketResult> {
    this.maybeSweep();
    const bucket = this.buckets.get(key);
    let tokens = capacity;
    let lastMs = nowMs;
    if (bucket) {
      lastMs = Math.max(bucket.lastMs, nowMs);
      tokens = Math.min(capacity, bucket.tokens + (Math.max(0, nowMs - bucket.lastMs) / 1000) * refillPerSec);
    }
    const allowed = cost <= tokens;
    if (allowed) tokens -= cost;
    this.buckets.set(key, { tokens, lastMs, capacity, refillPerSec });
    const msFor = (missing: number) => (missing <= 0 ? 0 : Math.ceil((missing / refillPerSec) * 1000));
    return Promise.resolve({
      allowed,
      remaining: Math.floor(tokens),
      retryAfterMs: allowed ? 0 : cost > capacity ? Number.POSITIVE_INFINITY : msFor(cost - tokens),
      resetMs: msFor(capacity - tokens),
    });
  }

  /** Allowed when nothing is over the limit yet and this amount keeps it so. */
  reserve(key: string, amount: number, limit: number, windowEndMs: number): Promise<ReserveResult> {
    this.maybeSweep();
    const entry = this.live(key);
    const used = entry?.value ?? 0;
    if (used >= limit || used + amount > limit) return Promise.resolve({ allowed: false, used });
    this.windows.set(key, { value: used + amount, endMs: Math.max(windowEndMs, entry?.endMs ?? 0) });
    return Promise.resolve({ allowed: true, used: used + amount });
  }

  settle(key: string, reserved: number, actual: number, windowEndMs: number): Promise<number> {
    const entry = this.live(key);
    const value = Math.max(0, (entry?.value ?? 0) - reserved + actual);
    this.windows.set(key, { value, endMs: Math.max(windowEndMs, entry?.endMs ?? 0) });
    return Promise.resolve(value);
  }

  get(key: string): Promise<number> {
    return Promise.resolve(this.live(key)?.value ?? 0);
  }

  incr(key: string, amount: number, ttlMs?: number): Promise<number> {
    this.maybeSweep();
    const entry = this.live(key);
    const value = (entry?.value ?? 0) + amount;
    const endMs = entry?.endMs ?? (ttlMs === undefined ? Number.POSITIVE_INFINITY : this.now() + ttlMs);
    this.windows.set(key, { value, endMs });
    return Promise.resolve(value);
  }

  private live(key: string): Windowed | undefined {
    const entry = this.windows.get(key);
    if (entry && entry.endMs <= this.now()) {
      this.windows.delete(key);
      return undefined;
    }
    return entry;
  }

  /** Drops expired windows and buckets that have refilled, so memory follows live keys only. */
  private maybeSweep(): void {
    if (++this.operations % SWEEP_EVERY !== 0) return;
    const now = this.now();
    for (const [key, entry] of this.windows) if (entry.endMs <= now) this.windows.delete(key);
    for (const [key, b] of this.buckets)
      if (b.tokens + ((now - b.lastMs) / 1000) * b.refillPerSec >= b.capacity) this.buckets.delete(key);
  }
}
