import { GatewayError, notFound } from '../spec/gateway-error.js';
import { assignArm, stickyKeyFor, type RolloutArm, type StickyIds } from './assign-arm.js';
import { decideCheck } from './decide-check.js';
import { evaluateGates, PAIRED_RANGE } from './evaluate-gates.js';
import { MeanConfidenceSequence, type MeanBounds } from './mean-confidence-sequence.js';
import { stagePercent, type RolloutConfig } from './rollout-config.js';
import type { ArmEvidence, RolloutEvidence, RolloutEvidenceSnapshot } from './rollout-evidence.js';
import type {
  ArmSummary,
  RolloutCheck,
  RolloutState,
  RolloutStatus,
  RolloutTransition,
  StoredTransition,
  TransitionKind,
} from './rollout-state.js';
import type { RolloutStore } from './rollout-store.js';

/** A rollout as the admin API and the CLI show it: config and state together. */
export interface RolloutSnapshot {
  route: string;
  rolloutId: string;
  baseline: string;
  candidate: string;
  status: RolloutStatus;
  dryRun: boolean;
  /** Share of the route's traffic the candidate serves now. */
  candidatePercent: number;
  /** Index into `stages`; −1 is 0% (before the first stage, or rolled back to zero). */
  stageIndex: number;
  stages: number[];
  startedAtMs: number;
  stageStartedAtMs: number;
  /** The current stage's requirements (null at 0%). */
  minDwellMs: number | null;
  minRequests: number | null;
  consecutiveFailedChecks: number;
  rollbackAfterFailedChecks: number;
  lastCheck: RolloutCheck | null;
  nextCheckAtMs: number | null;
}

/** Announced for every transition (webhooks); dry-run rollouts announce what they would do. */
export interface RolloutEvent {
  type: 'rollout.transition';
  /** Same on every delivery attempt, so a receiver can drop duplicates. */
  id: string;
  transition: RolloutTransition;
  rollout: RolloutSnapshot;
}

export interface RolloutNotifier {
  /** Must return at once: delivery happens in the background. */
  notify(config: RolloutConfig, event: RolloutEvent): void;
}

export interface RolloutShare {
  route: string;
  baseline: string;
  candidate: string;
  candidatePercent: number;
  sticky: 'user' | 'session';
}

export interface RolloutControllerOptions {
  rollouts: readonly RolloutConfig[];
  store: RolloutStore;
  evidence: RolloutEvidence;
  /** The clock, in epoch milliseconds; tests drive a fake one. */
  now?: () => number;
  notifier?: RolloutNotifier;
  log?: (message: string) => void;
}

export interface ActionResult {
  rollout: RolloutSnapshot;
  transition: RolloutTransition;
}

const COMMIT_ATTEMPTS = 3;

/**
 * Drives every configured rollout: `tick()` (called by the gateway on an interval, or by tests with
 * a fake clock) checks each rollout that is due, judges its gates on the evidence and advances,
 * holds or rolls back; the admin calls move it by hand. State lives in the store, so a restart
 * resumes where it was and several replicas share one rollout (each write is compare-and-set; a
 * replica that loses the race re-reads). `share` and `assign` answer from memory for the request
 * path, refreshed on every tick.
 */
export class RolloutController {
  private readonly configs: ReadonlyMap<string, RolloutConfig>;
  private readonly store: RolloutStore;
  private readonly evidence: RolloutEvidence;
  private readonly now: () => number;
  private readonly notifier: RolloutNotifier | undefined;
  private readonly log: (message: string) => void;
  private readonly states = new Map<string, RolloutState>();
  /** Each route's quality bound, extended with the pairs recorded since the last check. */
  private readonly qualityMemo = new Map<
    string,
    { key: string; sequence: MeanConfidenceSequence; last: number }
  >();
  /** Checks and admin actions run one at a time, so a tick never interleaves with a rollback. */
  private serial: Promise<unknown> = Promise.resolve();

  constructor(options: RolloutControllerOptions) {
    this.configs = new Map(options.rollouts.map((r) => [r.route, r]));
    this.store = options.store;
    this.evidence = options.evidence;
    this.now = options.now ?? Date.now;
    this.notifier = options.notifier;
    this.log = options.log ?? ((message) => void process.stderr.write(`${message}\n`));
  }

