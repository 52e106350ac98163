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
  const none = { samples: 0, overLimit: 0, p95Ms: null };
  const arm = { requests: 0, errors: 0, latency: none, ttft: none };
  const evidence = { baseline: arm, candidate: arm, qualityDifferences: [] };

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
      { ...evidence, candidate: { ...arm, requests: 2000, errors: 10 } },
      { live: true },
    );
    expect(errors.status).toBe('pass');
    expect(errors.reason).toMatch(
      /^0\.5% errors \(10 of 2,000\), bounds \[0\.11%, 1\.34%\]: upper bound below the 5% limit$/,
    );
  });

  it('judges a p95 by the share of requests over the limit, showing the observed p95', () => {
    const gates = evaluateGates(
      { ...CONFIG.gates, quality: null, errorRate: null, latency: { p95MaxMs: 2500, alpha: 0.05 } },
      {
        ...evidence,
        candidate: { ...arm, requests: 1000, latency: { samples: 1000, overLimit: 150, p95Ms: 4100 } },
      },
      { live: true },
    );
    expect(gates).toEqual([
      expect.objectContaining({
        gate: 'latency',
        status: 'fail',
        estimate: 0.15,
        observedP95Ms: 4100,
        reason: expect.stringMatching(
          /^p95 latency 4,100 ms over 1,000 requests; 15% slower than 2,500 ms, bounds \[[\d.]+%, [\d.]+%\]: more than 5% are slower, the p95 is above 2,500 ms$/,
        ),
      }),
    ]);
  });
});
