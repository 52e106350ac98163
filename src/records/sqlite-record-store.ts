import type { Database, Statement } from 'better-sqlite3';
import type { RecordQuery, RecordStore, RequestRecord, StoredRecord } from '../spec/request-record.js';
import { openSqliteDatabase } from '../storage/open-sqlite-database.js';
import type { OrderedRecordQuery } from './ordered-record-query.js';
import { RECORD_COLUMNS, recordToParams, rowToRecord, type RecordRow } from './record-row.js';

export interface SqliteRecordStoreOptions {
  db: Database;
  /** Pending records are written at most this long after they were appended. */
  batchIntervalMs: number;
  /** A batch this large is written without waiting for the interval. */
  batchSize: number;
  /** Close the database on `close()`; false when another store shares the connection. */
  ownsDatabase?: boolean;
  /** Failed writes a record survives before it is given up on and logged in full. */
  maxWriteAttempts?: number;
  /** Where write failures are reported. Defaults to the process's stderr. */
  logError?: (message: string) => void;
}

interface RetryingRecord {
  record: RequestRecord;
  attempts: number;
}

/** Rows per page when iterating: bounds memory whatever the range. */
const ITERATE_PAGE_ROWS = 500;

/** Rows per transaction for writes made in the background: each stalls the event loop for about
 * 3 ms at most, which keeps the p99 of requests served meanwhile low. */
const WRITE_CHUNK_ROWS = 64;

/**
 * SQLite errors that say nothing about the rows being written (the file is locked, full or
 * unwritable). A batch failing with one of them is retried whole; any other failure means some
 * record cannot be stored, and the batch is split so the others still land.
 * https://www.sqlite.org/rescode.html
 */
const ENVIRONMENT_ERRORS = /^SQLITE_(BUSY|LOCKED|FULL|IOERR|READONLY|CANTOPEN|NOMEM|PROTOCOL|CORRUPT|NOTADB)/;

const INSERT_SQL = `INSERT INTO records (${RECORD_COLUMNS.join(', ')}) VALUES (${RECORD_COLUMNS.map(() => '?').join(', ')})`;

/**
 * Request records in SQLite, written in batches off the request path. `append` only queues the
 * record; a timer armed by the first record of a batch (or reaching `batchSize`) writes the queue
 * in a few transactions, so a crash loses at most one batch interval. Records whose write fails are
 * kept and retried; after `maxWriteAttempts` they are written to the error log as JSON rather than
 * dropped silently.
 */
export class SqliteRecordStore implements RecordStore {
  private readonly db: Database;
  private readonly batchIntervalMs: number;
  private readonly batchSize: number;
  private readonly ownsDatabase: boolean;
  private readonly maxWriteAttempts: number;
  private readonly logError: (message: string) => void;
  private readonly insert: Statement<unknown[]>;
  private readonly insertBatch: (records: RequestRecord[]) => void;
  private readonly probe: Statement<[number]>;
  private readonly statements = new Map<string, Statement<unknown[], RecordRow>>();

  private pending: RequestRecord[] = [];
  private retrying: RetryingRecord[] = [];
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private closed = false;
  /** Set while the database refuses writes; cleared by the next write that succeeds. */
  private databaseUnavailable = false;

  constructor(options: SqliteRecordStoreOptions) {
    if (!(options.batchIntervalMs > 0)) throw new RangeError('batchIntervalMs must be a positive number');
    if (!(options.batchSize >= 1)) throw new RangeError('batchSize must be at least 1');
    this.db = options.db;
    this.batchIntervalMs = options.batchIntervalMs;
    this.batchSize = options.batchSize;
    this.ownsDatabase = options.ownsDatabase ?? false;
    this.maxWriteAttempts = Math.max(1, options.maxWriteAttempts ?? 5);
    this.logError = options.logError ?? ((message) => void process.stderr.write(`${message}\n`));
    this.insert = this.db.prepare(INSERT_SQL);
    this.insertBatch = this.db.transaction((records: RequestRecord[]) => {
      for (const record of records) this.insert.run(recordToParams(record));
    });
    this.probe = this.db.prepare(
      'INSERT INTO write_probe (id, checked_at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at',
    );
  }

