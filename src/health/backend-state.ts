import type { UpstreamFailureKind } from '../spec/gateway-error.js';
import type { Location } from '../spec/deployment.js';
import { countsAgainstBackend } from '../routing/failure-policy.js';
import type { DeploymentLoad } from '../routing/route-plan.js';
import { CircuitBreaker, type BreakerOptions } from './circuit-breaker.js';
import type { EngineMetrics } from './engine-metrics.js';
import { Ewma } from './ewma.js';

export interface HealthResult {
  ok: boolean;
  status?: number;
  error?: string;
  latencyMs: number;
  checkedAt: number;
}

export interface AttemptOutcome {
  ok: boolean;
  latencyMs?: number;
  ttftMs?: number;
  /** Why it failed; only failures that say something about the backend count against its breaker. */
  failureKind?: UpstreamFailureKind;
}

/** One row of `GET /admin/backends`. */
export interface BackendSnapshot {
  id: string;
  location: Location;
  breaker: DeploymentLoad['breaker'];
  breakerOpens: number;
  inFlight: number;
  maxConcurrency: number | null;
  ewmaLatencyMs: number | null;
  ewmaTtftMs: number | null;
  requests: number;
  failures: number;
  spilled: number;
  health: HealthResult | null;
  queueDepth: number | null;
  running: number | null;
  kvCacheUsage: number | null;
  metricsReadAt: number | null;
}

/** Live state of one deployment: what routing reads and what the admin view shows. */
export class BackendState {
  readonly breaker: CircuitBreaker;
  inFlight = 0;
  requests = 0;
  failures = 0;
  /** Requests that overflowed from this deployment's pool to another tier. */
  spilled = 0;
  health: HealthResult | null = null;
  engine: (EngineMetrics & { readAt: number }) | null = null;
  private readonly latency = new Ewma();
  private readonly ttft = new Ewma();

  constructor(
    readonly id: string,
    readonly location: Location,
    readonly maxConcurrency: number | undefined,
    breakerOptions: BreakerOptions | undefined,
    private readonly clock: () => number = Date.now,
    /** Engine metrics older than this are ignored rather than trusted. */
    private readonly metricsStaleMs = 30_000,
  ) {
    this.breaker = new CircuitBreaker(breakerOptions, clock);
  }

  /** Whether an attempt may be sent now (takes a half-open probe slot when it says yes). */
  tryAcquire(): boolean {
    return this.breaker.tryAcquire();
  }

  start(): void {
    this.inFlight++;
    this.requests++;
  }

  finish(outcome: AttemptOutcome): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    if (outcome.latencyMs !== undefined) this.latency.add(outcome.latencyMs);
    if (outcome.ttftMs !== undefined) this.ttft.add(outcome.ttftMs);
    if (outcome.ok) return this.breaker.onSuccess();
    this.failures++;
    if (outcome.failureKind === undefined || countsAgainstBackend(outcome.failureKind))
      this.breaker.onFailure();
    // The backend answered, so it is up, even if the answer was a refusal of this request.
    else this.breaker.onSuccess();
  }

  /** The client went away before the backend said anything about itself. */
  abandon(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    this.breaker.onAbandon();
  }

  load(): DeploymentLoad {
    const load: DeploymentLoad = {
      inFlight: this.inFlight,
      breaker: this.breaker.state,
      ewmaLatencyMs: this.latency.value,
      ewmaTtftMs: this.ttft.value,
    };
    if (this.health) load.healthy = this.health.ok;
    const engine = this.engine;
    if (engine && this.clock() - engine.readAt <= this.metricsStaleMs) {
      load.queueDepth = engine.queueDepth;
      load.kvCacheUsage = engine.kvCacheUsage;
    }
    return load;
  }

  snapshot(): BackendSnapshot {
    const engine = this.engine;
    return {
      id: this.id,
      location: this.location,
      breaker: this.breaker.state,
      breakerOpens: this.breaker.opens,
      inFlight: this.inFlight,
      maxConcurrency: this.maxConcurrency ?? null,
      ewmaLatencyMs: round(this.latency.value),
      ewmaTtftMs: round(this.ttft.value),
      requests: this.requests,
      failures: this.failures,
      spilled: this.spilled,
      health: this.health,
      queueDepth: engine?.queueDepth ?? null,
      running: engine?.running ?? null,
      kvCacheUsage: engine?.kvCacheUsage ?? null,
      metricsReadAt: engine?.readAt ?? null,
    };
  }
}

const round = (n: number | undefined) => (n === undefined ? null : Math.round(n * 10) / 10);
