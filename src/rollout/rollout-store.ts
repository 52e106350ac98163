import type { RolloutState, RolloutTransition, StoredTransition } from './rollout-state.js';

/**
 * Where rollout state and its history live, shared by every replica of the gateway. SQLite in the
 * data folder today; a Redis or PostgreSQL backend implements the same calls. Writes are
 * compare-and-set on `version`, so two replicas checking the same rollout at once cannot both move
 * it: the loser re-reads and sees the winner's move.
 */
export interface RolloutStore {
  get(route: string): Promise<RolloutState | undefined>;
  list(): Promise<RolloutState[]>;
  /**
   * Writes `next` (stored with version `expectedVersion + 1`) if the stored state's version is
   * still `expectedVersion` (`null`: no state stored yet), and appends `transition` to the history
   * in the same atomic step. Returns the stored state, or undefined when another writer got there
   * first.
   */
  commit(
    next: RolloutState,
    expectedVersion: number | null,
    transition?: RolloutTransition,
  ): Promise<RolloutState | undefined>;
  /** The route's transitions, newest first. */
  history(route: string, options?: { limit?: number }): Promise<StoredTransition[]>;
  close(): Promise<void>;
}