  append(record: RequestRecord): void {
    if (this.closed) {
      this.giveUp(record, new Error('the record store is closed'));
      return;
    }
    this.pending.push(record);
    if (this.pending.length >= this.batchSize && !this.databaseUnavailable) {
      this.immediate ??= setImmediate(this.onFlushDue).unref();
    } else {
      this.timer ??= setTimeout(this.onFlushDue, this.batchIntervalMs).unref();
    }
  }

  /** Number of records appended but not yet stored (including those waiting for a retry). */
  get pendingCount(): number {
    return this.pending.length + this.retrying.length;
  }

  async flush(): Promise<void> {
    this.writePending();
  }

  async query(q: OrderedRecordQuery): Promise<StoredRecord[]> {
    this.writePending();
    const { where, params } = buildFilter(q);
    const order = q.order === 'desc' ? 'DESC' : 'ASC';
    const sql = `SELECT * FROM records ${where} ORDER BY seq ${order} LIMIT ?`;
    const rows = this.statement(sql).all(...params, q.limit ?? -1);
    return rows.map(rowToRecord);
  }

  /**
   * Oldest first by start time, in keyset pages. better-sqlite3's own `.iterate()` would keep the
   * connection busy across the consumer's awaits and block batch writes meanwhile, so each page is
   * read whole and the cursor resumes after its last row.
   */
  async *iterate(q: RecordQuery): AsyncIterable<StoredRecord> {
    this.writePending();
    const { where, params } = buildFilter(q);
    const first = `SELECT * FROM records ${where} ORDER BY started_at, seq LIMIT ?`;
    const cursor = `(started_at, seq) > (?, ?)`;
    const next = `SELECT * FROM records ${where ? `${where} AND ${cursor}` : `WHERE ${cursor}`} ORDER BY started_at, seq LIMIT ?`;
    let remaining = q.limit ?? Number.POSITIVE_INFINITY;
    let last: StoredRecord | undefined;
    while (remaining > 0 && !this.closed) {
      const pageRows = Math.min(ITERATE_PAGE_ROWS, remaining);
      const rows =
        last === undefined
          ? this.statement(first).all(...params, pageRows)
          : this.statement(next).all(...params, last.startedAt, last.seq, pageRows);
      for (const row of rows) {
        last = rowToRecord(row);
        yield last;
      }
      if (rows.length < pageRows) return;
      remaining -= rows.length;
    }
  }

  async writable(): Promise<boolean> {
    if (this.closed) return false;
    try {
      this.probe.run(Date.now());
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.writePending();
    this.closed = true;
    for (const { record } of this.retrying)
      this.giveUp(record, new Error('the record store closed before the record could be stored'));
    this.retrying = [];
    if (this.ownsDatabase) this.db.close();
  }

  /**
   * While the database is failing, every queued record takes part in each attempt, so each one
   * uses up its attempts and the queue cannot outgrow a few intervals of traffic.
   */
  private readonly onFlushDue = (): void => {
    this.writeChunk(this.databaseUnavailable ? Number.POSITIVE_INFINITY : WRITE_CHUNK_ROWS);
  };

  /** Everything queued, in one transaction: for flush, close and reads that must see it all. */
  private writePending(): void {
    this.writeChunk(Number.POSITIVE_INFINITY);
  }

  /**
   * Writes up to `maxRows` queued records, oldest first. Timer-driven writes go in chunks, yielding
   * to the event loop in between, so a burst never stalls request handling for longer than one
   * chunk's transaction takes.
   */
  private writeChunk(maxRows: number): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.immediate !== undefined) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
    if (this.closed) return;

    let retried: RetryingRecord[];
    if (this.retrying.length <= maxRows) {
      retried = this.retrying;
      this.retrying = [];
    } else {
      retried = this.retrying.splice(0, maxRows);
    }
    const room = maxRows - retried.length;
    let fresh: RequestRecord[];
    if (this.pending.length <= room) {
      fresh = this.pending;
      this.pending = [];
    } else {
      fresh = this.pending.splice(0, room);
    }
    if (retried.length === 0 && fresh.length === 0) return;

