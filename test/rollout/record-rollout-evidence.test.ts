import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createRecordStore } from '../../src/records/sqlite-record-store.js';
import { MemoryQualitySource } from '../../src/rollout/memory-quality-source.js';
import { RecordRolloutEvidence } from '../../src/rollout/record-rollout-evidence.js';
import type { RecordStore, RequestRecord } from '../../src/spec/request-record.js';
import { BASELINE, CANDIDATE, ROUTE, T0, routeRecord } from './rollout-harness.js';

const dirs: string[] = [];
const stores: RecordStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function recordStore(): RecordStore {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-evidence-'));
  dirs.push(dir);
  const store = createRecordStore({ dataDir: dir, batchIntervalMs: 60_000, batchSize: 10_000 });
  stores.push(store);
  return store;
}

const QUERY = {
  route: ROUTE,
  baseline: BASELINE,
  candidate: CANDIDATE,
  stageStartedAtMs: T0,
  qualityFromMs: T0,
  latencyLimitMs: 1000,
  ttftLimitMs: null,
};

describe('RecordRolloutEvidence', () => {
  it('counts each arm from the route’s records since the stage began', async () => {
    const records = recordStore();
    const add = (r: RequestRecord) => records.append(r);
    add(routeRecord({ deployment: CANDIDATE, startedAt: T0 - 1, ok: false })); // before the stage
    add(routeRecord({ deployment: CANDIDATE, startedAt: T0, ok: true, latencyMs: 800, ttftMs: 120 }));
    add(routeRecord({ deployment: CANDIDATE, startedAt: T0 + 5, ok: false }));
    add(routeRecord({ deployment: CANDIDATE, startedAt: T0 + 6, ok: true, latencyMs: 1200, ttftMs: null }));
    add(routeRecord({ deployment: BASELINE, startedAt: T0 + 7, ok: true, latencyMs: 500 }));
    add({
      ...routeRecord({ deployment: CANDIDATE, startedAt: T0 + 8, ok: true }),
      route: {
        ...routeRecord({ deployment: CANDIDATE, startedAt: 0, ok: true }).route!,
        routeId: 'other-route',
      },
    });
    add({
      ...routeRecord({ deployment: CANDIDATE, startedAt: T0 + 9, ok: true }),
      status: 499,
      errorCode: 'client_closed_request',
    });
    const evidence = await new RecordRolloutEvidence(records).collect(QUERY);
    expect(evidence.candidate).toEqual({
      requests: 3,
      errors: 1,
      latency: { samples: 2, overLimit: 1, p95Ms: 1200 },
      ttft: { samples: 1, overLimit: 0, p95Ms: 120 },
    });
    expect(evidence.baseline).toEqual({
      requests: 1,
      errors: 0,
      latency: { samples: 1, overLimit: 0, p95Ms: 500 },
      ttft: { samples: 1, overLimit: 0, p95Ms: 200 },
    });
    expect(evidence.qualityDifferences).toEqual([]);
  });

  it('charges a failed candidate attempt to the candidate even when the baseline rescued the request', async () => {
    const records = recordStore();
    const rescued = routeRecord({ deployment: BASELINE, startedAt: T0 + 1, ok: true, latencyMs: 3000 });
    rescued.route!.attempts = [
      { deployment: CANDIDATE, outcome: 'timeout', latencyMs: 2000 },
      { deployment: BASELINE, outcome: 'ok', status: 200, latencyMs: 1000 },
    ];
    records.append(rescued);
    const evidence = await new RecordRolloutEvidence(records).collect(QUERY);
    expect(evidence.candidate).toMatchObject({ requests: 1, errors: 1, latency: { samples: 0 } });
    // The baseline's own attempt time, not the whole request's, and no first-token time.
    expect(evidence.baseline).toEqual({
      requests: 1,
      errors: 0,
      latency: { samples: 1, overLimit: 0, p95Ms: 1000 },
      ttft: { samples: 0, overLimit: 0, p95Ms: null },
    });
  });

  it('reads only newer records on later checks of the same stage, and starts over for a new stage', async () => {
    const records = recordStore();
    const evidence = new RecordRolloutEvidence(records);
    records.append(routeRecord({ deployment: CANDIDATE, startedAt: T0 + 1, ok: true }));
    expect((await evidence.collect(QUERY)).candidate.requests).toBe(1);
    records.append(routeRecord({ deployment: CANDIDATE, startedAt: T0 + 2, ok: false }));
    // A late record that started before the last check is still counted once.
    records.append(routeRecord({ deployment: CANDIDATE, startedAt: T0 + 1, ok: true }));
    const second = await evidence.collect(QUERY);
    expect([second.candidate.requests, second.candidate.errors]).toEqual([3, 1]);
    const nextStage = await evidence.collect({ ...QUERY, stageStartedAtMs: T0 + 2 });
    expect([nextStage.candidate.requests, nextStage.candidate.errors]).toEqual([1, 1]);
  });

  it('takes judged pairs of this baseline and candidate from the quality source', async () => {
    const quality = new MemoryQualitySource();
    quality.add({ route: ROUTE, baseline: BASELINE, candidate: CANDIDATE, atMs: T0 - 10, difference: -1 });
    quality.add({ route: ROUTE, baseline: BASELINE, candidate: CANDIDATE, atMs: T0 + 10, difference: 0.25 });
    quality.add({ route: ROUTE, baseline: BASELINE, candidate: 'qwen-72b', atMs: T0 + 10, difference: 0.5 });
    quality.add({ route: ROUTE, baseline: BASELINE, candidate: CANDIDATE, atMs: T0 + 20, difference: -0.25 });
    const evidence = await new RecordRolloutEvidence(recordStore(), quality).collect(QUERY);
    expect(evidence.qualityDifferences).toEqual([0.25, -0.25]);
    expect(() =>
      quality.add({ route: ROUTE, baseline: BASELINE, candidate: CANDIDATE, atMs: 0, difference: 1.5 }),
    ).toThrow(RangeError);
  });
});
