import { describe, expect, it } from 'vitest';
import { bootstrapMean, mean, pairedDifference, quantileSorted } from '../../src/stats/index.js';
import { bernoulliSample, normalSample } from './normal-sample.js';

describe('quantileSorted', () => {
  it('interpolates between order statistics as R type 7 and NumPy do', () => {
    // numpy.quantile([1, 2, 3, 4], [0.25, 0.5, 0.975]) = [1.75, 2.5, 3.925]
    expect(quantileSorted([1, 2, 3, 4], 0.25)).toBeCloseTo(1.75, 12);
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBeCloseTo(2.5, 12);
    expect(quantileSorted([1, 2, 3, 4], 0.975)).toBeCloseTo(3.925, 12);
    expect(quantileSorted([7], 0.3)).toBe(7);
  });
});

describe('bootstrapMean', () => {
  it('repeats exactly for a seed and moves a little with another', () => {
    const values = normalSample(150, 3, 0.6, 0.2);
    const a = bootstrapMean(values, { seed: 7 });
    const b = bootstrapMean(values, { seed: 7 });
    const c = bootstrapMean(values, { seed: 8 });
    expect(b).toEqual(a);
    expect(c.low).not.toBe(a.low);
    expect(Math.abs(c.low - a.low)).toBeLessThan(0.01);
    expect(a.estimate).toBeCloseTo(mean(values), 12);
    expect(a).toMatchObject({ n: 150, resamples: 10_000, confidence: 0.95, method: 'percentile bootstrap' });
  });

  it('gives a degenerate interval for a constant sample', () => {
    expect(bootstrapMean([0.5, 0.5, 0.5])).toMatchObject({ estimate: 0.5, low: 0.5, high: 0.5 });
  });

  it('matches the normal-theory width on a large normal sample', () => {
    const values = normalSample(400, 11, 10, 2);
    const m = mean(values);
    const sd = Math.sqrt(values.reduce((s, v) => s + (v - m) ** 2, 0) / (values.length - 1));
    const halfWidth = (1.959964 * sd) / Math.sqrt(values.length);
    const ci = bootstrapMean(values);
    expect((ci.high - ci.low) / 2).toBeGreaterThan(halfWidth * 0.93);
    expect((ci.high - ci.low) / 2).toBeLessThan(halfWidth * 1.07);
    expect((ci.high + ci.low) / 2).toBeCloseTo(m, 1);
  });

  it('covers the true mean of a Bernoulli(0.3) about 95% of the time', () => {
    let covered = 0;
    const trials = 300;
    for (let t = 0; t < trials; t++) {
      const ci = bootstrapMean(bernoulliSample(200, 0.3, 1000 + t), { resamples: 1000, seed: t });
      if (ci.low <= 0.3 && 0.3 <= ci.high) covered++;
    }
    // Binomial(300, 0.95) puts 99.9% of its mass within ±4 sd (±15 cases) of 285.
    expect(covered / trials).toBeGreaterThan(0.9);
    expect(covered / trials).toBeLessThan(0.99);
  });

  it('refuses an empty sample and nonsense options', () => {
    expect(() => bootstrapMean([])).toThrow(/empty/);
    expect(() => bootstrapMean([1], { confidence: 1 })).toThrow(/confidence/);
    expect(() => bootstrapMean([1], { resamples: 0 })).toThrow(/resamples/);
  });
});

describe('pairedDifference', () => {
  it('keeps the correlation between models: the difference is far tighter than either mean', () => {
    // Both models find the same cases hard; the candidate is 0.05 better on every case, ±0.01.
    const difficulty = normalSample(200, 5, 0.6, 0.2);
    const noise = normalSample(200, 6, 0, 0.01);
    const baseline = difficulty;
    const candidate = difficulty.map((d, i) => d + 0.05 + noise[i]);
    const result = pairedDifference(baseline, candidate);
    expect(result.n).toBe(200);
    expect(result.difference.estimate).toBeCloseTo(0.05, 2);
    expect(result.difference.low).toBeGreaterThan(0.045);
    expect(result.difference.high).toBeLessThan(0.055);
    // Unpaired intervals overlap almost entirely: they could not tell these models apart.
    expect(result.baseline.high).toBeGreaterThan(result.candidate.low);
    expect(result.difference.high - result.difference.low).toBeLessThan(
      (result.baseline.high - result.baseline.low) / 5,
    );
  });

  it('takes candidate minus baseline, case by case', () => {
    const result = pairedDifference([1, 0, 1, 1], [1, 1, 1, 0]);
    expect(result.baseline.estimate).toBe(0.75);
    expect(result.candidate.estimate).toBe(0.75);
    expect(result.difference.estimate).toBe(0);
    expect(() => pairedDifference([1, 0], [1])).toThrow(/differ in length/);
  });
});
