import { describe, expect, it } from 'vitest';
import { logBeta, logGamma } from '../../src/rollout/log-gamma.js';
import {
  MeanConfidenceSequence,
  meanConfidenceSequence,
} from '../../src/rollout/mean-confidence-sequence.js';
import { proportionConfidenceSequence } from '../../src/rollout/proportion-confidence-sequence.js';
import { seededRandom as seeded } from '../../src/stats/seeded-random.js';

const PAIRED = { min: -1, max: 1 };

describe('logGamma', () => {
  it.each([
    [0.5, Math.log(Math.sqrt(Math.PI))],
    [1, 0],
    [2, 0],
    [10, Math.log(362_880)],
    [0.1, Math.log(9.513507698668732)], // Γ(0.1), Abramowitz & Stegun table 6.1
    [171, 706.5730622457874], // ln(170!)
  ])('ln Γ(%f)', (x, expected) => {
    expect(logGamma(x)).toBeCloseTo(expected, 10);
  });

  it('gives ln B(a, b) for integer arguments as factorials do', () => {
    // B(3, 4) = 2! 3! / 6! = 1/60
    expect(logBeta(3, 4)).toBeCloseTo(Math.log(1 / 60), 12);
  });
});

describe('proportionConfidenceSequence', () => {
  it('is the whole unit interval before any trial', () => {
    expect(proportionConfidenceSequence(0, 0, 0.05)).toEqual({ estimate: 0, lower: 0, upper: 1 });
  });

  it('brackets the observed share and narrows as trials accumulate', () => {
    const small = proportionConfidenceSequence(5, 100, 0.05);
    const large = proportionConfidenceSequence(50, 1000, 0.05);
    for (const b of [small, large]) {
      expect(b.lower).toBeLessThan(0.05);
      expect(b.upper).toBeGreaterThan(0.05);
    }
    expect(large.upper - large.lower).toBeLessThan((small.upper - small.lower) / 2);
  });

  it('is exact at the bounds: the mixture martingale equals 1/alpha there', () => {
    const { lower, upper } = proportionConfidenceSequence(7, 200, 0.05);
    const logM = (p: number) =>
      logBeta(0.5 + 7, 0.5 + 193) - logBeta(0.5, 0.5) - 7 * Math.log(p) - 193 * Math.log1p(-p);
    expect(logM(lower)).toBeCloseTo(Math.log(20), 6);
    expect(logM(upper)).toBeCloseTo(Math.log(20), 6);
  });

  it('covers the true rate at every look (every 5 trials) in at least 95% of runs (alpha 0.05)', () => {
    const random = seeded(7);
    const runs = 300;
    let missed = 0;
    for (let run = 0; run < runs; run++) {
      let failures = 0;
      for (let n = 1; n <= 1500; n++) {
        if (random() < 0.02) failures++;
        if (n % 5 !== 0) continue;
        const b = proportionConfidenceSequence(failures, n, 0.05);
        if (b.lower > 0.02 || b.upper < 0.02) {
          missed++;
          break;
        }
      }
    }
    expect(missed / runs).toBeLessThanOrEqual(0.05);
  });

  it('refuses impossible counts', () => {
    expect(() => proportionConfidenceSequence(3, 2, 0.05)).toThrow(RangeError);
    expect(() => proportionConfidenceSequence(1, 2, 0)).toThrow(RangeError);
  });
});

describe('meanConfidenceSequence', () => {
  it('is the whole range without values', () => {
    expect(meanConfidenceSequence([], PAIRED, 0.05)).toMatchObject({ lower: -1, upper: 1, samples: 0 });
  });

  it('collapses on a constant stream and never leaves the range', () => {
    const b = meanConfidenceSequence(new Array(5000).fill(0.25), PAIRED, 0.05);
    expect(b.estimate).toBe(0.25);
    expect(b.lower).toBeGreaterThan(0.2);
    expect(b.lower).toBeLessThanOrEqual(0.25);
    expect(b.upper).toBeGreaterThanOrEqual(0.25);
    expect(b.upper).toBeLessThan(0.3);
  });

  it('is mirror-symmetric: negating the values negates and swaps the bounds', () => {
    const random = seeded(3);
    const values = Array.from({ length: 300 }, () => random() * 1.6 - 0.9);
    const b = meanConfidenceSequence(values, PAIRED, 0.05);
    const m = meanConfidenceSequence(
      values.map((v) => -v),
      PAIRED,
      0.05,
    );
    expect(m.lower).toBeCloseTo(-b.upper, 12);
    expect(m.upper).toBeCloseTo(-b.lower, 12);
  });

  it('adapts to the variance: small differences give a much tighter bound than the range allows', () => {
    const random = seeded(11);
    const tight = Array.from({ length: 2000 }, () => (random() - 0.5) * 0.1);
    const wide = Array.from({ length: 2000 }, () => (random() < 0.5 ? -1 : 1));
    const t = meanConfidenceSequence(tight, PAIRED, 0.05);
    const w = meanConfidenceSequence(wide, PAIRED, 0.05);
    expect(t.upper - t.lower).toBeLessThan((w.upper - w.lower) / 5);
  });

  it('keeps the true mean inside at every look in at least 95% of runs, though checked every 20 pairs', () => {
    // Paired differences like a judge's: mostly ties, some wins and losses, a rare bad miss.
    // Mean: 0.26·(−0.5) + 0.49·0 + 0.24·0.5 + 0.01·(−1) = −0.02.
    const trueMean = -0.02;
    const random = seeded(19);
    const runs = 200;
    let missedLower = 0;
    let missedUpper = 0;
    for (let run = 0; run < runs; run++) {
      const values: number[] = [];
      let lowerMissed = false;
      let upperMissed = false;
      for (let n = 1; n <= 800; n++) {
        const u = random();
        values.push(u < 0.26 ? -0.5 : u < 0.75 ? 0 : u < 0.99 ? 0.5 : -1);
        if (n % 20 !== 0) continue;
        const b = meanConfidenceSequence(values, PAIRED, 0.05);
        if (b.lower > trueMean) lowerMissed = true;
        if (b.upper < trueMean) upperMissed = true;
      }
      if (lowerMissed) missedLower++;
      if (upperMissed) missedUpper++;
    }
    expect(missedLower / runs).toBeLessThanOrEqual(0.05);
    expect(missedUpper / runs).toBeLessThanOrEqual(0.05);
  });

  it('gives the same bounds whether the values arrive at once or a few at a time', () => {
    const random = seeded(5);
    const values = Array.from({ length: 700 }, () => random() * 2 - 1);
    const sequence = new MeanConfidenceSequence(PAIRED, 0.05);
    for (const v of values.slice(0, 300)) sequence.push(v);
    const early = sequence.bounds();
    for (const v of values.slice(300)) sequence.push(v);
    expect(early).toEqual(meanConfidenceSequence(values.slice(0, 300), PAIRED, 0.05));
    expect(sequence.bounds()).toEqual(meanConfidenceSequence(values, PAIRED, 0.05));
  });

  it('refuses values outside the range', () => {
    expect(() => meanConfidenceSequence([0.5, 1.5], PAIRED, 0.05)).toThrow(/outside/);
  });
});
