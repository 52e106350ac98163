import { existsSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, runMigrations, type Migration } from '../../src/storage/migrations.js';
import { openSqliteDatabase } from '../../src/storage/open-sqlite-database.js';
import { tempDataDir } from './temp-data-dir.js';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));

function dataDir(): string {
  const t = tempDataDir();
  cleanups.push(t.remove);
  return t.dir;
}

describe('openSqliteDatabase', () => {
  it('creates the folder and switchyard.db in WAL mode with the schema', () => {
    const dir = join(dataDir(), 'nested', 'data');
    const db = openSqliteDatabase(dir);
    cleanups.push(() => db.close());
    expect(existsSync(join(dir, 'switchyard.db'))).toBe(true);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    expect(Number(db.pragma('busy_timeout', { simple: true }))).toBeGreaterThan(0);
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .pluck()
      .all();
    expect(tables).toEqual(expect.arrayContaining(['api_keys', 'records', 'schema_migrations']));
    const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index'").pluck().all();
    expect(indexes).toEqual(
      expect.arrayContaining([
        'records_started_at',
        'records_workload',
        'records_model_requested',
        'records_key_id',
      ]),
    );
  });

  it('opens an existing database again without reapplying migrations', () => {
    const dir = dataDir();
    openSqliteDatabase(dir).close();
    const db = openSqliteDatabase(dir);
    cleanups.push(() => db.close());
    const versions = db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all();
    expect(versions).toEqual(MIGRATIONS.map((m) => m.version));
  });

  it('applies only the migrations a database lacks, in order', () => {
    const db = new BetterSqlite3(':memory:');
    cleanups.push(() => db.close());
    const steps: Migration[] = [
      { version: 1, name: 'a', sql: 'CREATE TABLE a (x INTEGER)' },
      { version: 2, name: 'b', sql: 'ALTER TABLE a ADD COLUMN y INTEGER' },
    ];
    expect(runMigrations(db, steps.slice(0, 1))).toBe(1);
    expect(runMigrations(db, steps)).toBe(2);
    expect(runMigrations(db, steps)).toBe(2);
    const columns = db.prepare("SELECT name FROM pragma_table_info('a')").pluck().all();
    expect(columns).toEqual(['x', 'y']);
  });

  it('refuses a database written by a newer schema', () => {
    const db = new BetterSqlite3(':memory:');
    cleanups.push(() => db.close());
    runMigrations(db, [
      { version: 1, name: 'a', sql: 'CREATE TABLE a (x INTEGER)' },
      { version: 2, name: 'b', sql: 'CREATE TABLE b (x INTEGER)' },
    ]);
    expect(() => runMigrations(db, [{ version: 1, name: 'a', sql: 'CREATE TABLE a (x INTEGER)' }])).toThrow(
      /newer than this Switchyard/,
    );
  });
});
