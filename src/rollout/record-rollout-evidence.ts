import type { RecordStore, StoredRecord } from '../spec/request-record.js';
import { percentile } from '../usage/percentile.js';
import type {
  ArmEvidence,
  QualitySource,
  RolloutEvidence,
  RolloutEvidenceQuery,
  RolloutEvidenceSnapshot,
  TimingEvidence,
} from './rollout-evidence.js';

interface TimingTally {
  valuesMs: number[];
  overLimit: number;
}

interface ArmTally {
  requests: number;
  errors: number;
  latency: TimingTally;
  ttft: TimingTally;
}

/** What has been read for one route's current stage, so each check reads only newer records. */
interface StageWindow {
  key: string;
  afterSeq: number | undefined;
  baseline: ArmTally;
  candidate: ArmTally;
}

/**
 * Rollout evidence from the request records: every record of the route since the stage began,
 * attributed to an arm by the deployments it tried. Each attempt on an arm's deployment is a call to
 * it, and a failed attempt is an error even when a fallback rescued the request, since that is what
 * the candidate did. Latency is the request's when the arm served it first time, else the serving
 * attempt's own; time to first token only from streamed requests the arm served first time. Requests
 * the client abandoned say nothing about either arm and are left out.
 *
 * The first check of a stage reads the stage's records once; later checks read only records stored
 * since (by sequence number), so a check costs the traffic since the last one, not the stage's.
 */
export class RecordRolloutEvidence implements RolloutEvidence {
  private readonly windows = new Map<string, StageWindow>();

  constructor(
    private readonly records: RecordStore,
    private readonly quality: QualitySource | null = null,
  ) {}

  async collect(query: RolloutEvidenceQuery): Promise<RolloutEvidenceSnapshot> {
    const key = [
      query.baseline,
      query.candidate,
      query.stageStartedAtMs,
      query.latencyLimitMs,
      query.ttftLimitMs,
    ].join('\u0000');
    let window = this.windows.get(query.route);
    if (!window || window.key !== key) {
      window = { key, afterSeq: undefined, baseline: emptyTally(), candidate: emptyTally() };
      this.windows.set(query.route, window);
    }
    await this.records.flush();
    for await (const record of this.records.iterate({
      fromMs: query.stageStartedAtMs,
      afterSeq: window.afterSeq,
    })) {
      if (window.afterSeq === undefined || record.seq > window.afterSeq) window.afterSeq = record.seq;
      tally(record, query, window);
    }
    const qualityDifferences = this.quality
      ? await this.quality.differences({
          route: query.route,
          baseline: query.baseline,
          candidate: query.candidate,
          fromMs: query.qualityFromMs,
        })
      : [];
    return { baseline: view(window.baseline), candidate: view(window.candidate), qualityDifferences };
  }
}

function tally(record: StoredRecord, query: RolloutEvidenceQuery, window: StageWindow): void {
  const route = record.route;
  if (!route || route.routeId !== query.route) return;
  if (record.status === 499 || record.errorCode === 'client_closed_request') return;
  const armOf = (deployment: string | null): ArmTally | undefined =>
    deployment === query.candidate
      ? window.candidate
      : deployment === query.baseline
        ? window.baseline
        : undefined;
  const attempts = route.attempts;
  if (attempts.length === 0) {
    // Served without the attempt log (older records): the final deployment and status decide.
    const arm = armOf(record.deploymentId);
    if (!arm) return;
    arm.requests++;
    if (record.status >= 400) arm.errors++;
    else addTimings(arm, record, record.latencyMs, true, query);
    return;
  }
  attempts.forEach((attempt, i) => {
    const arm = armOf(attempt.deployment);
    if (!arm) return;
    arm.requests++;
    if (attempt.outcome !== 'ok' || record.status >= 400) {
      arm.errors++;
      return;
    }
    addTimings(arm, record, i === 0 ? record.latencyMs : attempt.latencyMs, i === 0, query);
  });
}

function addTimings(
  arm: ArmTally,
  record: StoredRecord,
  latencyMs: number,
  firstAttempt: boolean,
  query: RolloutEvidenceQuery,
): void {
  addTiming(arm.latency, latencyMs, query.latencyLimitMs);
  if (firstAttempt && record.streamed && record.ttftMs !== null)
    addTiming(arm.ttft, record.ttftMs, query.ttftLimitMs);
}

function addTiming(t: TimingTally, ms: number, limitMs: number | null): void {
  t.valuesMs.push(ms);
  if (limitMs !== null && ms > limitMs) t.overLimit++;
}

const emptyTiming = (): TimingTally => ({ valuesMs: [], overLimit: 0 });
const emptyTally = (): ArmTally => ({ requests: 0, errors: 0, latency: emptyTiming(), ttft: emptyTiming() });

const timing = (t: TimingTally): TimingEvidence => ({
  samples: t.valuesMs.length,
  overLimit: t.overLimit,
  p95Ms: percentile(
    t.valuesMs.slice().sort((a, b) => a - b),
    0.95,
  ),
});

const view = (t: ArmTally): ArmEvidence => ({
  requests: t.requests,
  errors: t.errors,
  latency: timing(t.latency),
  ttft: timing(t.ttft),
});
