import { afterEach, describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/spec/gateway-error.js';
import {
  BASELINE,
  CANDIDATE,
  MINUTE,
  ROUTE,
  RolloutHarness,
  rolloutConfig,
  type TrafficShape,
} from './rollout-harness.js';

const HEALTHY: TrafficShape = { requests: 400, pairs: 20, qualityShift: 0 };
const harnesses: RolloutHarness[] = [];

async function harness(config = rolloutConfig()): Promise<RolloutHarness> {
  const h = await new RolloutHarness(config).open();
  harnesses.push(h);
  return h;
}

afterEach(async () => {
  for (const h of harnesses.splice(0)) {
    await h.close();
    h.remove();
  }
});

const kinds = async (h: RolloutHarness) =>
  (await h.controller.history(ROUTE, 100)).reverse().map((t) => `${t.kind} ${t.fromPercent}→${t.toPercent}`);

describe('a rollout on healthy traffic', () => {
  it('starts at the first stage, advances through every stage and completes', async () => {
    const h = await harness();
    expect((await h.state()).candidatePercent).toBe(1);
    const took = await h.minutes(400, HEALTHY, async () => (await h.state()).status === 'completed');
    expect((await h.state()).status).toBe('completed');
    expect(await kinds(h)).toEqual([
      'start 0→1',
      'advance 1→5',
      'advance 5→25',
      'advance 25→50',
      'advance 50→100',
      'complete 100→100',
    ]);
    // Each stage lasted at least its 10-minute dwell.
    expect(took).toBeGreaterThanOrEqual(50);
    expect(h.controller.share(ROUTE)?.candidatePercent).toBe(100);
  });

  it('records the figures behind every automatic move', async () => {
    const h = await harness();
    await h.minutes(400, HEALTHY, async () => (await h.state()).candidatePercent === 5);
    const [advance] = await h.controller.history(ROUTE, 1);
    expect(advance.kind).toBe('advance');
    expect(advance.actor).toBe('controller');
    const check = advance.check!;
    expect(check.gates.map((g) => [g.gate, g.status])).toEqual([
      ['quality', 'pass'],
      ['errorRate', 'pass'],
    ]);
    const quality = check.gates[0];
    expect(quality.lower!).toBeGreaterThan(-0.02);
    expect(quality.samples).toBeGreaterThanOrEqual(100);
    expect(quality.reason).toMatch(
      /^mean difference [+−]0\.\d{4} over [\d,]+ pairs, bounds \[.*\]: lower bound above −0\.02$/,
    );
    const errors = check.gates[1];
    expect(errors.upper!).toBeLessThan(0.05);
    expect(errors.samples).toBe(check.evidence.candidate.requests);
    expect(check.evidence.candidate.requests).toBeGreaterThanOrEqual(40);
    expect(check.evidence.baseline.requests).toBeGreaterThan(check.evidence.candidate.requests * 50);
    expect(h.notifier.events.at(-1)?.transition).toEqual(stripSeq(advance));
  });

  it('keeps each caller on one arm, and everyone on the candidate at 5% stays on it at 25%', async () => {
    const h = await harness();
    await h.minutes(400, HEALTHY, async () => (await h.state()).candidatePercent === 5);
    const users = Array.from({ length: 4000 }, (_, i) => `user-${i}`);
    const at5 = users.filter(
      (u) => h.controller.assign(ROUTE, { user: u, requestId: 'x' })?.arm === 'candidate',
    );
    expect(at5.length / users.length).toBeCloseTo(0.05, 1);
    for (const u of at5)
      expect(h.controller.assign(ROUTE, { user: u, requestId: 'other' })?.deployment).toBe(CANDIDATE);
    await h.minutes(400, HEALTHY, async () => (await h.state()).candidatePercent === 25);
    for (const u of at5)
      expect(h.controller.assign(ROUTE, { user: u, requestId: 'y' })?.arm).toBe('candidate');
  });
});

describe('rollback', () => {
  it('rolls back to 0% after three failed checks when the candidate starts failing', async () => {
    const h = await harness();
    await h.minutes(400, HEALTHY, async () => (await h.state()).candidatePercent === 25);
    await h.minutes(
      30,
      { ...HEALTHY, candidateErrorRate: 0.3 },
      async () => (await h.state()).status === 'rolled_back',
    );
    const state = await h.state();
    expect(state.status).toBe('rolled_back');
    expect(state.candidatePercent).toBe(0);
    const [rollback] = await h.controller.history(ROUTE, 1);
    expect(rollback.kind).toBe('rollback');
    expect([rollback.fromPercent, rollback.toPercent]).toEqual([25, 0]);
    const errors = rollback.check!.gates.find((g) => g.gate === 'errorRate')!;
    expect(errors.status).toBe('fail');
    expect(errors.lower!).toBeGreaterThan(0.05);
    expect(rollback.reason).toMatch(/3 consecutive failed checks \(rollback after 3\): back to 0%/);
    // Everyone is back on the baseline, and the rollout stays there by itself.
    expect(h.controller.assign(ROUTE, { user: 'anyone', requestId: 'r' })?.deployment).toBe(BASELINE);
    await h.minutes(30, HEALTHY);
    expect((await h.state()).candidatePercent).toBe(0);
  });

  it('rolls back on a quality loss measured from judged pairs', async () => {
    const h = await harness();
    await h.minutes(
      60,
      { ...HEALTHY, qualityShift: -0.15 },
      async () => (await h.state()).status === 'rolled_back',
    );
    const [rollback] = await h.controller.history(ROUTE, 1);
    expect(rollback.kind).toBe('rollback');
    const quality = rollback.check!.gates.find((g) => g.gate === 'quality')!;
    expect(quality.status).toBe('fail');
    expect(quality.upper!).toBeLessThan(-0.02);
    expect(quality.reason).toMatch(/upper bound below −0\.02, the candidate is worse than the margin allows/);
  });

  it("goes back one stage with rollback.to 'previous' when quality drops mid-rollout", async () => {
    const h = await harness(
      rolloutConfig({
        rollback: { to: 'previous', afterFailedChecks: 2 },
        gates: { quality: { margin: 0.02, minPairs: 100, window: 'stage' }, errorRate: { max: 0.05 } },
      }),
    );
    await h.minutes(400, HEALTHY, async () => (await h.state()).candidatePercent === 25);
    await h.minutes(
      120,
      { ...HEALTHY, qualityShift: -0.2 },
      async () => (await h.state()).status === 'rolled_back',
    );
    const [rollback] = await h.controller.history(ROUTE, 1);
    expect([rollback.kind, rollback.fromPercent, rollback.toPercent]).toEqual(['rollback', 25, 5]);
  });

  it('stays armed while paused: a paused rollout still rolls back', async () => {
    const h = await harness();
    await h.minutes(400, HEALTHY, async () => (await h.state()).candidatePercent === 5);
    await h.controller.pause(ROUTE);
    await h.minutes(30, HEALTHY);
    expect((await h.state()).candidatePercent).toBe(5);
    expect((await h.state()).lastCheck?.reasons).toContain('paused: resume to let it advance');
    await h.minutes(
      30,
      { ...HEALTHY, candidateErrorRate: 0.5 },
      async () => (await h.state()).status === 'rolled_back',
    );
    expect((await h.state()).status).toBe('rolled_back');
  });
});

describe('holding', () => {
  it('never promotes without quality evidence, and says so', async () => {
    const h = await harness();
    await h.minutes(60, { requests: 400 });
    const state = await h.state();
    expect(state.candidatePercent).toBe(1);
    expect(state.lastCheck?.decision).toBe('hold');
    expect(state.lastCheck?.reasons).toEqual(['quality inconclusive: no judged pairs yet']);
    expect(state.lastCheck?.gates.find((g) => g.gate === 'errorRate')?.status).toBe('pass');
  });

  it('holds while the quality bounds straddle the margin', async () => {
    // Mean difference right at −margin: neither provably fine nor provably worse.
    const h = await harness();
    await h.minutes(60, { ...HEALTHY, qualityShift: -0.02 });
    const state = await h.state();
    expect(state.candidatePercent).toBe(1);
    const quality = state.lastCheck!.gates.find((g) => g.gate === 'quality')!;
    expect(quality.status).toBe('inconclusive');
    expect(quality.lower!).toBeLessThan(-0.02);
    expect(quality.upper!).toBeGreaterThan(-0.02);
    expect(state.lastCheck!.reasons[0]).toMatch(
      /^quality inconclusive: .*the bounds straddle −0\.02, more pairs needed$/,
    );
  });

  it('holds until the stage has its dwell time and candidate requests', async () => {
    const h = await harness(rolloutConfig({ minDwellMinutes: 45, minRequests: 40 }));
    await h.minutes(30, HEALTHY);
    const reasons = (await h.state()).lastCheck!.reasons;
    expect(reasons).toEqual([expect.stringMatching(/^dwell 30 of 45 min in this stage$/)]);
    await h.minutes(20, HEALTHY);
    expect((await h.state()).candidatePercent).toBe(5);
  });

  it('judges latency and time to first token against their p95 thresholds', async () => {
    const h = await harness(
      rolloutConfig({
        gates: {
          quality: false,
          errorRate: { max: 0.05 },
          latency: { p95MaxMs: 1000 },
          ttft: { p95MaxMs: 500 },
        },
      }),
    );
    await h.minutes(
      30,
      { requests: 400, candidateLatencyMs: 3000 },
      async () => (await h.state()).status === 'rolled_back',
    );
    expect((await h.state()).status).toBe('rolled_back');
    const [rollback] = await h.controller.history(ROUTE, 1);
    const gates = rollback.check!.gates;
    const latency = gates.find((g) => g.gate === 'latency')!;
    expect(latency.status).toBe('fail');
    expect(latency.observedP95Ms!).toBeGreaterThan(1000);
    expect(latency.reason).toMatch(/: more than 5% are slower, the p95 is above 1,000 ms$/);
    expect(gates.find((g) => g.gate === 'ttft')?.status).not.toBe('fail');
  });
});

describe('state', () => {
  it('survives a restart: same stage, same stage clock, history kept, and carries on', async () => {
    const h = await harness();
    await h.minutes(400, HEALTHY, async () => (await h.state()).candidatePercent === 5);
    const before = await h.state();
    await h.close();
    const again = new RolloutHarness(h.config, h.dataDir);
    again.nowMs = h.nowMs + 5 * MINUTE;
    await again.open();
    harnesses.splice(harnesses.indexOf(h), 1, again);
    const after = await again.state();
    expect(after.candidatePercent).toBe(5);
    expect(after.stageStartedAtMs).toBe(before.stageStartedAtMs);
    expect(after.rolloutId).toBe(before.rolloutId);
    expect(await kinds(again)).toEqual(['start 0→1', 'advance 1→5']);
    // Judged pairs come from the shadow-pair store in production; here they are re-added.
    await again.minutes(400, HEALTHY, async () => (await again.state()).candidatePercent === 25);
    expect((await again.state()).candidatePercent).toBe(25);
  });

  it('starts over when the config names another candidate', async () => {
    const h = await harness();
    await h.minutes(400, HEALTHY, async () => (await h.state()).candidatePercent === 5);
    await h.close();
    const other = new RolloutHarness(rolloutConfig({ candidate: 'qwen-72b' }), h.dataDir);
    other.nowMs = h.nowMs;
    await other.open();
    harnesses.splice(harnesses.indexOf(h), 1, other);
    const state = await other.state();
    expect([state.candidate, state.candidatePercent, state.status]).toEqual(['qwen-72b', 1, 'running']);
    const [restart] = await other.controller.history(ROUTE, 1);
    expect(restart.kind).toBe('restart');
    expect(restart.reason).toBe(
      `config changed: ${BASELINE} → ${CANDIDATE} replaced by ${BASELINE} → qwen-72b`,
    );
  });

  it('lets only one of two replicas move the rollout when both check at once', async () => {
    const h = await harness();
    await h.minutes(9, HEALTHY);
    const { RolloutController } = await import('../../src/rollout/rollout-controller.js');
    const { RecordRolloutEvidence } = await import('../../src/rollout/record-rollout-evidence.js');
    const replica = new RolloutController({
      rollouts: [h.config],
      store: h.store,
      evidence: new RecordRolloutEvidence(h.records, h.quality),
      now: () => h.nowMs,
      log: () => {},
    });
    await replica.start();
    for (let i = 0; i < 20 && (await h.state()).candidatePercent === 1; i++) {
      await h.minute(HEALTHY);
      await replica.tick();
    }
    await Promise.all([h.controller.tick(), replica.tick()]);
    expect(await kinds(h)).toEqual(['start 0→1', 'advance 1→5']);
    expect(replica.share(ROUTE)?.candidatePercent).toBe(5);
  });
});

describe('by hand', () => {
  it('advances, pauses, resumes and rolls back, recording who and why', async () => {
    const h = await harness();
    const advanced = await h.controller.advance(ROUTE, 'looks good in the dashboards');
    expect([advanced.rollout.candidatePercent, advanced.transition.actor]).toEqual([5, 'admin']);
    await h.controller.pause(ROUTE);
    await expect(h.controller.pause(ROUTE)).rejects.toMatchObject({ status: 409, code: 'rollout_conflict' });
    await h.controller.resume(ROUTE);
    const back = await h.controller.rollback(ROUTE, { to: 'previous' });
    expect([back.rollout.candidatePercent, back.rollout.status]).toEqual([1, 'rolled_back']);
    await h.controller.resume(ROUTE);
    expect((await h.state()).status).toBe('running');
    expect(await kinds(h)).toEqual([
      'start 0→1',
      'advance 1→5',
      'pause 5→5',
      'resume 5→5',
      'rollback 5→1',
      'resume 1→1',
    ]);
    const manual = (await h.controller.history(ROUTE, 10)).find((t) => t.kind === 'advance');
    expect(manual?.reason).toBe('looks good in the dashboards');
  });

  it('refuses unknown routes with rollout_not_found', async () => {
    const h = await harness();
    const err = await h.controller.advance('billing').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GatewayError);
    expect((err as GatewayError).code).toBe('rollout_not_found');
  });
});

