import type { RoleScore } from '../eval/scorers/score-case.js';

/**
 * One pair's scores as the candidate's difference from the baseline, in [-1, 1], the quantity
 * rollout quality gates bound: a pairwise verdict v (1 candidate better, 0.5 tie) gives 2v - 1; two
 * answers scored on their own give candidate - baseline; the candidate's agreement a with the
 * baseline's answer gives a - 1 (the baseline agrees with itself). Null when nothing was scored.
 */
export function pairDifference(scores: readonly RoleScore[]): number | null {
  const value = (role: RoleScore['role']) => scores.find((s) => s.role === role)?.score.value ?? null;
  const pair = value('pair');
  if (pair !== null) return 2 * pair - 1;
  const candidate = value('candidate');
  if (candidate === null) return null;
  const baseline = value('baseline');
  if (baseline !== null) return candidate - baseline;
  return candidate - 1;
}
