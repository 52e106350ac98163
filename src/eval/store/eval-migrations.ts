import type { Migration } from '../../storage/migrations.js';

/**
 * The eval database (`evals.db`, beside `switchyard.db`), one step per version, never edited once
 * released. Every table is append-only: a run's calls and scores are inserted once, as they
 * complete, and never updated, so a run killed at any point resumes from exactly what it stored.
 */
export const EVAL_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'eval runs',
    sql: `
      CREATE TABLE eval_runs (
        id TEXT PRIMARY KEY,
        created_at INTEGER NOT NULL,
        case_count INTEGER NOT NULL,
        settings TEXT NOT NULL
      );
      CREATE TABLE eval_cases (
        run_id TEXT NOT NULL,
        position INTEGER NOT NULL,
        case_id TEXT NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (run_id, case_id)
      );
      CREATE TABLE eval_calls (
        seq INTEGER PRIMARY KEY,
        run_id TEXT NOT NULL,
        case_id TEXT NOT NULL,
        role TEXT NOT NULL,
        model TEXT NOT NULL,
        served_by TEXT,
        request_id TEXT,
        status INTEGER,
        error_code TEXT,
        error_message TEXT,
        output TEXT,
        input_tokens INTEGER,
        output_tokens INTEGER,
        latency_ms REAL NOT NULL,
        attempts INTEGER NOT NULL,
        cost_usd REAL,
        price_source TEXT NOT NULL,
        completed_at INTEGER NOT NULL,
        UNIQUE (run_id, case_id, role)
      );
      CREATE TABLE eval_scores (
        seq INTEGER PRIMARY KEY,
        run_id TEXT NOT NULL,
        case_id TEXT NOT NULL,
        scorer TEXT NOT NULL,
        role TEXT NOT NULL,
        reference TEXT,
        value REAL,
        fields TEXT,
        details TEXT,
        explanation TEXT,
        spend_usd REAL,
        spend_calls INTEGER NOT NULL,
        spend_unpriced_calls INTEGER NOT NULL,
        completed_at INTEGER NOT NULL,
        UNIQUE (run_id, case_id, scorer, role)
      );
      CREATE TABLE eval_record_costs (
        run_id TEXT NOT NULL,
        case_id TEXT NOT NULL,
        role TEXT NOT NULL,
        cost_usd REAL,
        source TEXT NOT NULL,
        PRIMARY KEY (run_id, case_id, role)
      );
      CREATE TABLE eval_events (
        seq INTEGER PRIMARY KEY,
        run_id TEXT NOT NULL,
        at INTEGER NOT NULL,
        event TEXT NOT NULL,
        detail TEXT
      );
      CREATE INDEX eval_events_run ON eval_events (run_id, seq);
    `,
  },
];
