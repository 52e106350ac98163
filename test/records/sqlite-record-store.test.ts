import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRecordStore, SqliteRecordStore } from '../../src/records/sqlite-record-store.js';
import type { RequestRecord, StoredRecord } from '../../src/spec/request-record.js';
import { databasePath, openSqliteDatabase } from '../../src/storage/open-sqlite-database.js';
import { tempDataDir } from '../storage/temp-data-dir.js';
import { makeRecord } from './make-record.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

function dataDir(): string {
  const t = tempDataDir();
  cleanups.push(t.remove);
  return t.dir;
}

/** Rows as another process would see them, through its own connection. */
function countRows(dir: string): number {
  const db = new BetterSqlite3(databasePath(dir), { readonly: true });
  try {
    return db.prepare('SELECT count(*) FROM records').pluck().get() as number;
  } finally {
    db.close();
  }
}

function withoutSeq(r: StoredRecord): RequestRecord {
  const { seq: _seq, ...rest } = r;
  return rest;
}

function openStore(dir: string, options: Partial<ConstructorParameters<typeof SqliteRecordStore>[0]> = {}) {
  const store = new SqliteRecordStore({
    db: openSqliteDatabase(dir),
    batchIntervalMs: 60_000,
    batchSize: 100_000,
    ownsDatabase: true,
    ...options,
  });
  cleanups.push(() => store.close());
  return store;
}

