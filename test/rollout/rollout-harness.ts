import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rolloutSchema, type RolloutConfigInput } from '../../src/config/schema/rollouts-schema.js';
import { createRecordStore } from '../../src/records/sqlite-record-store.js';
import { MemoryQualitySource } from '../../src/rollout/memory-quality-source.js';
import { RecordRolloutEvidence } from '../../src/rollout/record-rollout-evidence.js';
import { normalizeRollout, type RolloutConfig } from '../../src/rollout/rollout-config.js';
import {
  RolloutController,
  type RolloutEvent,
  type RolloutNotifier,
} from '../../src/rollout/rollout-controller.js';
import { openRolloutStore, type SqliteRolloutStore } from '../../src/rollout/sqlite-rollout-store.js';
import type { RecordStore, RequestRecord } from '../../src/spec/request-record.js';
import { seededRandom as seeded } from '../../src/stats/seeded-random.js';

export const ROUTE = 'support';
export const BASELINE = 'gpt-4o';
export const CANDIDATE = 'llama-70b';
export const T0 = Date.UTC(2026, 11, 1, 9);
export const MINUTE = 60_000;

export function rolloutConfig(over: Partial<RolloutConfigInput> = {}): RolloutConfig {
  return normalizeRollout(
    rolloutSchema.parse({
      route: ROUTE,
      baseline: BASELINE,
      candidate: CANDIDATE,
      minDwellMinutes: 10,
      minRequests: 40,
      checkIntervalSeconds: 60,
      gates: { quality: { margin: 0.02, minPairs: 100 }, errorRate: { max: 0.05 } },
      ...over,
    }),
  );
}

/** A finished chat request on the route, served (or failed) by `deployment`. */
export function routeRecord(over: {
  deployment: string;
  startedAt: number;
  ok: boolean;
  latencyMs?: number;
  ttftMs?: number | null;
  id?: string;
}): RequestRecord {
  const latencyMs = over.latencyMs ?? 900;
  const record = {
    id: over.id ?? `req-${Math.random().toString(36).slice(2)}`,
    startedAt: over.startedAt,
    endedAt: over.startedAt + latencyMs,
    keyId: 'key-1',
    team: null,
    workload: 'support',
    endpoint: 'chat',
    modelRequested: 'gpt-4o',
    deploymentId: over.deployment,
    provider: 'openai-compatible',
    upstreamModel: over.deployment,
    status: over.ok ? 200 : 502,
    errorCode: over.ok ? null : 'upstream_error',
    inputTokens: 100,
    outputTokens: 50,
    cachedTokens: null,
    reasoningTokens: null,
    usageEstimated: false,
    latencyMs,
    ttftMs: over.ttftMs === undefined ? 200 : over.ttftMs,
    streamed: over.ttftMs !== null,
    truncated: false,
    finishReason: over.ok ? 'stop' : null,
    costUsd: 0.0001,
    baselineCostUsd: 0.001,
    costEstimated: false,
    overheadMs: 1,
    route: {
      routeId: ROUTE,
      rule: 'workload=support',
      targetKind: 'split',
      attempts: [
        {
          deployment: over.deployment,
          outcome: over.ok ? 'ok' : 'http_5xx',
          status: over.ok ? 200 : 500,
          latencyMs,
        },
      ],
    },
    requestBody: null,
    responseBody: null,
    tags: null,
  };
  return record as RequestRecord;
}

export class RecordingNotifier implements RolloutNotifier {
  readonly events: RolloutEvent[] = [];
  notify(_config: RolloutConfig, event: RolloutEvent): void {
    this.events.push(event);
  }
}

export interface TrafficShape {
  requests: number;
  candidateErrorRate?: number;
  candidateLatencyMs?: number;
  /** Judged pairs added this minute and their mean difference (candidate − baseline). */
  pairs?: number;
  qualityShift?: number;
}

/**
 * A rollout over real SQLite records and rollout state in a temporary data folder, with a fake
 * clock: `minute()` sends a minute of traffic split by the controller's own assignment, then moves
 * the clock on and ticks.
 */
export class RolloutHarness {
  readonly dataDir: string;
  nowMs = T0;
  readonly quality = new MemoryQualitySource();
  readonly notifier = new RecordingNotifier();
  records!: RecordStore;
  store!: SqliteRolloutStore;
  controller!: RolloutController;
  private readonly random = seeded(42);
  private requestNo = 0;

  constructor(
    readonly config: RolloutConfig,
    dataDir?: string,
  ) {
    this.dataDir = dataDir ?? mkdtempSync(join(tmpdir(), 'switchyard-rollout-'));
  }

  async open(config: RolloutConfig = this.config): Promise<this> {
    this.records = createRecordStore({ dataDir: this.dataDir, batchIntervalMs: 60_000, batchSize: 100_000 });
    this.store = openRolloutStore(this.dataDir);
    this.controller = new RolloutController({
      rollouts: [config],
      store: this.store,
      evidence: new RecordRolloutEvidence(this.records, this.quality),
      now: () => this.nowMs,
      notifier: this.notifier,
      log: () => {},
    });
    await this.controller.start();
    return this;
  }

  /** One minute of traffic and judged pairs, then the clock moves a minute and the controller ticks. */
  async minute(shape: TrafficShape): Promise<void> {
    for (let i = 0; i < shape.requests; i++) {
      const user = `user-${Math.floor(this.random() * 5000)}`;
      const at = this.nowMs + Math.floor((i / shape.requests) * MINUTE);
      const choice = this.controller.assign(ROUTE, { user, requestId: `r${++this.requestNo}` });
      const deployment = choice?.deployment ?? BASELINE;
      const candidate = deployment === CANDIDATE;
      const ok = !(candidate && this.random() < (shape.candidateErrorRate ?? 0));
      const latencyMs = candidate ? (shape.candidateLatencyMs ?? 900) : 900;
      this.records.append(
        routeRecord({ deployment, startedAt: at, ok, latencyMs: latencyMs * (0.5 + this.random()) }),
      );
    }
    for (let i = 0; i < (shape.pairs ?? 0); i++) {
      // Judge-like scores: mostly ties, some wins and losses, shifted by the candidate's quality.
      const u = this.random();
      const tie = u < 0.5 ? 0 : u < 0.75 ? 0.25 : -0.25;
      const difference = Math.max(-1, Math.min(1, tie + (shape.qualityShift ?? 0)));
      this.quality.add({
        route: ROUTE,
        baseline: BASELINE,
        candidate: CANDIDATE,
        atMs: this.nowMs,
        difference,
      });
    }
    this.nowMs += MINUTE;
    await this.controller.tick();
  }

  async minutes(n: number, shape: TrafficShape, until?: () => Promise<boolean>): Promise<number> {
    for (let i = 0; i < n; i++) {
      await this.minute(shape);
      if (until && (await until())) return i + 1;
    }
    return n;
  }

  async state() {
    return this.controller.get(ROUTE);
  }

  async close(): Promise<void> {
    await this.records.close();
    await this.store.close();
  }

  remove(): void {
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
