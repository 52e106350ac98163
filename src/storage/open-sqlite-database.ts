import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { runMigrations } from './migrations.js';

export const DATABASE_FILE = 'switchyard.db';

export interface OpenSqliteOptions {
  /** How long a write waits for another process's lock before failing (SQLite busy_timeout). */
  busyTimeoutMs?: number;
}

export function databasePath(dataDir: string): string {
  return join(dataDir, DATABASE_FILE);
}

/**
 * Opens (creating if needed) the one database file every SQLite-backed store shares, tuned for a
 * single writer with concurrent readers: WAL lets `records tail` read while the gateway writes, and
 * synchronous=NORMAL in WAL mode is durable against process crashes, risking only the last
 * transactions on power loss (https://www.sqlite.org/pragma.html#pragma_synchronous).
 */
export function openSqliteDatabase(dataDir: string, options: OpenSqliteOptions = {}): Database {
  mkdirSync(dataDir, { recursive: true });
  const db = new BetterSqlite3(databasePath(dataDir));
  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    runMigrations(db);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}
