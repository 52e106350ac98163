import type { Deployment } from '../spec/deployment.js';
import type { BackendStateView, DeploymentLoad, RoutePlan } from '../routing/route-plan.js';
import { BackendState, type BackendSnapshot } from './backend-state.js';
import { DEFAULT_BREAKER_OPTIONS, type BreakerOptions } from './circuit-breaker.js';

export interface BackendStatesOptions {
  breaker?: Partial<BreakerOptions>;
  clock?: () => number;
  metricsStaleMs?: number;
}

/** The body of `GET /admin/backends`. */
export interface BackendsSnapshot {
  generatedAt: number;
  deployments: BackendSnapshot[];
}

/** Live state of every configured deployment; the view planning reads and the admin endpoint shows. */
export class BackendStates implements BackendStateView {
  private readonly states = new Map<string, BackendState>();
  private readonly clock: () => number;

  constructor(deployments: Iterable<Deployment>, options: BackendStatesOptions = {}) {
    this.clock = options.clock ?? Date.now;
    const breaker = { ...DEFAULT_BREAKER_OPTIONS, ...options.breaker };
    for (const d of deployments)
      this.states.set(
        d.id,
        new BackendState(d.id, d.location, d.maxConcurrency, breaker, this.clock, options.metricsStaleMs),
      );
  }

  get(id: string): BackendState | undefined {
    return this.states.get(id);
  }

  load(id: string): DeploymentLoad | undefined {
    return this.states.get(id)?.load();
  }

  /** For FailoverController's `tryAcquire`: unknown deployments are not gated. */
  tryAcquire = (id: string): boolean => this.states.get(id)?.tryAcquire() ?? true;

  /** Counts a spilled request against the deployments of the pool it overflowed from. */
  recordSpill(plan: RoutePlan): void {
    if (!plan.spilled) return;
    for (const id of plan.spilledFrom ?? []) {
      const s = this.states.get(id);
      if (s) s.spilled++;
    }
  }

  snapshot(): BackendsSnapshot {
    return { generatedAt: this.clock(), deployments: [...this.states.values()].map((s) => s.snapshot()) };
  }
}
