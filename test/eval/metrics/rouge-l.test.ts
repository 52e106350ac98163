import { describe, expect, it } from 'vitest';
import { lcsLength, rougeL, rougeTokenize } from '../../../src/eval/metrics/rouge-l.js';
import { ROUGE_PREDICTIONS, ROUGE_TARGETS } from './published-vectors.js';

describe('ROUGE-L', () => {
  // rouge/rouge_scorer_test.py, testRougeLConsecutive and testRougeLNonConsecutive.
  it.each([
    ['testing one two', 'testing one'],
    ['testing one two', 'testing two'],
  ])('scores %j against %j as rouge-score does', (target, prediction) => {
    const r = rougeL(target, prediction);
    expect(r.precision).toBeCloseTo(1, 12);
    expect(r.recall).toBeCloseTo(2 / 3, 12);
    expect(r.fmeasure).toBeCloseTo(4 / 5, 12);
  });

  it('scores an empty prediction 0 (testRougeEmpty)', () => {
    expect(rougeL('testing one two', '')).toEqual({ precision: 0, recall: 0, fmeasure: 0 });
  });

  // rouge/rouge_scorer_test.py, testRougeLAgainstRouge155: ROUGE-1.5.5's own figures, 5 places.
  it.each([
    [0, 0.40741, 0.6875, 0.51163],
    [1, 0.40476, 0.65385, 0.5],
  ])('matches ROUGE-1.5.5 on test pair %i', (i, recall, precision, f) => {
    const r = rougeL(ROUGE_TARGETS[i], ROUGE_PREDICTIONS[i]);
    expect(r.recall).toBeCloseTo(recall, 5);
    expect(r.precision).toBeCloseTo(precision, 5);
    expect(r.fmeasure).toBeCloseTo(f, 5);
  });

  it('tokenizes as rouge-score: lowercase, anything outside [a-z0-9] separates', () => {
    expect(rougeTokenize("It's 3:30 — Café-time!")).toEqual(['it', 's', '3', '30', 'caf', 'time']);
  });

  it('finds the longest common subsequence (testLcsTable)', () => {
    expect(lcsLength(['1', '2', '3', '4', '5'], ['2', '5', '3', '4'])).toBe(3);
    expect(lcsLength(['1', '2'], ['8', '9'])).toBe(0);
  });
});
