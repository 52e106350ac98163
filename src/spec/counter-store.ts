/**
 * Shared counters for budgets, rate limits and breaker state. The in-process implementation serves a
 * single gateway; a Redis implementation (atomic Lua scripts) serves replicas. Every operation that
 * decides admission is one atomic call, so two replicas can never both spend the last dollar.
 */
export interface TokenBucketResult {
  allowed: boolean;
  remaining: number;
  /** Milliseconds until the bucket holds enough for this request again (0 when allowed). */
  retryAfterMs: number;
  /** Milliseconds until the bucket is full again. */
  resetMs: number;
}

export interface ReserveResult {
  allowed: boolean;
  /** Spent plus reserved, after this call if allowed. */
  used: number;
}

export interface CounterStore {
  /** Take `cost` from a token bucket of `capacity` refilled at `refillPerSec`. */
  takeTokens(
    key: string,
    cost: number,
    capacity: number,
    refillPerSec: number,
    nowMs: number,
  ): Promise<TokenBucketResult>;
  /** Atomically reserve `amount` against `limit` in a window; refused reservations change nothing. */
  reserve(key: string, amount: number, limit: number, windowEndMs: number): Promise<ReserveResult>;
  /** Replace a reservation with what was really spent (may be more or less than reserved). */
  settle(key: string, reserved: number, actual: number, windowEndMs: number): Promise<number>;
  get(key: string): Promise<number>;
  incr(key: string, amount: number, ttlMs?: number): Promise<number>;
}
