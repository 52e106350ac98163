import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3, { type Database, type Statement } from 'better-sqlite3';
import { runMigrations, type Migration } from '../storage/migrations.js';
import {
  rolloutStateSchema,
  rolloutTransitionSchema,
  type RolloutState,
  type RolloutTransition,
  type StoredTransition,
} from './rollout-state.js';
import type { RolloutStore } from './rollout-store.js';

/**
 * Its own file beside `switchyard.db`: rollout state is small and written once per check, and a
 * separate schema history keeps its migrations from interleaving with the records store's.
 */
export const ROLLOUT_DATABASE_FILE = 'rollouts.db';

export const ROLLOUT_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'rollout state and transitions',
    sql: `
      CREATE TABLE rollout_state (
        route TEXT PRIMARY KEY,
        version INTEGER NOT NULL,
        state TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE TABLE rollout_transitions (
        seq INTEGER PRIMARY KEY,
        route TEXT NOT NULL,
        rollout_id TEXT NOT NULL,
        at_ms INTEGER NOT NULL,
        kind TEXT NOT NULL,
        transition TEXT NOT NULL
      );
      CREATE INDEX rollout_transitions_route ON rollout_transitions (route, seq);
      CREATE TRIGGER rollout_transitions_no_update BEFORE UPDATE ON rollout_transitions
        BEGIN SELECT RAISE(ABORT, 'rollout transitions are append-only'); END;
      CREATE TRIGGER rollout_transitions_no_delete BEFORE DELETE ON rollout_transitions
        BEGIN SELECT RAISE(ABORT, 'rollout transitions are append-only'); END;
    `,
  },
];

interface StateRow {
  state: string;
  version: number;
}

interface TransitionRow {
  seq: number;
  transition: string;
}

/**
 * Rollout state and its append-only history in SQLite (WAL, statements prepared once). Every
 * replica on the host opens the same file; `commit` is a compare-and-set on the state's version in
 * one IMMEDIATE transaction with the history row, so concurrent checks cannot both move a rollout.
 */
export class SqliteRolloutStore implements RolloutStore {
  private readonly db: Database;
  private readonly selectOne: Statement<[string], StateRow>;
  private readonly selectAll: Statement<[], StateRow>;
  private readonly insertState: Statement<[string, number, string, number]>;
  private readonly updateState: Statement<[number, string, number, string, number]>;
  private readonly insertTransition: Statement<[string, string, number, string, string]>;
  private readonly selectHistory: Statement<[string, number], TransitionRow>;
  private readonly commitTx: (
    next: RolloutState,
    expectedVersion: number | null,
    transition?: RolloutTransition,
  ) => RolloutState | undefined;

  constructor(db: Database) {
    this.db = db;
    runMigrations(db, ROLLOUT_MIGRATIONS);
    this.selectOne = db.prepare('SELECT state, version FROM rollout_state WHERE route = ?');
    this.selectAll = db.prepare('SELECT state, version FROM rollout_state ORDER BY route');
    this.insertState = db.prepare(
      'INSERT INTO rollout_state (route, version, state, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (route) DO NOTHING',
    );
    this.updateState = db.prepare(
      'UPDATE rollout_state SET version = ?, state = ?, updated_at = ? WHERE route = ? AND version = ?',
    );
    this.insertTransition = db.prepare(
      'INSERT INTO rollout_transitions (route, rollout_id, at_ms, kind, transition) VALUES (?, ?, ?, ?, ?)',
    );
    this.selectHistory = db.prepare(
      'SELECT seq, transition FROM rollout_transitions WHERE route = ? ORDER BY seq DESC LIMIT ?',
    );
    const commit = db.transaction(
      (next: RolloutState, expectedVersion: number | null, transition?: RolloutTransition) => {
        const version = (expectedVersion ?? 0) + 1;
        const stored = { ...next, version };
        const json = JSON.stringify(stored);
        const changed =
          expectedVersion === null
            ? this.insertState.run(next.route, version, json, Date.now()).changes
            : this.updateState.run(version, json, Date.now(), next.route, expectedVersion).changes;
        if (changed !== 1) return undefined;
        if (transition)
          this.insertTransition.run(
            transition.route,
            transition.rolloutId,
            transition.atMs,
            transition.kind,
            JSON.stringify(transition),
          );
        return stored;
      },
    );
    this.commitTx = (next, expectedVersion, transition) =>
      commit.immediate(next, expectedVersion, transition);
  }

  async get(route: string): Promise<RolloutState | undefined> {
    const row = this.selectOne.get(route);
    return row && readState(row);
  }

  async list(): Promise<RolloutState[]> {
    return this.selectAll.all().map(readState);
  }

  async commit(
    next: RolloutState,
    expectedVersion: number | null,
    transition?: RolloutTransition,
  ): Promise<RolloutState | undefined> {
    return this.commitTx(next, expectedVersion, transition);
  }

  async history(route: string, options: { limit?: number } = {}): Promise<StoredTransition[]> {
    const limit = options.limit ?? -1;
    return this.selectHistory.all(route, limit).map((row) => ({
      ...rolloutTransitionSchema.parse(JSON.parse(row.transition)),
      seq: row.seq,
    }));
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

function readState(row: StateRow): RolloutState {
  const parsed = rolloutStateSchema.safeParse(JSON.parse(row.state));
  if (!parsed.success)
    throw new Error(
      `stored rollout state is not readable (${parsed.error.issues[0]?.message ?? 'invalid'}); roll it back or delete ${ROLLOUT_DATABASE_FILE}`,
    );
  return { ...parsed.data, version: row.version };
}

/** Opens (creating if needed) `rollouts.db` in the data folder, in WAL mode like the records store. */
export function openRolloutStore(dataDir: string): SqliteRolloutStore {
  mkdirSync(dataDir, { recursive: true });
  const db = new BetterSqlite3(join(dataDir, ROLLOUT_DATABASE_FILE));
  try {
    db.pragma('busy_timeout = 5000');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    return new SqliteRolloutStore(db);
  } catch (err) {
    db.close();
    throw err;
  }
}
