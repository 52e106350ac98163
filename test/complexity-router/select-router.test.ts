import { describe, expect, it } from 'vitest';
import {
  buildFeatureMatrix,
  describeSelection,
  selectByInnerCv,
  trainSelectedRouter,
  type LabelledExample,
  type RouterCandidate,
} from '../../src/complexity-router/index.js';
import { syntheticExamples } from './synthetic-data.js';

const candidates: RouterCandidate[] = [
  { l2: 1e-3, kindPenalty: 1, prior: 0, lengthAnchor: 0, lexicalScale: 0, cueEncoding: 'count' },
  { l2: 1e-3, kindPenalty: 1, prior: 0, lengthAnchor: 0, lexicalScale: 1, cueEncoding: 'count' },
  { l2: 1e-3, kindPenalty: 1, prior: 0, lengthAnchor: 0, lexicalScale: 0, cueEncoding: 'presence' },
];

function labelled(benchmark: string, count: number, seed: number): LabelledExample[] {
  return syntheticExamples(count, seed).map((e) => ({ ...e, benchmark, source: benchmark }));
}

describe('hyper-parameters chosen by inner cross-validation', () => {
  it('leaves each training benchmark out in turn and keeps the candidate that ranks held-out rows best', () => {
    const examples = [...labelled('a', 120, 1), ...labelled('b', 120, 2), ...labelled('c', 120, 3)];
    const matrix = buildFeatureMatrix(examples, { hashBits: 12, lexicalScale: 1 });
    const rows = examples.map((_, i) => i);
    const selection = selectByInnerCv(matrix, examples, rows, { epochs: 40 }, candidates);
    expect(selection.method).toBe('leave-one-benchmark-out');
    expect(selection.splits).toEqual(['a', 'b', 'c']);
    expect(selection.scores).toHaveLength(3);
    for (const s of selection.scores) {
      expect(s.apgr).toHaveLength(3);
      // 40% of requests gain from the strong model: a perfect ranking has APGR 0.8.
      for (const a of s.apgr) expect(a).toBeGreaterThan(0.7);
      expect(s.meanApgr).toBeCloseTo((s.apgr[0] + s.apgr[1] + s.apgr[2]) / 3, 12);
    }
    const top = Math.max(...selection.scores.map((s) => s.meanApgr));
    expect(selection.scores.find((s) => s.candidate === selection.best)!.meanApgr).toBe(top);
    expect(selectByInnerCv(matrix, examples, rows, { epochs: 40 }, candidates)).toEqual(selection);
    expect(describeSelection(selection)).toMatch(
      /leave-one-benchmark-out.*a 0\.\d{3}, b 0\.\d{3}, c 0\.\d{3}/,
    );
  });

  it('splits within benchmarks when no two hold the same kind of request: leaving one out would only test the length rule', () => {
    const exam = labelled('exam', 120, 6).map((e, i) => ({
      ...e,
      input: `${e.input as string}\nA. yes\nB. no\nAnswer:`,
      group: `subject ${i % 8}`,
    }));
    const examples = [...labelled('chat', 120, 7), ...exam];
    const matrix = buildFeatureMatrix(examples, { hashBits: 12, lexicalScale: 0 });
    const rows = examples.map((_, i) => i);
    const selection = selectByInnerCv(matrix, examples, rows, { epochs: 40 }, candidates.slice(0, 1));
    expect(selection.method).toBe('5-fold by group or prompt');
    expect(selection.splits).toHaveLength(5);
  });

  it('falls back to 5 folds by prompt hash on a single benchmark, and never reads rows outside its set', () => {
    const examples = [...labelled('a', 150, 4), ...labelled('held-out', 50, 5)];
    const matrix = buildFeatureMatrix(examples, { hashBits: 12, lexicalScale: 1 });
    const rows = examples.flatMap((e, i) => (e.benchmark === 'a' ? [i] : []));
    const { model, selection } = trainSelectedRouter(matrix, examples, rows, { epochs: 40 }, candidates);
    expect(selection.method).toBe('5-fold');
    expect(selection.splits).toHaveLength(5);
    expect(model.metadata.examples).toBe(150);
    expect(model.metadata.selection).toMatch(/5-fold/);
    // The model keeps the cue encoding it was trained with, so scoring reads cues the same way.
    expect(model.metadata.selection).toContain(`cue words as ${model.features.cueEncoding}`);
  });
});
