import { describe, expect, it } from 'vitest';
import { decideCheck } from '../../src/rollout/decide-check.js';
import { evaluateGates } from '../../src/rollout/evaluate-gates.js';
import type { GateResult, RolloutState } from '../../src/rollout/rollout-state.js';
import { MINUTE, T0, rolloutConfig } from './rollout-harness.js';

const CONFIG = rolloutConfig({ minDwellMinutes: 10, minRequests: 40 });
const STATE: RolloutState = {
  route: 'support',
  rolloutId: 'r',
  baseline: 'gpt-4o',
  candidate: 'llama-70b',
  status: 'running',
  stageIndex: 1,
  startedAtMs: T0,
  stageStartedAtMs: T0,
  consecutiveFailedChecks: 0,
  lastCheck: null,
  version: 1,
};

const gate = (status: GateResult['status'], name: GateResult['gate'] = 'quality'): GateResult => ({
  gate: name,
  status,
  samples: 1,
  estimate: 0,
  lower: 0,
  upper: 0,
  limit: 0,
  alpha: 0.05,
  reason: `${name} is ${status}`,
});

const decide = (over: Partial<RolloutState>, gates: GateResult[], minutes = 15, requests = 100) =>
  decideCheck({
    config: CONFIG,
    state: { ...STATE, ...over },
    gates,
    candidateRequests: requests,
    nowMs: T0 + minutes * MINUTE,
  });

describe('decideCheck', () => {
  it.each([
    [
      'every gate passes after the dwell',
      {},
      [gate('pass'), gate('pass', 'errorRate')],
      15,
      100,
      'advance',
      2,
    ],
    ['a gate is inconclusive', {}, [gate('pass'), gate('inconclusive', 'errorRate')], 15, 100, 'hold', 1],
    ['the dwell is not over', {}, [gate('pass')], 9, 100, 'hold', 1],
    ['too few candidate requests', {}, [gate('pass')], 15, 39, 'hold', 1],
    ['paused', { status: 'paused' as const }, [gate('pass')], 15, 100, 'hold', 1],
    ['rolled back', { status: 'rolled_back' as const }, [gate('pass')], 15, 100, 'hold', 1],
    ['the last stage passes', { stageIndex: 4 }, [gate('pass')], 15, 100, 'complete', 4],
    ['a first failure', {}, [gate('fail')], 15, 100, 'hold', 1],
    ['the third failure in a row', { consecutiveFailedChecks: 2 }, [gate('fail')], 15, 100, 'rollback', -1],
    [
      'the third failure while paused',
      { consecutiveFailedChecks: 2, status: 'paused' as const },
      [gate('fail')],
      1,
      0,
      'rollback',
      -1,
    ],
    [
      'a failure with nothing to roll back',
      { stageIndex: -1, consecutiveFailedChecks: 5 },
      [gate('fail')],
      15,
      100,
      'hold',
      -1,
    ],
  ] as const)('%s: %s', (_what, over, gates, minutes, requests, decision, toStage) => {
    const verdict = decide(over, [...gates], minutes, requests);
    expect([verdict.decision, verdict.toStage]).toEqual([decision, toStage]);
  });

  it('says what holds it', () => {
    expect(decide({}, [gate('inconclusive')], 4, 12).reasons).toEqual([
      'quality inconclusive: quality is inconclusive',
      'dwell 4 of 10 min in this stage',
      '12 of 40 candidate requests in this stage',
    ]);
  });

  it('counts failed checks and clears the count on a check without failures', () => {
    expect(decide({ consecutiveFailedChecks: 1 }, [gate('fail')]).consecutiveFailedChecks).toBe(2);
    expect(decide({ consecutiveFailedChecks: 2 }, [gate('inconclusive')]).consecutiveFailedChecks).toBe(0);
  });
});

describe('evaluateGates', () => {
  const evidence = {
    baseline: { requests: 0, errors: 0, latencyMs: [], ttftMs: [] },
    candidate: { requests: 0, errors: 0, latencyMs: [], ttftMs: [] },
    qualityDifferences: [],
  };

  it('judges only the quality gate at 0%, where the candidate serves nothing', () => {
    expect(evaluateGates(CONFIG.gates, evidence, { live: false }).map((g) => g.gate)).toEqual(['quality']);
  });

  it('calls every gate without data inconclusive, never passed', () => {
    const gates = evaluateGates(
      { ...CONFIG.gates, latency: { p95MaxMs: 1000, alpha: 0.05 }, ttft: { p95MaxMs: 300, alpha: 0.05 } },
      evidence,
      { live: true },
    );
    expect(gates.map((g) => [g.gate, g.status, g.reason])).toEqual([
      ['quality', 'inconclusive', 'no judged pairs yet'],
      ['errorRate', 'inconclusive', 'no candidate requests in this stage yet'],
      ['latency', 'inconclusive', 'no successful candidate requests in this stage yet'],
      ['ttft', 'inconclusive', 'no streamed candidate requests in this stage yet'],
    ]);
  });

  it('passes errors with the bound that shows it', () => {
    const [, errors] = evaluateGates(
      CONFIG.gates,
      { ...evidence, candidate: { requests: 2000, errors: 10, latencyMs: [], ttftMs: [] } },
      { live: true },
    );
    expect(errors.status).toBe('pass');
    expect(errors.reason).toMatch(
      /^0\.5% errors \(10 of 2,000\), bounds \[0\.11%, 1\.34%\]: upper bound below the 5% limit$/,
    );
  });
});