    const batch = retried.length === 0 ? fresh : [...retried.map((r) => r.record), ...fresh];
    try {
      this.insertBatch(batch);
      this.databaseUnavailable = false;
    } catch (err) {
      const failed = [...retried, ...fresh.map((record) => ({ record, attempts: 0 }))];
      this.databaseUnavailable = isEnvironmentError(err);
      if (this.databaseUnavailable) this.keepForRetry(failed, err);
      else this.writeOneByOne(failed);
    }
    // Keep draining a backlog right away, unless the database itself is failing: then another
    // attempt would only fail again (or wait out busy_timeout), so it waits for the interval.
    if (this.pending.length > 0 && !this.databaseUnavailable)
      this.immediate = setImmediate(this.onFlushDue).unref();
    else if (this.pending.length > 0 || this.retrying.length > 0)
      this.timer = setTimeout(this.onFlushDue, this.batchIntervalMs).unref();
  }

  /** One bad record must not keep a whole batch out: store what can be stored, retry the rest. */
  private writeOneByOne(items: RetryingRecord[]): void {
    const failed: RetryingRecord[] = [];
    let lastError: unknown;
    for (const item of items) {
      try {
        this.insert.run(recordToParams(item.record));
      } catch (err) {
        lastError = err;
        failed.push(item);
      }
    }
    if (failed.length > 0) this.keepForRetry(failed, lastError);
  }

  private keepForRetry(items: RetryingRecord[], err: unknown): void {
    const firstFailure = items.some((i) => i.attempts === 0);
    if (firstFailure)
      this.logError(
        `switchyard records: storing ${items.length} record(s) failed (${describe(err)}); keeping them to retry`,
      );
    for (const item of items) {
      item.attempts += 1;
      if (item.attempts >= this.maxWriteAttempts) this.giveUp(item.record, err);
      else this.retrying.push(item);
    }
  }

  private giveUp(record: RequestRecord, err: unknown): void {
    let json: string;
    try {
      json = JSON.stringify(record);
    } catch {
      json = `{"id":${JSON.stringify(String(record.id))}}`;
    }
    this.logError(`switchyard records: could not store record ${record.id} (${describe(err)}): ${json}`);
  }

  private statement(sql: string): Statement<unknown[], RecordRow> {
    let stmt = this.statements.get(sql);
    if (stmt === undefined) {
      stmt = this.db.prepare<unknown[], RecordRow>(sql);
      this.statements.set(sql, stmt);
    }
    return stmt;
  }
}

function buildFilter(q: RecordQuery): { where: string; params: Array<string | number> } {
  const clauses: string[] = [];
  const params: Array<string | number> = [];
  if (q.fromMs !== undefined) {
    clauses.push('started_at >= ?');
    params.push(q.fromMs);
  }
  if (q.toMs !== undefined) {
    clauses.push('started_at < ?');
    params.push(q.toMs);
  }
  if (q.afterSeq !== undefined) {
    clauses.push('seq > ?');
    params.push(q.afterSeq);
  }
  if (q.workload !== undefined) {
    clauses.push('workload = ?');
    params.push(q.workload);
  }
  if (q.model !== undefined) {
    clauses.push('model_requested = ?');
    params.push(q.model);
  }
  return { where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

function isEnvironmentError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && ENVIRONMENT_ERRORS.test(code);
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export interface RecordStoreConfig {
  dataDir: string;
  batchIntervalMs: number;
  batchSize: number;
}

/**
 * The record store the gateway runs with. Only SQLite exists today; a PostgreSQL backend will be
 * chosen here from the same config.
 */
export function createRecordStore(config: RecordStoreConfig): RecordStore {
  const db = openSqliteDatabase(config.dataDir);
  try {
    return new SqliteRecordStore({
      db,
      batchIntervalMs: config.batchIntervalMs,
      batchSize: config.batchSize,
      ownsDatabase: true,
    });
  } catch (err) {
    db.close();
    throw err;
  }
}
