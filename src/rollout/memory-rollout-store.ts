import type { RolloutState, RolloutTransition, StoredTransition } from './rollout-state.js';
import type { RolloutStore } from './rollout-store.js';

/**
 * Rollout state in process memory: for unit tests and the simulation bench only, since state is
 * lost on restart and not shared between replicas.
 */
export class MemoryRolloutStore implements RolloutStore {
  private readonly states = new Map<string, RolloutState>();
  private readonly transitions: StoredTransition[] = [];

  async get(route: string): Promise<RolloutState | undefined> {
    const state = this.states.get(route);
    return state && structuredClone(state);
  }

  async list(): Promise<RolloutState[]> {
    return [...this.states.values()].map((s) => structuredClone(s));
  }

  async commit(
    next: RolloutState,
    expectedVersion: number | null,
    transition?: RolloutTransition,
  ): Promise<RolloutState | undefined> {
    const current = this.states.get(next.route);
    if ((current?.version ?? null) !== expectedVersion) return undefined;
    const stored = structuredClone({ ...next, version: (expectedVersion ?? 0) + 1 });
    this.states.set(next.route, stored);
    if (transition)
      this.transitions.push({ ...structuredClone(transition), seq: this.transitions.length + 1 });
    return structuredClone(stored);
  }

  async history(route: string, options: { limit?: number } = {}): Promise<StoredTransition[]> {
    const mine = this.transitions.filter((t) => t.route === route).reverse();
    return structuredClone(mine.slice(0, options.limit ?? mine.length));
  }

  async close(): Promise<void> {}
}