  /**
   * Loads stored state. A route with no stored rollout starts one (at the first stage, or at 0% in
   * dry-run); a stored rollout of another baseline or candidate is replaced by a fresh one; anything
   * else carries on where it was before the restart.
   */
  async start(): Promise<void> {
    await this.exclusive(async () => {
      for (const config of this.configs.values()) {
        for (let attempt = 0; attempt < COMMIT_ATTEMPTS; attempt++) {
          const stored = await this.store.get(config.route);
          if (stored && stored.baseline === config.baseline && stored.candidate === config.candidate) {
            this.states.set(config.route, stored);
            break;
          }
          const nowMs = this.now();
          const fresh = initialState(config, nowMs);
          const kind: TransitionKind = stored ? 'restart' : 'start';
          const reason = stored
            ? `config changed: ${stored.baseline} → ${stored.candidate} replaced by ${config.baseline} → ${config.candidate}`
            : config.dryRun
              ? 'dry run: gates are evaluated, traffic stays at 0% unless moved by hand'
              : `rollout starts at ${stagePercent(config, fresh.stageIndex)}%`;
          const from = stored ?? { ...fresh, stageIndex: -1 };
          const transition = this.transition(config, from, fresh, {
            kind,
            actor: 'config',
            reason,
            check: null,
          });
          const committed = await this.store.commit(fresh, stored?.version ?? null, transition);
          if (committed) {
            this.states.set(config.route, committed);
            this.announce(config, transition, committed);
            break;
          }
        }
      }
    });
  }

  /** Checks every rollout whose check interval has passed. Returns the checks made. */
  async tick(): Promise<RolloutCheck[]> {
    return this.exclusive(async () => {
      const checks: RolloutCheck[] = [];
      for (const config of this.configs.values()) {
        const state = await this.refresh(config);
        if (!state || state.status === 'completed') continue;
        const nowMs = this.now();
        if (state.lastCheck && nowMs - state.lastCheck.atMs < config.checkIntervalMs) continue;
        try {
          const check = await this.check(config, state, nowMs);
          if (check) checks.push(check);
        } catch (err) {
          this.log(`rollout ${config.route}: check failed: ${(err as Error).message}`);
        }
      }
      return checks;
    });
  }

  /** The shortest check interval configured: how often the gateway should call `tick`. */
  get tickIntervalMs(): number {
    let ms = Number.POSITIVE_INFINITY;
    for (const c of this.configs.values()) ms = Math.min(ms, c.checkIntervalMs);
    return Number.isFinite(ms) ? ms : 60_000;
  }

  /** The route's current split, from memory (refreshed each tick); undefined without a rollout. */
  share(route: string): RolloutShare | undefined {
    const config = this.configs.get(route);
    const state = this.states.get(route);
    if (!config || !state) return undefined;
    return {
      route,
      baseline: config.baseline,
      candidate: config.candidate,
      candidatePercent: stagePercent(config, state.stageIndex),
      sticky: config.sticky,
    };
  }

  /** Which arm and deployment serve this caller on the route; undefined when it has no rollout. */
  assign(route: string, ids: StickyIds): { arm: RolloutArm; deployment: string } | undefined {
    const share = this.share(route);
    if (!share) return undefined;
    const arm = assignArm(share, share.candidatePercent, stickyKeyFor(ids, share.sticky));
    return { arm, deployment: arm === 'candidate' ? share.candidate : share.baseline };
  }

  async list(): Promise<RolloutSnapshot[]> {
    const out: RolloutSnapshot[] = [];
    for (const config of this.configs.values()) {
      const state = await this.refresh(config);
      if (state) out.push(this.snapshotOf(config, state));
    }
    return out;
  }

  async get(route: string): Promise<RolloutSnapshot> {
    const config = this.configOf(route);
    const state = await this.refresh(config);
    if (!state) throw notFound(`Route '${route}' has no rollout state yet.`, 'rollout_not_found');
    return this.snapshotOf(config, state);
  }

  async history(route: string, limit = 20): Promise<StoredTransition[]> {
    this.configOf(route);
    return this.store.history(route, { limit });
  }

