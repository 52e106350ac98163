import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/load-config.js';
import { createRecordStore } from '../../src/records/sqlite-record-store.js';
import { createRollouts } from '../../src/rollout/create-rollouts.js';
import { ROLLOUT_DATABASE_FILE } from '../../src/rollout/sqlite-rollout-store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const BASE = {
  deployments: [
    { id: 'gpt-4o', baseUrl: 'https://api.example.com/v1', model: 'gpt-4o' },
    {
      id: 'llama-70b',
      baseUrl: 'http://10.0.0.1:8000/v1',
      model: 'llama',
      vendor: 'vllm',
      location: 'internal',
    },
  ],
  routes: [{ id: 'support', target: { deployment: 'gpt-4o' } }],
};

describe('createRollouts', () => {
  it('opens nothing when the config has no rollouts', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'switchyard-rollouts-'));
    dirs.push(dataDir);
    const records = createRecordStore({ dataDir, batchIntervalMs: 1000, batchSize: 100 });
    expect(createRollouts(resolveConfig(BASE, {}, 'test'), { records, dataDir })).toBeUndefined();
    expect(existsSync(join(dataDir, ROLLOUT_DATABASE_FILE))).toBe(false);
    return records.close();
  });

  it('starts the configured rollouts from rollouts.db and serves their admin endpoints', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'switchyard-rollouts-'));
    dirs.push(dataDir);
    const records = createRecordStore({ dataDir, batchIntervalMs: 1000, batchSize: 100 });
    const config = resolveConfig(
      { ...BASE, rollouts: [{ route: 'support', baseline: 'gpt-4o', candidate: 'llama-70b' }] },
      {},
      'test',
    );
    const rollouts = createRollouts(config, { records, dataDir, log: () => {} })!;
    await rollouts.start();
    expect(rollouts.controller.share('support')).toEqual({
      route: 'support',
      baseline: 'gpt-4o',
      candidate: 'llama-70b',
      candidatePercent: 1,
      sticky: 'user',
    });
    const answer = await rollouts.admin.handle('GET', new URL('http://gateway/admin/rollouts'));
    expect(answer?.status).toBe(200);
    await rollouts.close();
    await records.close();
    expect(existsSync(join(dataDir, ROLLOUT_DATABASE_FILE))).toBe(true);
  });
});
