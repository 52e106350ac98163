import type { Database } from 'better-sqlite3';
import { SHADOW_PAIRS_MIGRATION } from '../shadow/shadow-migrations.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * The schema, one step per version, never edited once released: a database is upgraded by applying
 * the steps it lacks, in order. Column names mirror RequestRecord in snake_case so a PostgreSQL
 * backend can use the same DDL with few changes.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'request records',
    sql: `
      CREATE TABLE records (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL,
        started_at INTEGER NOT NULL,
        ended_at INTEGER NOT NULL,
        key_id TEXT,
        team TEXT,
        workload TEXT,
        endpoint TEXT NOT NULL,
        model_requested TEXT NOT NULL,
        deployment_id TEXT,
        provider TEXT,
        upstream_model TEXT,
        status INTEGER NOT NULL,
        error_code TEXT,
        input_tokens INTEGER,
        output_tokens INTEGER,
        cached_tokens INTEGER,
        reasoning_tokens INTEGER,
        usage_estimated INTEGER NOT NULL,
        latency_ms REAL NOT NULL,
        ttft_ms REAL,
        streamed INTEGER NOT NULL,
        truncated INTEGER NOT NULL,
        finish_reason TEXT,
        cost_usd REAL,
        baseline_cost_usd REAL,
        cost_estimated INTEGER NOT NULL,
        overhead_ms REAL,
        route TEXT,
        request_body TEXT,
        response_body TEXT
      );
      CREATE INDEX records_started_at ON records (started_at);
      CREATE INDEX records_workload ON records (workload, started_at);
      CREATE INDEX records_model_requested ON records (model_requested, started_at);
      CREATE INDEX records_key_id ON records (key_id, started_at);
    `,
  },
  {
    version: 2,
    name: 'api keys',
    sql: `
      CREATE TABLE api_keys (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        key_hash TEXT NOT NULL UNIQUE,
        key_prefix TEXT NOT NULL,
        workload TEXT,
        team TEXT,
        created_at INTEGER NOT NULL,
        revoked_at INTEGER
      );
    `,
  },
  {
    version: 3,
    name: 'write probe',
    sql: `CREATE TABLE write_probe (id INTEGER PRIMARY KEY CHECK (id = 1), checked_at INTEGER NOT NULL);`,
  },
  {
    version: 4,
    name: 'record tags',
    sql: `ALTER TABLE records ADD COLUMN tags TEXT;`,
  },
  SHADOW_PAIRS_MIGRATION,
];

/**
 * Brings the schema up to date. Each step runs in its own IMMEDIATE transaction, so two processes
 * opening the same fresh file (the gateway and a CLI command) cannot both apply it.
 */
export function runMigrations(db: Database, migrations: readonly Migration[] = MIGRATIONS): number {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  )`);
  const current = db.prepare('SELECT max(version) FROM schema_migrations').pluck();
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  const found = (current.get() as number | null) ?? 0;
  if (found > latest)
    throw new Error(
      `the database schema is at version ${found}, newer than this Switchyard understands (${latest}); upgrade Switchyard or use another --data-dir`,
    );
  for (const migration of migrations) {
    db.transaction(() => {
      const applied = (current.get() as number | null) ?? 0;
      if (migration.version <= applied) return;
      db.exec(migration.sql);
      record.run(migration.version, migration.name, Date.now());
    }).immediate();
  }
  return (current.get() as number | null) ?? 0;
}
