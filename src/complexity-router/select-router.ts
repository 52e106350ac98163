import { stableFold } from './stable-fold.js';
import { routingFigures } from './routing-metrics.js';
import type { RouterModel } from './router-model.js';
import type { FeatureConfig } from './request-features.js';
import {
  buildFeatureMatrix,
  trainRouterOnMatrix,
  type FeatureMatrix,
  type LabelledExample,
  type TrainOptions,
} from './train-router.js';
import { DENSE_COUNT } from './request-features.js';

/** The hyper-parameters inner cross-validation chooses between. */
export interface RouterCandidate {
  l2: number;
  /** See `TrainOptions.kindPenalty`. */
  kindPenalty: number;
  /** See `TrainOptions.prior`. */
  prior: number;
  /** See `TrainOptions.lengthAnchor`. */
  lengthAnchor: number;
  /** 0: dense features only; otherwise the weight of hashed words and word pairs. */
  lexicalScale: number;
  /** See `FeatureConfig.cueEncoding`. */
  cueEncoding: FeatureConfig['cueEncoding'];
}

/**
 * Dense features only: hashed words learn a benchmark's vocabulary, which inner leave-one-benchmark-
 * out validation did not reward when they were candidates, and they make each fit several times
 * slower. Cue words as counts only: presence won inner validation on MMLU and Arena-Bench by 0.009
 * APGR, within noise, but almost every request holds some quantity word, so presence erased that
 * family and ranked arithmetic word problems beside small talk, against the one thing known about
 * where a strong model's lead is largest. `router train --l2 X --lexical Y --cues presence` still
 * trains either. The length anchor runs from none (the features alone) to a fixed length weight
 * larger than any the shipped router learned (0.3 per standard deviation), which the fitted
 * weights add to.
 */
export const DEFAULT_CANDIDATES: readonly RouterCandidate[] = Object.freeze(
  [0.003, 0.03, 0.3].flatMap((l2) =>
    [0.3, 3].flatMap((kindPenalty) =>
      [0.05, 0.15].flatMap((prior) =>
        [0, 0.3].map((lengthAnchor) => ({
          l2,
          kindPenalty,
          prior,
          lengthAnchor,
          lexicalScale: 0,
          cueEncoding: 'count' as const,
        })),
      ),
    ),
  ),
);

const siblings = new WeakMap<FeatureMatrix, Map<string, FeatureMatrix>>();

/**
 * The same rows' features with another cue encoding, extracted once and cached beside `matrix`
 * (the candidates of one selection share it).
 */
export function matrixWithCueEncoding(
  matrix: FeatureMatrix,
  examples: readonly LabelledExample[],
  cueEncoding: FeatureConfig['cueEncoding'],
): FeatureMatrix {
  if (matrix.config.cueEncoding === cueEncoding) return matrix;
  let cache = siblings.get(matrix);
  if (!cache) siblings.set(matrix, (cache = new Map()));
  let sibling = cache.get(cueEncoding);
  if (!sibling)
    cache.set(cueEncoding, (sibling = buildFeatureMatrix(examples, { ...matrix.config, cueEncoding })));
  return sibling;
}

export interface CandidateScore {
  candidate: RouterCandidate;
  /** Mean over the validation splits of each split's APGR. */
  meanApgr: number;
  /** APGR per validation split, in `splits` order. */
  apgr: number[];
}

export interface Selection {
  best: RouterCandidate;
  /**
   * `leave-one-benchmark-out` when two training benchmarks or more hold the same kind of request
   * (multiple-choice or open); otherwise 5 folds, of whole groups (subjects) for a benchmark with
   * five groups or more and of prompts for the others: `5-fold by group` when every benchmark is
   * split by group, `5-fold` when none is, else `5-fold by group or prompt`.
   */
  method: 'leave-one-benchmark-out' | '5-fold by group' | '5-fold' | '5-fold by group or prompt';
  splits: string[];
  scores: CandidateScore[];
}

