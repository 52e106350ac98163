import { stagePercent, type RolloutConfig } from './rollout-config.js';
import type { Decision, GateResult, RolloutState } from './rollout-state.js';

export interface CheckVerdict {
  decision: Decision;
  /** Why, in words with figures: every failing or inconclusive gate, unmet dwell or sample counts. */
  reasons: string[];
  consecutiveFailedChecks: number;
  /** Where `advance` and `rollback` move the rollout (a stage index; −1 is 0%). */
  toStage: number;
}

/**
 * The rollout's next move after one check. Pure, so the same evidence always gives the same answer.
 *
 * - Any failing gate counts a failed check; `rollback.afterFailedChecks` in a row roll back (to 0%,
 *   or to the stage before), whatever the status: pausing stops promotion, never protection.
 * - A check with no failing gate clears the count. It advances only when the rollout is running,
 *   every gate passes, the stage's dwell time is over and (with traffic) the candidate has served
 *   the stage's minimum requests. Anything short of that holds, and says what is missing.
 * - Advancing from the last stage completes the rollout.
 */
export function decideCheck(input: {
  config: RolloutConfig;
  state: RolloutState;
  gates: readonly GateResult[];
  candidateRequests: number;
  nowMs: number;
}): CheckVerdict {
  const { config, state, gates } = input;
  const here = state.stageIndex;
  const hold = (reasons: string[], failed = 0): CheckVerdict => ({
    decision: 'hold',
    reasons,
    consecutiveFailedChecks: failed,
    toStage: here,
  });

  const failing = gates.filter((g) => g.status === 'fail');
  if (failing.length > 0) {
    const failed = state.consecutiveFailedChecks + 1;
    const reasons = failing.map((g) => `${g.gate} failed: ${g.reason}`);
    if (here < 0 || state.status === 'rolled_back')
      return hold([...reasons, 'nothing to roll back: the candidate has no traffic'], failed);
    if (failed >= config.rollback.afterFailedChecks) {
      const toStage = config.rollback.to === 'zero' ? -1 : here - 1;
      return {
        decision: 'rollback',
        reasons: [
          ...reasons,
          `${failed} consecutive failed checks (rollback after ${config.rollback.afterFailedChecks}): back to ${stagePercent(config, toStage)}%`,
        ],
        consecutiveFailedChecks: failed,
        toStage,
      };
    }
    return hold(
      [...reasons, `failed check ${failed} of ${config.rollback.afterFailedChecks} before rollback`],
      failed,
    );
  }

  if (state.status === 'paused') return hold(['paused: resume to let it advance']);
  if (state.status === 'rolled_back') return hold(['rolled back: resume or advance by hand to continue']);
  if (state.status === 'completed') return hold(['completed']);

  const reasons = gates
    .filter((g) => g.status === 'inconclusive')
    .map((g) => `${g.gate} inconclusive: ${g.reason}`);
  if (here >= 0) {
    const stage = config.stages[Math.min(here, config.stages.length - 1)];
    const dwellMs = input.nowMs - state.stageStartedAtMs;
    if (dwellMs < stage.minDwellMs)
      reasons.push(`dwell ${minutes(dwellMs)} of ${minutes(stage.minDwellMs)} min in this stage`);
    if (stage.percent > 0 && input.candidateRequests < stage.minRequests)
      reasons.push(`${input.candidateRequests} of ${stage.minRequests} candidate requests in this stage`);
  }
  if (reasons.length > 0) return hold(reasons);

  const last = here >= config.stages.length - 1;
  const passed = gates.length ? gates.map((g) => `${g.gate} passed`).join(', ') : 'no gates configured';
  if (last) return { decision: 'complete', reasons: [passed], consecutiveFailedChecks: 0, toStage: here };
  return {
    decision: 'advance',
    reasons: [`${passed}: on to ${stagePercent(config, here + 1)}%`],
    consecutiveFailedChecks: 0,
    toStage: here + 1,
  };
}

const minutes = (ms: number) => (Math.floor(ms / 6_000) / 10).toString();