  /** Moves to the next stage now (from the last stage: completes), whatever the gates say. */
  advance(route: string, reason = 'advanced by hand'): Promise<ActionResult> {
    return this.act(route, (config, state) => {
      if (state.status === 'completed') throw conflict(`the rollout of '${route}' is already complete`);
      const last = state.stageIndex >= config.stages.length - 1;
      if (last)
        return {
          kind: 'complete',
          next: { ...state, status: 'completed', consecutiveFailedChecks: 0 },
          reason,
        };
      return {
        kind: 'advance',
        next: {
          ...state,
          stageIndex: state.stageIndex + 1,
          stageStartedAtMs: this.now(),
          status: state.status === 'rolled_back' ? 'running' : state.status,
          consecutiveFailedChecks: 0,
        },
        reason,
      };
    });
  }

  /** Stops automatic promotion; automatic rollback stays armed. */
  pause(route: string, reason = 'paused by hand'): Promise<ActionResult> {
    return this.act(route, (_config, state) => {
      if (state.status !== 'running')
        throw conflict(`the rollout of '${route}' is ${words(state.status)}, not running`);
      return { kind: 'pause', next: { ...state, status: 'paused' }, reason };
    });
  }

  /**
   * Lets a paused rollout advance again, keeping its stage clock; a rolled-back one starts its
   * stage afresh (at the first stage if it went back to 0%).
   */
  resume(route: string, reason = 'resumed by hand'): Promise<ActionResult> {
    return this.act(route, (config, state) => {
      if (state.status === 'paused') return { kind: 'resume', next: { ...state, status: 'running' }, reason };
      if (state.status !== 'rolled_back')
        throw conflict(
          `the rollout of '${route}' is ${words(state.status)}; only a paused or rolled-back one resumes`,
        );
      const stageIndex = state.stageIndex < 0 && !config.dryRun ? 0 : state.stageIndex;
      return {
        kind: 'resume',
        next: {
          ...state,
          status: 'running',
          stageIndex,
          stageStartedAtMs: this.now(),
          consecutiveFailedChecks: 0,
        },
        reason,
      };
    });
  }

  /** Moves traffic back: to 0% (`zero`) or to the stage before (`previous`), and holds there. */
  rollback(
    route: string,
    options: { to?: 'zero' | 'previous'; reason?: string } = {},
  ): Promise<ActionResult> {
    return this.act(route, (_config, state) => {
      if (state.stageIndex < 0) throw conflict(`the rollout of '${route}' is at 0% already`);
      const to = options.to ?? 'zero';
      return {
        kind: 'rollback',
        next: {
          ...state,
          stageIndex: to === 'zero' ? -1 : state.stageIndex - 1,
          status: 'rolled_back',
          stageStartedAtMs: this.now(),
          consecutiveFailedChecks: 0,
        },
        reason: options.reason ?? `rolled back by hand to ${to === 'zero' ? '0%' : 'the previous stage'}`,
      };
    });
  }