/** The raw logit of each listed row of a feature matrix, exactly as `scoreScratch` computes it. */
export function logitsOnMatrix(
  model: RouterModel,
  matrix: FeatureMatrix,
  rows: ArrayLike<number>,
): Float64Array {
  const D = DENSE_COUNT;
  const factor =
    matrix.config.lexicalScale > 0 ? model.features.lexicalScale / matrix.config.lexicalScale : 0;
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    const dw = matrix.choice[r] ? model.choiceDenseWeights : model.denseWeights;
    let z = model.bias;
    const index = model.denseIndex;
    for (let j = 0; j < index.length; j++) z += (matrix.dense[r * D + index[j]] - model.denseMean[j]) * dw[j];
    if (factor > 0)
      for (let k = matrix.rowStart[r]; k < matrix.rowStart[r + 1]; k++)
        z += model.hashedWeights[matrix.indices[k]] * matrix.values[k] * factor;
    out[i] = z;
  }
  return out;
}

/**
 * APGR of a model on some rows, averaged over their sources (a benchmark judged against two weak
 * models counts each pair once), so a split's figure does not depend on how many pairs it has.
 */
export function meanApgrBySource(
  model: RouterModel,
  matrix: FeatureMatrix,
  examples: readonly LabelledExample[],
  rows: ArrayLike<number>,
): number {
  const bySource = new Map<string, number[]>();
  for (let i = 0; i < rows.length; i++) {
    const key = examples[rows[i]].source ?? '';
    const list = bySource.get(key) ?? [];
    list.push(rows[i]);
    bySource.set(key, list);
  }
  let sum = 0;
  let counted = 0;
  for (const list of bySource.values()) {
    const strong = list.map((r) => examples[r].strong);
    const weak = list.map((r) => examples[r].weak);
    const gap = strong.reduce((a, b) => a + b, 0) - weak.reduce((a, b) => a + b, 0);
    if (gap === 0) continue;
    sum += routingFigures({ scores: logitsOnMatrix(model, matrix, list), strong, weak }).apgr;
    counted++;
  }
  return counted > 0 ? sum / counted : 0.5;
}

/**
 * Chooses hyper-parameters using only `rows` (the training rows): when they span several
 * benchmarks, each candidate is trained on all benchmarks but one and scored on the one left out,
 * which rewards what carries across domains; otherwise 5-fold cross-validation by prompt hash.
 * The best candidate has the highest mean APGR over the splits; ties go to the earlier candidate.
 */
