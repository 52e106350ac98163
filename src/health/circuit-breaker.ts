import type { BreakerState } from '../routing/route-plan.js';

export interface BreakerOptions {
  /** Consecutive failures that open the breaker. */
  consecutiveFailures: number;
  /** Failure share over the window that opens the breaker, 0..1 ... */
  errorRate: number;
  /** ... once the window holds at least this many calls. */
  minRequests: number;
  windowMs: number;
  /** How long an open breaker refuses traffic before letting probes through. */
  cooldownMs: number;
  /** Probes allowed at once while half-open. */
  halfOpenProbes: number;
}

export const DEFAULT_BREAKER_OPTIONS: Readonly<BreakerOptions> = Object.freeze({
  consecutiveFailures: 5,
  errorRate: 0.5,
  minRequests: 20,
  windowMs: 60_000,
  cooldownMs: 30_000,
  halfOpenProbes: 1,
});

const BUCKETS = 10;

/**
 * Per-deployment circuit breaker. Closed: everything passes, failures are counted in a bucketed
 * sliding window (no timers; buckets roll forward as calls arrive). Open: nothing passes until the
 * cool-down ends. Half-open: a few probes pass; one success closes, one failure re-opens.
 */
export class CircuitBreaker {
  private current: BreakerState = 'closed';
  private openedAt = 0;
  private consecutive = 0;
  private probesInFlight = 0;
  private readonly bucketMs: number;
  private readonly calls = new Array<number>(BUCKETS).fill(0);
  private readonly failures = new Array<number>(BUCKETS).fill(0);
  private bucketStart = 0;
  private bucketIndex = 0;
  /** Times the breaker has opened, for the admin view. */
  opens = 0;

  constructor(
    readonly options: BreakerOptions = DEFAULT_BREAKER_OPTIONS,
    private readonly clock: () => number = Date.now,
  ) {
    if (options.consecutiveFailures < 1) throw new RangeError('consecutiveFailures must be at least 1');
    if (options.halfOpenProbes < 1) throw new RangeError('halfOpenProbes must be at least 1');
    if (options.errorRate <= 0 || options.errorRate > 1) throw new RangeError('errorRate must be in (0, 1]');
    this.bucketMs = Math.max(1, Math.ceil(options.windowMs / BUCKETS));
    this.bucketStart = clock();
  }

  /** The state now; an open breaker whose cool-down has passed reads as half-open. */
  get state(): BreakerState {
    if (this.current === 'open' && this.clock() - this.openedAt >= this.options.cooldownMs) {
      this.current = 'half_open';
      this.probesInFlight = 0;
    }
    return this.current;
  }

  /** Whether a call may go now. When half-open, a true answer takes a probe slot. */
  tryAcquire(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'open') return false;
    if (this.probesInFlight >= this.options.halfOpenProbes) return false;
    this.probesInFlight++;
    return true;
  }

  onSuccess(): void {
    this.record(false);
    this.consecutive = 0;
    if (this.current === 'half_open') this.close();
  }

  onFailure(): void {
    this.record(true);
    this.consecutive++;
    if (this.current === 'half_open') return this.open();
    if (this.current !== 'closed') return;
    if (this.consecutive >= this.options.consecutiveFailures) return this.open();
    let calls = 0;
    let failed = 0;
    for (let i = 0; i < BUCKETS; i++) {
      calls += this.calls[i];
      failed += this.failures[i];
    }
    if (calls >= this.options.minRequests && failed / calls >= this.options.errorRate) this.open();
  }

  /** A call that took a probe slot ended without telling us anything (the client went away). */
  onAbandon(): void {
    if (this.current === 'half_open' && this.probesInFlight > 0) this.probesInFlight--;
  }

  private open(): void {
    this.current = 'open';
    this.openedAt = this.clock();
    this.opens++;
    this.probesInFlight = 0;
  }

  private close(): void {
    this.current = 'closed';
    this.consecutive = 0;
    this.probesInFlight = 0;
    this.calls.fill(0);
    this.failures.fill(0);
  }

  private record(failed: boolean): void {
    this.roll();
    this.calls[this.bucketIndex]++;
    if (failed) this.failures[this.bucketIndex]++;
  }

  private roll(): void {
    const now = this.clock();
    const steps = Math.floor((now - this.bucketStart) / this.bucketMs);
    if (steps <= 0) return;
    for (let i = 0; i < Math.min(steps, BUCKETS); i++) {
      this.bucketIndex = (this.bucketIndex + 1) % BUCKETS;
      this.calls[this.bucketIndex] = 0;
      this.failures[this.bucketIndex] = 0;
    }
    this.bucketStart += steps * this.bucketMs;
  }
}