  private async check(
    config: RolloutConfig,
    state: RolloutState,
    nowMs: number,
  ): Promise<RolloutCheck | undefined> {
    const percent = stagePercent(config, state.stageIndex);
    const qualityFromMs =
      config.gates.quality?.window === 'stage' ? state.stageStartedAtMs : state.startedAtMs;
    const evidence = await this.evidence.collect({
      route: config.route,
      baseline: config.baseline,
      candidate: config.candidate,
      stageStartedAtMs: state.stageStartedAtMs,
      qualityFromMs,
      latencyLimitMs: config.gates.latency?.p95MaxMs ?? null,
      ttftLimitMs: config.gates.ttft?.p95MaxMs ?? null,
    });
    const gates = evaluateGates(config.gates, evidence, {
      live: percent > 0,
      qualityBounds: this.qualityBounds(
        config,
        `${state.rolloutId}\u0000${qualityFromMs}`,
        evidence.qualityDifferences,
      ),
    });
    const verdict = decideCheck({
      config,
      state,
      gates,
      candidateRequests: evidence.candidate.requests,
      nowMs,
    });
    const check: RolloutCheck = {
      atMs: nowMs,
      decision: verdict.decision,
      reasons: verdict.reasons,
      gates,
      evidence: summarize(evidence),
      dryRun: config.dryRun,
    };
    let next: RolloutState = {
      ...state,
      lastCheck: check,
      consecutiveFailedChecks: verdict.consecutiveFailedChecks,
    };
    let transition: RolloutTransition | undefined;
    const moved: RolloutState = { ...next };
    if (verdict.decision === 'advance') {
      Object.assign(moved, {
        stageIndex: verdict.toStage,
        stageStartedAtMs: nowMs,
        consecutiveFailedChecks: 0,
      });
    } else if (verdict.decision === 'complete') {
      Object.assign(moved, { status: 'completed' });
    } else if (verdict.decision === 'rollback') {
      Object.assign(moved, {
        stageIndex: verdict.toStage,
        status: 'rolled_back',
        stageStartedAtMs: nowMs,
        consecutiveFailedChecks: 0,
      });
    }
    if (verdict.decision !== 'hold') {
      const kind = verdict.decision as TransitionKind;
      if (!config.dryRun) {
        transition = this.transition(config, state, moved, {
          kind,
          actor: 'controller',
          reason: verdict.reasons.join('; '),
          check,
        });
        next = moved;
      } else if (state.lastCheck?.decision !== verdict.decision) {
        // A dry run records what it would do once per change of mind, not at every check.
        transition = this.transition(config, state, moved, {
          kind,
          actor: 'controller',
          reason: `dry run, traffic not moved: ${verdict.reasons.join('; ')}`,
          check,
          dryRun: true,
        });
      }
    }
    const committed = await this.store.commit(next, state.version, transition);
    if (!committed) {
      // Another replica checked or moved it meanwhile; its write stands.
      await this.refresh(config);
      return undefined;
    }
    this.states.set(config.route, committed);
    if (transition) this.announce(config, transition, committed);
    return check;
  }

  /**
   * The quality bound over `differences`, extending the one kept from the last check when the
   * source has only appended since (its contract); recomputed from the start otherwise.
   */
  private qualityBounds(
    config: RolloutConfig,
    window: string,
    differences: readonly number[],
  ): MeanBounds | undefined {
    const gate = config.gates.quality;
    if (!gate) return undefined;
    let memo = this.qualityMemo.get(config.route);
    const seen = memo?.sequence.samples ?? 0;
    const extends_ =
      memo !== undefined &&
      memo.key === window &&
      differences.length >= seen &&
      (seen === 0 || differences[seen - 1] === memo.last);
    if (!memo || !extends_) {
      memo = {
        key: window,
        sequence: new MeanConfidenceSequence(PAIRED_RANGE, gate.alpha),
        last: Number.NaN,
      };
      this.qualityMemo.set(config.route, memo);
    }
    for (let i = memo.sequence.samples; i < differences.length; i++) memo.sequence.push(differences[i]);
    if (differences.length > 0) memo.last = differences[differences.length - 1];
    return memo.sequence.bounds();
  }

  private async act(
    route: string,
    plan: (
      config: RolloutConfig,
      state: RolloutState,
    ) => { kind: TransitionKind; next: RolloutState; reason: string },
  ): Promise<ActionResult> {
    const config = this.configOf(route);
    return this.exclusive(async () => {
      for (let attempt = 0; attempt < COMMIT_ATTEMPTS; attempt++) {
        const state = await this.refresh(config);
        if (!state) throw notFound(`Route '${route}' has no rollout state yet.`, 'rollout_not_found');
        const { kind, next, reason } = plan(config, state);
        const transition = this.transition(config, state, next, {
          kind,
          actor: 'admin',
          reason,
          check: state.lastCheck,
        });
        const committed = await this.store.commit(next, state.version, transition);
        if (committed) {
          this.states.set(route, committed);
          this.announce(config, transition, committed);
          return { rollout: this.snapshotOf(config, committed), transition };
        }
      }
      throw conflict(`the rollout of '${route}' kept changing underneath; try again`);
    });
  }

  private async refresh(config: RolloutConfig): Promise<RolloutState | undefined> {
    const stored = await this.store.get(config.route);
    // A stored rollout of another candidate is stale until `start` replaces it.
    if (stored && stored.candidate === config.candidate && stored.baseline === config.baseline) {
      this.states.set(config.route, stored);
      return stored;
    }
    return this.states.get(config.route);
  }