export function selectByInnerCv(
  matrix: FeatureMatrix,
  examples: readonly LabelledExample[],
  rows: ArrayLike<number>,
  options: TrainOptions = {},
  candidates: readonly RouterCandidate[] = DEFAULT_CANDIDATES,
): Selection {
  const list = Array.from(rows);
  const benchmarkOf = (r: number): string => examples[r].benchmark ?? '';
  const benchmarks = [...new Set(list.map(benchmarkOf))];
  const groupsOf = new Map<string, Set<string>>();
  for (const r of list) {
    const set = groupsOf.get(benchmarkOf(r)) ?? new Set<string>();
    set.add(examples[r].group ?? '');
    groupsOf.set(benchmarkOf(r), set);
  }
  const byGroup = new Set(benchmarks.filter((b) => groupsOf.get(b)!.size >= 5));
  // A held-out benchmark whose kind of request no other training benchmark holds is ranked by the
  // length rule whatever the candidate (see MIN_KIND_ROWS): leaving it out measures nothing.
  const kindOf = new Map<string, number>();
  for (const r of list)
    kindOf.set(benchmarkOf(r), (kindOf.get(benchmarkOf(r)) ?? 0) + (matrix.choice[r] ? 1 : -1));
  const kinds = benchmarks.map((b) => kindOf.get(b)! > 0);
  const crossBenchmark = kinds.some((k, i) => kinds.indexOf(k) !== i);
  const method: Selection['method'] = crossBenchmark
    ? 'leave-one-benchmark-out'
    : byGroup.size === benchmarks.length
      ? '5-fold by group'
      : byGroup.size === 0
        ? '5-fold'
        : '5-fold by group or prompt';
  // Whole groups (subjects) per fold: what is learned must carry to subjects not seen in training.
  const keyOf = (r: number): string =>
    method === 'leave-one-benchmark-out'
      ? benchmarkOf(r)
      : `fold ${stableFold(byGroup.has(benchmarkOf(r)) ? (examples[r].group ?? '') : examples[r].input, 5)}`;
  const splits = method === 'leave-one-benchmark-out' ? benchmarks : [0, 1, 2, 3, 4].map((k) => `fold ${k}`);
  const scores = candidates.map((candidate) => {
    const apgr = splits.map((split) => {
      const train = list.filter((r) => keyOf(r) !== split);
      const test = list.filter((r) => keyOf(r) === split);
      // An empty side (few groups hashed into one fold) says nothing about the candidate.
      if (train.length < 2 || test.length === 0) return NaN;
      const m = matrixWithCueEncoding(matrix, examples, candidate.cueEncoding);
      const model = trainRouterOnMatrix(
        m,
        examples,
        {
          ...options,
          l2: candidate.l2,
          kindPenalty: candidate.kindPenalty,
          prior: candidate.prior,
          lengthAnchor: candidate.lengthAnchor,
          features: { ...options.features, lexicalScale: candidate.lexicalScale },
          quantileSteps: 2,
        },
        train,
      );
      return meanApgrBySource(model, m, examples, test);
    });
    const measured = apgr.filter((a) => !Number.isNaN(a));
    return { candidate, apgr, meanApgr: measured.reduce((a, b) => a + b, 0) / Math.max(1, measured.length) };
  });
  let best = scores[0];
  for (const s of scores) if (s.meanApgr > best.meanApgr) best = s;
  return {
    best: best.candidate,
    method,
    splits,
    scores,
  };
}

/** One line naming the choice and the evidence for it, for the model's metadata. */
export function describeSelection(selection: Selection): string {
  const best = selection.scores.find((s) => s.candidate === selection.best)!;
  const c = selection.best;
  return (
    `l2 ${c.l2}, kind penalty ${c.kindPenalty}, prior ${c.prior}, ` +
    `length anchor ${c.lengthAnchor}, ` +
    `lexical scale ${c.lexicalScale}, ` +
    `cue words as ${c.cueEncoding}, chosen from ` +
    `${selection.scores.length} candidates by inner ${selection.method} cross-validation on the training rows ` +
    `(mean APGR ${best.meanApgr.toFixed(3)}; ${selection.splits
      .map((s, i) => `${s} ${best.apgr[i].toFixed(3)}`)
      .join(', ')})`
  );
}

/** Chooses hyper-parameters by inner cross-validation, then trains on all `rows` with them. */
export function trainSelectedRouter(
  matrix: FeatureMatrix,
  examples: readonly LabelledExample[],
  rows: ArrayLike<number>,
  options: TrainOptions = {},
  candidates: readonly RouterCandidate[] = DEFAULT_CANDIDATES,
): { model: RouterModel; selection: Selection } {
  const selection = selectByInnerCv(matrix, examples, rows, options, candidates);
  const c = selection.best;
  const model = trainRouterOnMatrix(
    matrixWithCueEncoding(matrix, examples, c.cueEncoding),
    examples,
    {
      ...options,
      l2: c.l2,
      kindPenalty: c.kindPenalty,
      prior: c.prior,
      lengthAnchor: c.lengthAnchor,
      features: { ...options.features, lexicalScale: c.lexicalScale },
      selection: describeSelection(selection),
    },
    rows,
  );
  return { model, selection };
}
