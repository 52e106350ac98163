import type { Migration } from '../storage/migrations.js';

/** The pairs table, in the records database (`switchyard.db`), after the records' own steps. */
export const SHADOW_PAIRS_MIGRATION: Migration = {
  version: 5,
  name: 'shadow pairs',
  sql: `
    CREATE TABLE shadow_pairs (
      seq INTEGER PRIMARY KEY,
      id TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      route_id TEXT NOT NULL,
      request_id TEXT NOT NULL,
      endpoint TEXT NOT NULL,
      model_requested TEXT NOT NULL,
      candidate TEXT NOT NULL,
      status INTEGER NOT NULL,
      error_code TEXT,
      primary_deployment TEXT,
      primary_latency_ms REAL,
      primary_input_tokens INTEGER,
      primary_output_tokens INTEGER,
      primary_cost_usd REAL,
      shadow_deployment TEXT,
      shadow_latency_ms REAL,
      shadow_input_tokens INTEGER,
      shadow_output_tokens INTEGER,
      shadow_cost_usd REAL,
      judge_cost_usd REAL,
      scorer TEXT,
      score_difference REAL,
      score_details TEXT,
      request TEXT,
      primary_answer TEXT,
      shadow_answer TEXT
    );
    CREATE INDEX shadow_pairs_route ON shadow_pairs (route_id, created_at);
    CREATE TRIGGER shadow_pairs_no_update BEFORE UPDATE ON shadow_pairs
      BEGIN SELECT RAISE(ABORT, 'shadow pairs are append-only'); END;
    CREATE TRIGGER shadow_pairs_no_delete BEFORE DELETE ON shadow_pairs
      BEGIN SELECT RAISE(ABORT, 'shadow pairs are append-only'); END;
  `,
};
