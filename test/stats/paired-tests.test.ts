import { describe, expect, it } from 'vitest';
import {
  binomialHalfCdf,
  comparePaired,
  normalCdf,
  pairedPermutationTest,
  signTest,
  wilcoxonSignedRank,
  winTieLoss,
} from '../../src/stats/index.js';
import { normalSample } from './normal-sample.js';

// Darwin's Zea mays: height differences (eighths of an inch) between cross- and self-fertilised
// plants in 15 pairs, as analysed by Fisher (1935, The Design of Experiments, §17 and §21) and in
// the scipy.stats.wilcoxon documentation (https://docs.scipy.org/doc/scipy/reference/generated/
// scipy.stats.wilcoxon.html, "Examples").
const DARWIN = [6, 8, 14, 16, 23, 24, 28, 29, 41, -48, 49, 56, 60, -67, 75];

describe('wilcoxonSignedRank', () => {
  it('reproduces the exact p-values of the SciPy documentation example', () => {
    expect(wilcoxonSignedRank(DARWIN)).toMatchObject({
      statistic: 24,
      pValue: 0.041259765625,
      method: 'exact',
    });
    expect(wilcoxonSignedRank(DARWIN, { alternative: 'greater' })).toMatchObject({
      statistic: 96,
      pValue: 0.0206298828125,
    });
  });

  it('reproduces its normal approximation', () => {
    const approx = wilcoxonSignedRank(DARWIN, { exactUpTo: 0 });
    expect(approx.method).toBe('normal approximation');
    expect(approx.statistic).toBe(24);
    expect(approx.pValue).toBeCloseTo(0.04088813291185591, 6);
  });

  it('drops zeros and uses average ranks with the tie-corrected variance', () => {
    // |d| = 1, 1, 2, 3 (one zero dropped): ranks 1.5, 1.5, 3, 4; W+ = 1.5 + 3 + 4 = 8.5, W- = 1.5.
    // Var = 4·5·9/24 − (2³ − 2)/48 = 7.5 − 0.125 = 7.375; z = (8.5 − 5) / √7.375.
    const r = wilcoxonSignedRank([1, -1, 0, 2, 3]);
    expect(r).toMatchObject({ n: 4, zeros: 1, wPlus: 8.5, wMinus: 1.5, method: 'normal approximation' });
    const z = 3.5 / Math.sqrt(7.375);
    expect(r.z).toBeCloseTo(z, 12);
    expect(r.pValue).toBeCloseTo(2 * (1 - normalCdf(z)), 6);
  });

  it('says p = 1 when every difference is zero', () => {
    expect(wilcoxonSignedRank([0, 0, 0])).toMatchObject({ n: 0, zeros: 3, pValue: 1 });
  });
});

describe('pairedPermutationTest', () => {
  it("finds Fisher's 1,726 of 32,768 sign arrangements at least as extreme as Darwin's", () => {
    const r = pairedPermutationTest(DARWIN);
    expect(r.method).toBe('exact paired permutation');
    expect(r.pValue * 2 ** 15).toBe(1726);
    expect(r.meanDifference).toBeCloseTo(314 / 15, 12);
    expect(pairedPermutationTest(DARWIN, { alternative: 'greater' }).pValue * 2 ** 15).toBe(863);
  });

  it('agrees with the exact answer when it samples sign patterns instead', () => {
    const exact = pairedPermutationTest(DARWIN).pValue;
    const sampled = pairedPermutationTest(DARWIN, { exactUpTo: 0, resamples: 40_000, seed: 3 });
    expect(sampled.method).toBe('Monte Carlo paired permutation');
    expect(Math.abs(sampled.pValue - exact)).toBeLessThan(0.006);
  });

  it('rejects a true null about 5% of the time and a real shift almost always', () => {
    const trials = 400;
    let nullRejections = 0;
    let shiftRejections = 0;
    for (let t = 0; t < trials; t++) {
      const noise = normalSample(40, 500 + t);
      if (pairedPermutationTest(noise, { resamples: 999, seed: t }).pValue <= 0.05) nullRejections++;
      const shifted = noise.map((d) => d + 0.6);
      if (pairedPermutationTest(shifted, { resamples: 999, seed: t }).pValue <= 0.05) shiftRejections++;
    }
    expect(nullRejections / trials).toBeGreaterThan(0.02);
    expect(nullRejections / trials).toBeLessThan(0.085);
    // A 0.6 sd shift with 40 pairs: a t-test has about 95% power.
    expect(shiftRejections / trials).toBeGreaterThan(0.88);
  });

  it('never reports p = 0 from sampled patterns', () => {
    const r = pairedPermutationTest(
      Array.from({ length: 60 }, () => 1),
      { resamples: 99 },
    );
    expect(r.pValue).toBeCloseTo(1 / 100, 12);
  });
});

describe('signTest', () => {
  it('is the exact binomial: 10 wins, 2 losses', () => {
    // P(X ≤ 2 | n = 12, p = 1/2) = (1 + 12 + 66) / 4096 = 79 / 4096.
    expect(binomialHalfCdf(2, 12)).toBeCloseTo(79 / 4096, 14);
    expect(signTest({ wins: 10, losses: 2, ties: 5 })).toMatchObject({
      wins: 10,
      losses: 2,
      ties: 5,
      pValue: expect.closeTo(158 / 4096, 12),
    });
    expect(signTest({ wins: 10, losses: 2 }, 'greater').pValue).toBeCloseTo(79 / 4096, 12);
    expect(signTest({ wins: 10, losses: 2 }, 'less').pValue).toBeCloseTo(1 - 13 / 4096, 12); // P(X ≤ 10)
    expect(signTest({ wins: 0, losses: 0, ties: 9 }).pValue).toBe(1);
  });
});

describe('winTieLoss and comparePaired', () => {
  it('counts from the candidate side and treats rounding noise as a tie', () => {
    expect(winTieLoss([0.1 + 0.2, 1, 0], [0.3, 0, 1])).toEqual({ wins: 1, ties: 1, losses: 1 });
  });

  it('puts means, the paired interval and the paired tests together', () => {
    const baseline = [1, 1, 0, 1, 0, 1, 1, 0, 1, 1];
    const candidate = [1, 0, 0, 0, 0, 1, 0, 0, 1, 0];
    const r = comparePaired(baseline, candidate);
    expect(r.baseline.estimate).toBe(0.7);
    expect(r.candidate.estimate).toBe(0.3);
    expect(r.difference.estimate).toBeCloseTo(-0.4, 12);
    expect(r.difference.high).toBeLessThan(0);
    expect(r.winTieLoss).toEqual({ wins: 0, ties: 6, losses: 4 });
    // Four losses, no wins: the sign test's two-sided p is 2 / 2^4.
    expect(r.signTest.pValue).toBeCloseTo(0.125, 12);
    // Four differences of −1 among ten: only the all-negative and all-positive patterns of those
    // four are as extreme, 2 of 16.
    expect(r.permutation.pValue).toBeCloseTo(0.125, 12);
  });
});