describe('SqliteRecordStore', () => {
  it('keeps every field of a record across a reopen', async () => {
    const dir = dataDir();
    const record = makeRecord({
      team: 'platform',
      cachedTokens: 5,
      reasoningTokens: 7,
      usageEstimated: true,
      truncated: true,
      costEstimated: true,
      errorCode: 'upstream_stalled',
      requestBody: '{"model":"gpt-4o"}',
      responseBody: 'data: [DONE]',
      route: {
        routeId: 'support',
        rule: 'workload=support',
        targetKind: 'fallback',
        residency: { dataClass: 'restricted', reason: 'pii', redacted: 2 },
        spilled: true,
        attempts: [
          { deployment: 'a', outcome: 'http_5xx', status: 503, latencyMs: 12 },
          { deployment: 'b', outcome: 'ok', latencyMs: 99 },
        ],
      },
    });
    const store = createRecordStore({ dataDir: dir, batchIntervalMs: 60_000, batchSize: 1000 });
    store.append(record);
    store.append(makeRecord({ route: null, ttftMs: null, inputTokens: null, streamed: false }));
    await store.close();

    const reopened = openStore(dir);
    const [first, second] = await reopened.query({});
    expect(withoutSeq(first)).toEqual(record);
    expect(second.route).toBeNull();
    expect(second.ttftMs).toBeNull();
    expect(second.streamed).toBe(false);
    expect(second.seq).toBeGreaterThan(first.seq);
  });

  it('writes nothing on append, and everything on flush', async () => {
    const dir = dataDir();
    const store = openStore(dir);
    for (let i = 0; i < 5; i++) store.append(makeRecord());
    expect(countRows(dir)).toBe(0);
    await store.flush();
    expect(countRows(dir)).toBe(5);
  });

  it('writes a batch by itself once the interval has passed', async () => {
    const dir = dataDir();
    const store = openStore(dir, { batchIntervalMs: 20 });
    store.append(makeRecord());
    store.append(makeRecord());
    await vi.waitFor(() => expect(countRows(dir)).toBe(2), { timeout: 5000, interval: 10 });
  });

  it('drains a backlog larger than one write by itself', async () => {
    const dir = dataDir();
    const store = openStore(dir, { batchIntervalMs: 20, batchSize: 600 });
    for (let i = 0; i < 1500; i++) store.append(makeRecord());
    await vi.waitFor(() => expect(countRows(dir)).toBe(1500), { timeout: 10_000, interval: 10 });
    expect(store.pendingCount).toBe(0);
  });

  it('stores 10,000 appends in a handful of transactions, losing none', async () => {
    const dir = dataDir();
    openSqliteDatabase(dir).close();
    const statements: string[] = [];
    const db = new BetterSqlite3(databasePath(dir), { verbose: (sql) => statements.push(String(sql)) });
    const store = new SqliteRecordStore({ db, batchIntervalMs: 60_000, batchSize: 1000, ownsDatabase: true });
    cleanups.push(() => store.close());
    for (let round = 0; round < 10; round++) {
      for (let i = 0; i < 1000; i++) store.append(makeRecord());
      await new Promise((resolve) => setImmediate(resolve));
    }
    await store.flush();
    expect(countRows(dir)).toBe(10_000);
    const commits = statements.filter((s) => /^COMMIT/i.test(s)).length;
    expect(commits).toBeGreaterThanOrEqual(1);
    expect(commits).toBeLessThanOrEqual(50);
  });

  it('writes what is pending when closed', async () => {
    const dir = dataDir();
    const store = createRecordStore({ dataDir: dir, batchIntervalMs: 60_000, batchSize: 1000 });
    for (let i = 0; i < 3; i++) store.append(makeRecord());
    await store.close();
    expect(countRows(dir)).toBe(3);
  });

  it('keeps records while the database is locked and writes them once it is free', async () => {
    const dir = dataDir();
    const errors: string[] = [];
    const store = new SqliteRecordStore({
      db: openSqliteDatabase(dir, { busyTimeoutMs: 5 }),
      batchIntervalMs: 60_000,
      batchSize: 1000,
      ownsDatabase: true,
      logError: (m) => errors.push(m),
    });
    cleanups.push(() => store.close());
    const other = new BetterSqlite3(databasePath(dir));
    cleanups.push(() => other.close());
    other.exec('BEGIN IMMEDIATE');

    for (let i = 0; i < 4; i++) store.append(makeRecord());
    await store.flush();
    expect(store.pendingCount).toBe(4);
    expect(errors.join('\n')).toMatch(/storing 4 record\(s\) failed .*keeping them to retry/);
    expect(await store.writable()).toBe(false);

    other.exec('COMMIT');
    store.append(makeRecord());
    await store.flush();
    expect(store.pendingCount).toBe(0);
    expect(countRows(dir)).toBe(5);
    expect(await store.writable()).toBe(true);
  });

  it('gives records up to the error log, in full, when the database stays unavailable', async () => {
    const dir = dataDir();
    const errors: string[] = [];
    const store = new SqliteRecordStore({
      db: openSqliteDatabase(dir, { busyTimeoutMs: 1 }),
      batchIntervalMs: 10,
      batchSize: 2,
      maxWriteAttempts: 3,
      ownsDatabase: true,
      logError: (m) => errors.push(m),
    });
    cleanups.push(() => store.close());
    const other = new BetterSqlite3(databasePath(dir));
    cleanups.push(() => other.close());
    other.exec('BEGIN IMMEDIATE');
    cleanups.push(() => other.exec('ROLLBACK'));

    const ids = ['req_x1', 'req_x2', 'req_x3', 'req_x4', 'req_x5'];
    ids.forEach((id) => store.append(makeRecord({ id })));
    await vi.waitFor(() => expect(store.pendingCount).toBe(0), { timeout: 10_000, interval: 10 });
    for (const id of ids) {
      const report = errors.find((m) => m.includes(`could not store record ${id} `));
      expect(report).toContain(`"id":"${id}"`);
    }
  });

  it('stores the good records of a batch and reports a record that cannot be stored, in full', async () => {
    const dir = dataDir();
    const errors: string[] = [];
    const store = openStore(dir, { maxWriteAttempts: 2, logError: (m) => errors.push(m) });
    const bad = { ...makeRecord(), id: 'req_bad', modelRequested: null } as unknown as RequestRecord;
    store.append(makeRecord());
    store.append(bad);
    store.append(makeRecord());
    await store.flush();
    expect(countRows(dir)).toBe(2);
    expect(store.pendingCount).toBe(1);

    await store.flush();
    expect(store.pendingCount).toBe(0);
    const report = errors.find((m) => m.includes('could not store record req_bad'));
    expect(report).toBeDefined();
    expect(report).toContain('"id":"req_bad"');
    expect(report).toContain('"deploymentId":"vllm-llama"');
  });

  it('reports records it still could not store when closed, rather than dropping them silently', async () => {
    const dir = dataDir();
    const errors: string[] = [];
    const store = openStore(dir, { maxWriteAttempts: 10, logError: (m) => errors.push(m) });
    store.append({ ...makeRecord(), id: 'req_bad', status: null } as unknown as RequestRecord);
    await store.flush();
    await store.close();
    expect(errors.some((m) => m.includes('could not store record req_bad'))).toBe(true);
  });

  it('filters by time range, workload, model and sequence, and limits', async () => {
    const dir = dataDir();
    const store = openStore(dir);
    const t0 = Date.UTC(2026, 0, 1);
    const rows = [
      makeRecord({ id: 'a', startedAt: t0, workload: 'support', modelRequested: 'gpt-4o' }),
      makeRecord({ id: 'b', startedAt: t0 + 1000, workload: 'batch', modelRequested: 'gpt-4o' }),
      makeRecord({ id: 'c', startedAt: t0 + 2000, workload: 'support', modelRequested: 'gpt-4o-mini' }),
      makeRecord({ id: 'd', startedAt: t0 + 3000, workload: null, modelRequested: 'gpt-4o' }),
    ];
    rows.forEach((r) => store.append(r));
    const ids = async (q: Parameters<typeof store.query>[0]) => (await store.query(q)).map((r) => r.id);

    expect(await ids({})).toEqual(['a', 'b', 'c', 'd']);
    expect(await ids({ fromMs: t0 + 1000, toMs: t0 + 3000 })).toEqual(['b', 'c']);
    expect(await ids({ workload: 'support' })).toEqual(['a', 'c']);
    expect(await ids({ model: 'gpt-4o' })).toEqual(['a', 'b', 'd']);
    expect(await ids({ model: 'gpt-4o', workload: 'support' })).toEqual(['a']);
    expect(await ids({ limit: 2 })).toEqual(['a', 'b']);
    expect(await ids({ order: 'desc', limit: 2 })).toEqual(['d', 'c']);

    const all = await store.query({});
    expect(await ids({ afterSeq: all[1].seq })).toEqual(['c', 'd']);
    expect(await ids({ afterSeq: all[3].seq })).toEqual([]);
  });

  it('iterates oldest first by start time across pages, with filters and a limit', async () => {
    const dir = dataDir();
    const store = openStore(dir);
    const t0 = Date.UTC(2026, 0, 1);
    // Appended in the order requests finish, which is not the order they started.
    const starts = Array.from({ length: 1200 }, (_, i) => t0 + ((i * 7919) % 1200) * 10);
    starts.forEach((startedAt, i) =>
      store.append(makeRecord({ id: `r${i}`, startedAt, workload: i % 3 === 0 ? 'batch' : 'support' })),
    );

    const seen: StoredRecord[] = [];
    for await (const r of store.iterate({})) seen.push(r);
    expect(seen).toHaveLength(1200);
    expect(seen.map((r) => r.startedAt)).toEqual([...starts].sort((a, b) => a - b));

    const batch: StoredRecord[] = [];
    for await (const r of store.iterate({ workload: 'batch', fromMs: t0 + 1000 })) batch.push(r);
    expect(batch.every((r) => r.workload === 'batch' && r.startedAt >= t0 + 1000)).toBe(true);
    expect(batch).toHaveLength(starts.filter((s, i) => i % 3 === 0 && s >= t0 + 1000).length);

    let limited = 0;
    for await (const _ of store.iterate({ limit: 501 })) limited++;
    expect(limited).toBe(501);
  });

  it('keeps writing while a slow reader iterates', async () => {
    const dir = dataDir();
    const store = openStore(dir);
    for (let i = 0; i < 1200; i++) store.append(makeRecord());
    await store.flush();
    let read = 0;
    for await (const _ of store.iterate({})) {
      read++;
      if (read === 10) {
        store.append(makeRecord());
        await store.flush();
      }
    }
    expect(countRows(dir)).toBe(1201);
    expect(read).toBeGreaterThanOrEqual(1200);
  });

  it('reports itself writable while open and not once closed', async () => {
    const store = openStore(dataDir());
    expect(await store.writable()).toBe(true);
    await store.close();
    expect(await store.writable()).toBe(false);
  });
});
