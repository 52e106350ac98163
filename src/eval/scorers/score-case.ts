import type { EvalCase } from '../case/eval-case.js';
import type { ModelOutput } from '../output/model-output.js';
import { referenceFromBaseline, referenceFromExpected } from './reference.js';
import type { Reference, Score, Scorer, ScorerContext } from './scorer.js';

export interface CallFailure {
  status: number | null;
  code: string | null;
  message: string;
}

/** What a model call came to: an answer, or the error that ended it after its retries. */
export type CallOutcome = { ok: true; output: ModelOutput } | { ok: false; error: CallFailure };

/** `pair` scores belong to neither model: they compare the two. */
export type ScoreRole = 'baseline' | 'candidate' | 'pair';

export interface RoleScore {
  role: ScoreRole;
  /** What the answer was compared with: the case's expected answer, the baseline's, or nothing. */
  reference: Reference['source'] | null;
  score: Score;
}

const failed = (error: CallFailure): Score => ({
  value: 0,
  explanation:
    `the call failed: ${[error.status, error.code].filter((x) => x !== null).join(' ')} ${error.message}`.trim(),
});

/** The roles a scorer produces scores for on a case (what a finished case has stored). */
export function rolesToScore(scorer: Scorer, c: EvalCase): ScoreRole[] {
  if (scorer.needs === 'pair') return ['pair'];
  if (scorer.needs === 'reference' && c.expected === undefined) return ['candidate'];
  return ['baseline', 'candidate'];
}

/**
 * Scores one case with one scorer, for whichever roles its needs call for (see ScorerNeeds). A
 * model whose call failed scores 0: an error is as bad an answer as a wrong one, and hiding it
 * would flatter the model that fails more. `skip` names roles already scored (a resumed run).
 */
export async function scoreCase(
  scorer: Scorer,
  c: EvalCase,
  outcomes: { baseline: CallOutcome; candidate: CallOutcome },
  context: (role: ScoreRole) => ScorerContext,
  skip: ReadonlySet<ScoreRole> = new Set(),
): Promise<RoleScore[]> {
  const out: RoleScore[] = [];
  const scoreRole = async (
    role: 'baseline' | 'candidate',
    reference: Reference | undefined,
  ): Promise<void> => {
    if (skip.has(role)) return;
    const outcome = outcomes[role];
    const score = outcome.ok
      ? await scorer.score({ case: c, output: outcome.output, reference }, context(role))
      : failed(outcome.error);
    out.push({ role, reference: reference?.source ?? null, score });
  };

  if (scorer.needs === 'output') {
    await scoreRole('baseline', undefined);
    await scoreRole('candidate', undefined);
  } else if (scorer.needs === 'reference') {
    const expected = referenceFromExpected(c);
    if (expected) {
      await scoreRole('baseline', expected);
      await scoreRole('candidate', expected);
    } else if (outcomes.baseline.ok) {
      await scoreRole('candidate', referenceFromBaseline(outcomes.baseline.output));
    } else if (!skip.has('candidate')) {
      out.push({
        role: 'candidate',
        reference: null,
        score: {
          value: null,
          explanation: 'no reference: the case has no expected answer and the baseline call failed',
        },
      });
    }
  } else if (!skip.has('pair')) {
    const { baseline, candidate } = outcomes;
    let score: Score;
    if (baseline.ok && candidate.ok)
      score = await scorer.score(
        { case: c, output: candidate.output, baseline: baseline.output },
        context('pair'),
      );
    else if (baseline.ok) score = { ...failed((candidate as { error: CallFailure }).error), value: 0 };
    else if (candidate.ok) score = { value: 1, explanation: 'the baseline call failed' };
    else score = { value: null, explanation: 'both calls failed' };
    out.push({ role: 'pair', reference: null, score });
  }
  return out;
}
