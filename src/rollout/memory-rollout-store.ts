import type { RolloutState, RolloutTransition, StoredTransition } from './rollout-state.js';
import type { RolloutStore } from './rollout-store.js';

/**
 * Rollout state in process memory: for unit tests and the simulation bench only, since state is
 * lost on restart and not shared between replicas. States and transitions are kept and handed out
 * frozen rather than copied (the controller builds new ones instead of changing them), which keeps
 * a simulated check cheap.
 */
export class MemoryRolloutStore implements RolloutStore {
  private readonly states = new Map<string, RolloutState>();
  private readonly transitions: StoredTransition[] = [];

  async get(route: string): Promise<RolloutState | undefined> {
    return this.states.get(route);
  }

  async list(): Promise<RolloutState[]> {
    return [...this.states.values()];
  }

  async commit(
    next: RolloutState,
    expectedVersion: number | null,
    transition?: RolloutTransition,
  ): Promise<RolloutState | undefined> {
    const current = this.states.get(next.route);
    if ((current?.version ?? null) !== expectedVersion) return undefined;
    const stored = Object.freeze({ ...next, version: (expectedVersion ?? 0) + 1 });
    this.states.set(next.route, stored);
    if (transition) this.transitions.push(Object.freeze({ ...transition, seq: this.transitions.length + 1 }));
    return stored;
  }

  async history(route: string, options: { limit?: number } = {}): Promise<StoredTransition[]> {
    const mine = this.transitions.filter((t) => t.route === route).reverse();
    return mine.slice(0, options.limit ?? mine.length);
  }

  async close(): Promise<void> {}
}
