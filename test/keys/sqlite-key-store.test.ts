import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { hashApiKey } from '../../src/keys/api-key-secret.js';
import { createKeyStore } from '../../src/keys/sqlite-key-store.js';
import { databasePath } from '../../src/storage/open-sqlite-database.js';
import { tempDataDir } from '../storage/temp-data-dir.js';

const cleanups: Array<() => void> = [];
afterEach(() =>
  cleanups
    .splice(0)
    .reverse()
    .forEach((f) => f()),
);

function dataDir(): string {
  const t = tempDataDir();
  cleanups.push(t.remove);
  return t.dir;
}

function openKeys(dir: string, revalidateMs?: number) {
  const keys = createKeyStore(dir, { revalidateMs });
  cleanups.push(() => keys.close());
  return keys;
}

/** Everything SQLite keeps on disk for the database: the main file and its write-ahead log. */
function databaseBytes(dir: string): string {
  const path = databasePath(dir);
  return [path, `${path}-wal`]
    .filter((p) => existsSync(p))
    .map((p) => readFileSync(p).toString('latin1'))
    .join('');
}

describe('SqliteKeyStore', () => {
  it('creates sk-sy- keys of 32+ random base62 characters, each different', () => {
    const keys = openKeys(dataDir());
    const a = keys.create({ name: 'a' });
    const b = keys.create({ name: 'b' });
    expect(a.key).toMatch(/^sk-sy-[0-9A-Za-z]{32,}$/);
    expect(b.key).not.toBe(a.key);
    expect(b.id).not.toBe(a.id);
  });

  it('stores only the hash of a key, never the key itself', () => {
    const dir = dataDir();
    const keys = openKeys(dir);
    const { key } = keys.create({ name: 'billing', workload: 'batch' });
    const bytes = databaseBytes(dir);
    expect(bytes).toContain(hashApiKey(key));
    expect(bytes).not.toContain(key);
    expect(bytes).not.toContain(key.slice(12));
  });

  it("verifies a key and returns its owner's name, workload and team", () => {
    const keys = openKeys(dataDir());
    const { id, key } = keys.create({ name: 'support bot', workload: 'support', team: 'cx' });
    const info = keys.verify(key);
    expect(info).toMatchObject({ id, name: 'support bot', workload: 'support', team: 'cx', revokedAt: null });
    expect(keys.verify(key)).toEqual(info);
    expect(keys.verify(`${key}x`)).toBeNull();
    expect(keys.verify('sk-sy-unknown')).toBeNull();
    expect(keys.verify('')).toBeNull();
  });

  it('refuses a revoked key at once, even after it was verified', () => {
    const keys = openKeys(dataDir());
    const { id, key } = keys.create({ name: 'leaked' });
    const other = keys.create({ name: 'kept' });
    expect(keys.verify(key)).not.toBeNull();
    expect(keys.revoke(id)).toBe(true);
    expect(keys.verify(key)).toBeNull();
    expect(keys.verify(other.key)).not.toBeNull();
    expect(keys.revoke('key_does_not_exist')).toBe(false);
  });

  it('notices a revocation made by another process', () => {
    const dir = dataDir();
    const gateway = openKeys(dir, 0);
    const cli = openKeys(dir);
    const { id, key } = cli.create({ name: 'ci' });
    expect(gateway.verify(key)).not.toBeNull();
    cli.revoke(id);
    expect(gateway.verify(key)).toBeNull();
  });

  it('lists keys with a recognisable prefix, their labels and revocation, never the secret', () => {
    const keys = openKeys(dataDir());
    const a = keys.create({ name: 'a', workload: 'support' });
    const b = keys.create({ name: 'b', team: 'data' });
    keys.revoke(b.id);
    const list = keys.list();
    expect(list.map((k) => k.name)).toEqual(['a', 'b']);
    expect(a.key.startsWith(list[0].prefix)).toBe(true);
    expect(list[0].prefix.length).toBeLessThan(16);
    expect(list[0]).toMatchObject({ id: a.id, workload: 'support', team: null, revokedAt: null });
    expect(list[1].revokedAt).toEqual(expect.any(Number));
    expect(JSON.stringify(list)).not.toContain(a.key);
  });

  it('rejects a key without a name', () => {
    const keys = openKeys(dataDir());
    expect(() => keys.create({ name: '  ' })).toThrow(/name/);
  });
});