  private transition(
    config: RolloutConfig,
    from: RolloutState,
    to: RolloutState,
    what: {
      kind: TransitionKind;
      actor: RolloutTransition['actor'];
      reason: string;
      check: RolloutCheck | null;
      dryRun?: boolean;
    },
  ): RolloutTransition {
    return {
      route: config.route,
      rolloutId: to.rolloutId,
      atMs: this.now(),
      kind: what.kind,
      actor: what.actor,
      dryRun: what.dryRun ?? false,
      fromPercent: stagePercent(config, from.stageIndex),
      toPercent: stagePercent(config, to.stageIndex),
      fromStage: from.stageIndex,
      toStage: to.stageIndex,
      reason: what.reason,
      check: what.check,
    };
  }

  private announce(config: RolloutConfig, transition: RolloutTransition, state: RolloutState): void {
    if (!this.notifier) return;
    try {
      this.notifier.notify(config, {
        type: 'rollout.transition',
        id: `${transition.rolloutId}/${transition.atMs}/${transition.kind}${transition.dryRun ? '/dry-run' : ''}`,
        transition,
        rollout: this.snapshotOf(config, state),
      });
    } catch (err) {
      this.log(`rollout ${config.route}: could not queue the notification: ${(err as Error).message}`);
    }
  }

  private snapshotOf(config: RolloutConfig, state: RolloutState): RolloutSnapshot {
    const stage =
      state.stageIndex >= 0 ? config.stages[Math.min(state.stageIndex, config.stages.length - 1)] : null;
    return {
      route: config.route,
      rolloutId: state.rolloutId,
      baseline: config.baseline,
      candidate: config.candidate,
      status: state.status,
      dryRun: config.dryRun,
      candidatePercent: stagePercent(config, state.stageIndex),
      stageIndex: state.stageIndex,
      stages: config.stages.map((s) => s.percent),
      startedAtMs: state.startedAtMs,
      stageStartedAtMs: state.stageStartedAtMs,
      minDwellMs: stage?.minDwellMs ?? null,
      minRequests: stage?.minRequests ?? null,
      consecutiveFailedChecks: state.consecutiveFailedChecks,
      rollbackAfterFailedChecks: config.rollback.afterFailedChecks,
      lastCheck: state.lastCheck,
      nextCheckAtMs:
        state.status === 'completed'
          ? null
          : state.lastCheck
            ? state.lastCheck.atMs + config.checkIntervalMs
            : state.stageStartedAtMs,
    };
  }

  private configOf(route: string): RolloutConfig {
    const config = this.configs.get(route);
    if (!config)
      throw notFound(`Route '${route}' has no rollout; add one under 'rollouts:'.`, 'rollout_not_found');
    return config;
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.serial.then(fn, fn);
    this.serial = run.catch(() => undefined);
    return run;
  }
}

function initialState(config: RolloutConfig, nowMs: number): RolloutState {
  return {
    route: config.route,
    rolloutId: `${config.route}:${config.candidate}:${nowMs}`,
    baseline: config.baseline,
    candidate: config.candidate,
    status: 'running',
    stageIndex: config.dryRun ? -1 : 0,
    startedAtMs: nowMs,
    stageStartedAtMs: nowMs,
    consecutiveFailedChecks: 0,
    lastCheck: null,
    version: 0,
  };
}

function summarize(evidence: RolloutEvidenceSnapshot) {
  return {
    baseline: summarizeArm(evidence.baseline),
    candidate: summarizeArm(evidence.candidate),
    qualityPairs: evidence.qualityDifferences.length,
  };
}

function summarizeArm(arm: ArmEvidence): ArmSummary {
  return {
    requests: arm.requests,
    errors: arm.errors,
    latencyP95Ms: arm.latency.p95Ms,
    ttftP95Ms: arm.ttft.p95Ms,
  };
}

function conflict(message: string): GatewayError {
  return new GatewayError({
    status: 409,
    type: 'invalid_request_error',
    code: 'rollout_conflict',
    message: `${message}.`,
  });
}

const words = (status: RolloutStatus) => status.replace('_', ' ');