describe('dry run', () => {
  it('evaluates the gates and records what it would do without moving traffic', async () => {
    const h = await harness(rolloutConfig({ dryRun: true }));
    expect((await h.state()).candidatePercent).toBe(0);
    await h.minutes(60, HEALTHY);
    const state = await h.state();
    expect(state.candidatePercent).toBe(0);
    expect(state.lastCheck?.decision).toBe('advance');
    const history = await h.controller.history(ROUTE, 10);
    expect(history.map((t) => [t.kind, t.dryRun, t.fromPercent, t.toPercent])).toEqual([
      ['advance', true, 0, 1],
      ['start', false, 0, 0],
    ]);
    expect(history[0].reason).toMatch(/^dry run, traffic not moved: quality passed: on to 1%$/);
    expect(h.controller.assign(ROUTE, { user: 'u', requestId: 'r' })?.arm).toBe('baseline');
  });
});

function stripSeq<T extends { seq: number }>(t: T): Omit<T, 'seq'> {
  const { seq: _seq, ...rest } = t;
  return rest;
}

describe('quality bound across checks', () => {
  it('extends the bound with new pairs, and recomputes it when the source rewrote its list', async () => {
    const { RolloutController } = await import('../../src/rollout/rollout-controller.js');
    const { MemoryRolloutStore } = await import('../../src/rollout/memory-rollout-store.js');
    const { meanConfidenceSequence } = await import('../../src/rollout/mean-confidence-sequence.js');
    const none = { samples: 0, overLimit: 0, p95Ms: null };
    const arm = { requests: 0, errors: 0, latency: none, ttft: none };
    let pairs: number[] = [];
    let nowMs = Date.UTC(2026, 0, 1);
    const controller = new RolloutController({
      rollouts: [rolloutConfig({ gates: { quality: { margin: 0.02, minPairs: 1 }, errorRate: false } })],
      store: new MemoryRolloutStore(),
      evidence: { collect: async () => ({ baseline: arm, candidate: arm, qualityDifferences: pairs }) },
      now: () => nowMs,
      log: () => {},
    });
    await controller.start();
    const lowerAfterCheck = async () => {
      nowMs += MINUTE;
      const [check] = await controller.tick();
      return check.gates[0];
    };
    pairs = [0.25, -0.25, 0, 0.5];
    await lowerAfterCheck();
    pairs = [...pairs, -0.5, 0.25, 0];
    const extended = await lowerAfterCheck();
    const fresh = meanConfidenceSequence(pairs, { min: -1, max: 1 }, 0.05);
    expect([extended.samples, extended.lower, extended.upper]).toEqual([7, fresh.lower, fresh.upper]);
    pairs = [0.5, 0.5, 0.5];
    const rewritten = await lowerAfterCheck();
    const again = meanConfidenceSequence(pairs, { min: -1, max: 1 }, 0.05);
    expect([rewritten.samples, rewritten.lower, rewritten.upper]).toEqual([3, again.lower, again.upper]);
  });
});
