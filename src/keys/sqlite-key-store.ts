import type { Database, Statement } from 'better-sqlite3';
import { openSqliteDatabase } from '../storage/open-sqlite-database.js';
import { displayPrefix, generateApiKey, hashApiKey, randomBase62 } from './api-key-secret.js';
import type { CreateKeyInput, CreatedKey, KeyInfo, KeyStore, ListedKey } from './key-store.js';

interface KeyRow {
  id: string;
  name: string;
  key_prefix: string;
  workload: string | null;
  team: string | null;
  created_at: number;
  revoked_at: number | null;
}

export interface SqliteKeyStoreOptions {
  /**
   * How often `verify` asks SQLite whether another process (say `switchyard keys revoke`) changed
   * the database, dropping cached keys if so. A revoked key stops working within this time.
   */
  revalidateMs?: number;
  /** Close the database on `close()`; false when another store shares the connection. */
  ownsDatabase?: boolean;
}

const COLUMNS = 'id, name, key_prefix, workload, team, created_at, revoked_at';

export class SqliteKeyStore implements KeyStore {
  private readonly db: Database;
  private readonly revalidateMs: number;
  private readonly ownsDatabase: boolean;
  private readonly insertKey: Statement<
    [string, string, string, string, string | null, string | null, number]
  >;
  private readonly byHash: Statement<[string], KeyRow>;
  private readonly all: Statement<[], KeyRow>;
  private readonly revokeKey: Statement<[number, string]>;
  private readonly dataVersion: Statement<[], number>;
  /** Hash → key, for every key seen since the cache was last dropped. Unknown keys are not cached. */
  private readonly cache = new Map<string, KeyInfo>();
  private checkedAt = 0;
  private seenVersion: number;

  constructor(db: Database, options: SqliteKeyStoreOptions = {}) {
    this.db = db;
    this.revalidateMs = options.revalidateMs ?? 1000;
    this.ownsDatabase = options.ownsDatabase ?? false;
    this.insertKey = db.prepare(
      'INSERT INTO api_keys (id, name, key_hash, key_prefix, workload, team, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.byHash = db.prepare(`SELECT ${COLUMNS} FROM api_keys WHERE key_hash = ?`);
    this.all = db.prepare(`SELECT ${COLUMNS} FROM api_keys ORDER BY rowid`);
    this.revokeKey = db.prepare('UPDATE api_keys SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?');
    // data_version changes only when another connection commits, which is exactly when this
    // cache can have gone stale. https://www.sqlite.org/pragma.html#pragma_data_version
    this.dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();
    this.seenVersion = this.dataVersion.get() ?? 0;
  }

  create(input: CreateKeyInput): CreatedKey {
    const name = input.name.trim();
    if (name === '') throw new RangeError('a key needs a non-empty name');
    const key = generateApiKey();
    const id = `key_${randomBase62(16)}`;
    this.insertKey.run(
      id,
      name,
      hashApiKey(key),
      displayPrefix(key),
      emptyToNull(input.workload),
      emptyToNull(input.team),
      Date.now(),
    );
    return { id, key };
  }

  verify(key: string): KeyInfo | null {
    this.dropCacheIfStale();
    const hash = hashApiKey(key);
    let info = this.cache.get(hash);
    if (info === undefined) {
      const row = this.byHash.get(hash);
      if (row === undefined) return null;
      info = toKeyInfo(row);
      this.cache.set(hash, info);
    }
    return info.revokedAt === null ? info : null;
  }

  list(): ListedKey[] {
    return this.all.all().map((row) => ({ ...toKeyInfo(row), prefix: row.key_prefix }));
  }

  revoke(id: string): boolean {
    const changed = this.revokeKey.run(Date.now(), id).changes > 0;
    if (changed) this.cache.clear();
    return changed;
  }

  close(): void {
    this.cache.clear();
    if (this.ownsDatabase) this.db.close();
  }

  private dropCacheIfStale(): void {
    const now = Date.now();
    if (now - this.checkedAt < this.revalidateMs) return;
    this.checkedAt = now;
    const version = this.dataVersion.get() ?? 0;
    if (version !== this.seenVersion) {
      this.seenVersion = version;
      this.cache.clear();
    }
  }
}

function toKeyInfo(row: KeyRow): KeyInfo {
  return {
    id: row.id,
    name: row.name,
    workload: row.workload,
    team: row.team,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  };
}

function emptyToNull(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

/** A key store over its own connection to the data folder's database. */
export function createKeyStore(dataDir: string, options: SqliteKeyStoreOptions = {}): SqliteKeyStore {
  const db = openSqliteDatabase(dataDir);
  try {
    return new SqliteKeyStore(db, { ...options, ownsDatabase: true });
  } catch (err) {
    db.close();
    throw err;
  }
}
