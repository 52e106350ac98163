import { compareWithBaselines, type RouterComparison } from './compare-with-baselines.js';
import { requestLength } from './labelled-data.js';
import { bootstrapApgrDifference, type Interval } from './routing-metrics.js';
import { calibrateLogit } from './score-request.js';
import {
  DEFAULT_CANDIDATES,
  logitsOnMatrix,
  matrixWithCueEncoding,
  trainSelectedRouter,
  type RouterCandidate,
  type Selection,
} from './select-router.js';
import { buildFeatureMatrix, type LabelledExample, type TrainOptions } from './train-router.js';

export interface HeldOutSource {
  source: string;
  rows: number;
  comparison: RouterComparison;
  /** Paired bootstrap of the router's APGR minus the length rule's on the same resampled rows. */
  apgrVsLength: Interval;
}

export interface HeldOutBenchmark {
  benchmark: string;
  /** The benchmarks whose rows trained this fold's router. */
  trainedOn: string[];
  trainingRows: number;
  selection: Selection;
  sources: HeldOutSource[];
}

export interface LoboOptions {
  /** Which rows may train a router (licence); every row may be evaluated on. */
  mayTrain: (example: LabelledExample) => boolean;
  benchmarks?: readonly string[];
  candidates?: readonly RouterCandidate[];
  train?: TrainOptions;
  resamples?: number;
  seed?: number;
  /** Called as each held-out benchmark starts, for progress lines. */
  onBenchmark?: (benchmark: string, trainingRows: number) => void;
}

/**
 * Leave one benchmark out: for each benchmark, a router is trained (hyper-parameters chosen by inner
 * cross-validation on the training rows only) on the trainable rows of every other benchmark, and
 * evaluated on all rows of the held-out one, source by source, beside random and length routing.
 */
export function leaveOneBenchmarkOut(
  examples: readonly LabelledExample[],
  options: LoboOptions,
): HeldOutBenchmark[] {
  const matrix = buildFeatureMatrix(examples, { lexicalScale: 1 });
  const benchmarks = options.benchmarks ?? [...new Set(examples.map((e) => e.benchmark ?? ''))];
  const resamples = options.resamples ?? 1000;
  const seed = options.seed ?? 1;
  // Held-out benchmarks that nothing trains on (evaluation-only files) leave the same training rows:
  // their router is chosen and fitted once.
  const fitted = new Map<string, ReturnType<typeof trainSelectedRouter>>();
  return benchmarks.map((benchmark) => {
    const train: number[] = [];
    const test: number[] = [];
    examples.forEach((e, i) => {
      if (e.benchmark === benchmark) test.push(i);
      else if (options.mayTrain(e)) train.push(i);
    });
    options.onBenchmark?.(benchmark, train.length);
    const key = train.join(',');
    let fit = fitted.get(key);
    if (!fit) {
      fit = trainSelectedRouter(
        matrix,
        examples,
        train,
        options.train,
        options.candidates ?? DEFAULT_CANDIDATES,
      );
      fitted.set(key, fit);
    }
    const { model, selection } = fit;
    const logits = logitsOnMatrix(
      model,
      matrixWithCueEncoding(matrix, examples, model.features.cueEncoding),
      test,
    );
    const scoreOf = new Map(test.map((r, i) => [r, calibrateLogit(model.logitKnots, logits[i])]));
    const sources = [...new Set(test.map((r) => examples[r].source ?? ''))].map((source) => {
      const rows = test.filter((r) => (examples[r].source ?? '') === source);
      const held = rows.map((r) => examples[r]);
      const scores = Float64Array.from(rows, (r) => scoreOf.get(r)!);
      const comparison = compareWithBaselines(held, scores, { resamples, seed });
      const apgrVsLength = bootstrapApgrDifference(
        scores,
        Float64Array.from(held, (e) => requestLength(e.input)),
        held.map((e) => e.strong),
        held.map((e) => e.weak),
        { resamples, seed },
      );
      return { source, rows: rows.length, comparison, apgrVsLength };
    });
    return {
      benchmark,
      trainedOn: [...new Set(train.map((r) => examples[r].benchmark ?? ''))],
      trainingRows: train.length,
      selection,
      sources,
    };
  });
}
