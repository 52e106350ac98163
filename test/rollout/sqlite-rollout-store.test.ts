import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { RolloutState, RolloutTransition } from '../../src/rollout/rollout-state.js';
import { ROLLOUT_DATABASE_FILE, openRolloutStore } from '../../src/rollout/sqlite-rollout-store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-rollout-store-'));
  dirs.push(dir);
  return dir;
}

const STATE: RolloutState = {
  route: 'support',
  rolloutId: 'support:llama:1',
  baseline: 'gpt-4o',
  candidate: 'llama',
  status: 'running',
  stageIndex: 0,
  startedAtMs: 1,
  stageStartedAtMs: 1,
  consecutiveFailedChecks: 0,
  lastCheck: null,
  version: 0,
};

const TRANSITION: RolloutTransition = {
  route: 'support',
  rolloutId: 'support:llama:1',
  atMs: 1,
  kind: 'start',
  actor: 'config',
  dryRun: false,
  fromPercent: 0,
  toPercent: 1,
  fromStage: -1,
  toStage: 0,
  reason: 'rollout starts at 1%',
  check: null,
};

describe('SqliteRolloutStore', () => {
  it('writes only on the expected version, so the second of two concurrent writers loses', async () => {
    const store = openRolloutStore(dataDir());
    const first = await store.commit(STATE, null, TRANSITION);
    expect(first?.version).toBe(1);
    expect(await store.commit(STATE, null)).toBeUndefined();
    const advanced = await store.commit({ ...STATE, stageIndex: 1 }, 1, { ...TRANSITION, kind: 'advance' });
    expect(advanced?.version).toBe(2);
    expect(
      await store.commit({ ...STATE, stageIndex: 4 }, 1, { ...TRANSITION, kind: 'advance' }),
    ).toBeUndefined();
    expect((await store.get('support'))?.stageIndex).toBe(1);
    // The refused write left no history behind.
    expect((await store.history('support')).map((t) => [t.seq, t.kind])).toEqual([
      [2, 'advance'],
      [1, 'start'],
    ]);
    await store.close();
  });

  it('keeps state and history across reopening', async () => {
    const dir = dataDir();
    const store = openRolloutStore(dir);
    await store.commit(STATE, null, TRANSITION);
    await store.close();
    const again = openRolloutStore(dir);
    expect(await again.get('support')).toEqual({ ...STATE, version: 1 });
    expect(await again.list()).toHaveLength(1);
    expect(await again.history('support', { limit: 5 })).toEqual([{ ...TRANSITION, seq: 1 }]);
    await again.close();
  });

  it('refuses to change or delete recorded transitions', async () => {
    const dir = dataDir();
    const store = openRolloutStore(dir);
    await store.commit(STATE, null, TRANSITION);
    await store.close();
    const db = new BetterSqlite3(join(dir, ROLLOUT_DATABASE_FILE));
    expect(() => db.prepare("UPDATE rollout_transitions SET kind = 'advance'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM rollout_transitions').run()).toThrow(/append-only/);
    db.close();
  });

  it('reports a stored state it cannot read instead of guessing', async () => {
    const dir = dataDir();
    const store = openRolloutStore(dir);
    await store.commit(STATE, null);
    await store.close();
    const db = new BetterSqlite3(join(dir, ROLLOUT_DATABASE_FILE));
    db.prepare(`UPDATE rollout_state SET state = '{"route":"support","status":"sideways"}'`).run();
    db.close();
    const again = openRolloutStore(dir);
    await expect(again.get('support')).rejects.toThrow(/stored rollout state is not readable/);
    await again.close();
  });
});
