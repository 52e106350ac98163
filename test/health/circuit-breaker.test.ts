import { describe, expect, it } from 'vitest';
import { CircuitBreaker, type BreakerOptions } from '../../src/health/circuit-breaker.js';

function fakeClock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

const OPTIONS: BreakerOptions = {
  consecutiveFailures: 3,
  errorRate: 0.5,
  minRequests: 10,
  windowMs: 10_000,
  cooldownMs: 5_000,
  halfOpenProbes: 2,
};

describe('CircuitBreaker', () => {
  it('opens after N consecutive failures and refuses traffic', () => {
    const clock = fakeClock();
    const b = new CircuitBreaker(OPTIONS, clock.now);
    b.onFailure();
    b.onFailure();
    expect(b.state).toBe('closed');
    expect(b.tryAcquire()).toBe(true);
    b.onFailure();
    expect(b.state).toBe('open');
    expect(b.tryAcquire()).toBe(false);
    expect(b.opens).toBe(1);
  });

  it('a success resets the consecutive count', () => {
    const b = new CircuitBreaker(OPTIONS, fakeClock().now);
    for (let i = 0; i < 5; i++) {
      b.onFailure();
      b.onFailure();
      b.onSuccess();
    }
    // 10 failures of 15 calls: over the error rate with enough volume.
    expect(b.state).toBe('open');
  });

  it('opens on error rate only once the window holds enough calls', () => {
    const b = new CircuitBreaker({ ...OPTIONS, consecutiveFailures: 100 }, fakeClock().now);
    for (let i = 0; i < 4; i++) {
      b.onFailure();
      b.onSuccess();
    }
    expect(b.state).toBe('closed'); // 8 calls < minRequests
    b.onSuccess();
    b.onFailure(); // 10 calls, 5 failures = 50 %
    expect(b.state).toBe('open');
  });

  it('forgets failures that slid out of the window', () => {
    const clock = fakeClock();
    const b = new CircuitBreaker({ ...OPTIONS, consecutiveFailures: 100 }, clock.now);
    for (let i = 0; i < 6; i++) b.onFailure();
    clock.advance(11_000);
    for (let i = 0; i < 8; i++) b.onSuccess();
    b.onFailure();
    b.onSuccess();
    expect(b.state).toBe('closed'); // 1 failure in 10 recent calls
  });

  it('goes half-open after the cool-down and lets K probes through', () => {
    const clock = fakeClock();
    const b = new CircuitBreaker(OPTIONS, clock.now);
    for (let i = 0; i < 3; i++) b.onFailure();
    clock.advance(4_999);
    expect(b.state).toBe('open');
    clock.advance(1);
    expect(b.state).toBe('half_open');
    expect(b.tryAcquire()).toBe(true);
    expect(b.tryAcquire()).toBe(true);
    expect(b.tryAcquire()).toBe(false); // only 2 probes at once
  });

  it('closes when a probe succeeds', () => {
    const clock = fakeClock();
    const b = new CircuitBreaker(OPTIONS, clock.now);
    for (let i = 0; i < 3; i++) b.onFailure();
    clock.advance(5_000);
    expect(b.tryAcquire()).toBe(true);
    b.onSuccess();
    expect(b.state).toBe('closed');
    expect(b.tryAcquire()).toBe(true);
    // The old failures are gone: it takes N new ones to open again.
    b.onFailure();
    b.onFailure();
    expect(b.state).toBe('closed');
  });

  it('re-opens for a full cool-down when a probe fails', () => {
    const clock = fakeClock();
    const b = new CircuitBreaker(OPTIONS, clock.now);
    for (let i = 0; i < 3; i++) b.onFailure();
    clock.advance(5_000);
    expect(b.tryAcquire()).toBe(true);
    b.onFailure();
    expect(b.state).toBe('open');
    expect(b.opens).toBe(2);
    clock.advance(4_000);
    expect(b.tryAcquire()).toBe(false);
    clock.advance(1_000);
    expect(b.state).toBe('half_open');
  });

  it('gives a probe slot back when the probe is abandoned', () => {
    const clock = fakeClock();
    const b = new CircuitBreaker({ ...OPTIONS, halfOpenProbes: 1 }, clock.now);
    for (let i = 0; i < 3; i++) b.onFailure();
    clock.advance(5_000);
    expect(b.tryAcquire()).toBe(true);
    expect(b.tryAcquire()).toBe(false);
    b.onAbandon();
    expect(b.tryAcquire()).toBe(true);
  });

  it('rejects nonsensical options when built', () => {
    expect(() => new CircuitBreaker({ ...OPTIONS, consecutiveFailures: 0 })).toThrow(RangeError);
    expect(() => new CircuitBreaker({ ...OPTIONS, errorRate: 0 })).toThrow(RangeError);
  });
});
