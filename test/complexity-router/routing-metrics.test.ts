import { describe, expect, it } from 'vitest';
import {
  apgrOf,
  cptOf,
  evaluateRouting,
  routingCurve,
  routingFigures,
} from '../../src/complexity-router/index.js';

// Four requests. Ascending scores 0.1, 0.3, 0.7, 0.9; with 4 bins the quantile thresholds are
// 0.1, 0.25, 0.5, 0.75 and 0.9 (the last one strict), sending 4, 3, 2, 1 and 0 requests to strong.
// r_strong = 0.75, r_weak = 0.25. Mean quality by strong calls: 0 → 0.25, 1 → 0.5, 2 → 0.5,
// 3 → 0.75, 4 → 0.75, so PGR = 0, 0.5, 0.5, 1, 1 at shares 0, 0.25, 0.5, 0.75, 1.
const table = { scores: [0.9, 0.7, 0.3, 0.1], strong: [1, 1, 1, 0], weak: [0, 1, 0, 0] };

describe('RouteLLM routing metrics', () => {
  it('sweeps thresholds at score quantiles and reports PGR against the share of strong calls', () => {
    const curve = routingCurve(table, 4);
    expect(curve.map((p) => p.strongShare)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(curve.map((p) => p.pgr)).toEqual([0, 0.5, 0.5, 1, 1]);
    expect(curve.map((p) => p.threshold)).toEqual(
      [0.9, 0.75, 0.5, 0.25, 0.1].map((t) => expect.closeTo(t, 12)),
    );
  });

  it('computes APGR as the trapezoidal area under the PGR curve', () => {
    // 0.25 × (0 + 0.5) / 2 + 0.25 × 0.5 + 0.25 × (0.5 + 1) / 2 + 0.25 × 1 = 0.625
    expect(apgrOf(routingCurve(table, 4))).toBeCloseTo(0.625, 12);
  });

  it('computes CPT(x) as the first share of strong calls where PGR reaches x', () => {
    const curve = routingCurve(table, 4);
    expect(cptOf(curve, 0.5)).toBeCloseTo(0.25, 12);
    // Between (0.5, 0.5) and (0.75, 1): 0.5 + (0.8 − 0.5) / 0.5 × 0.25 = 0.65
    expect(cptOf(curve, 0.8)).toBeCloseTo(0.65, 12);
    const f = routingFigures(table, 4);
    expect(f).toMatchObject({ apgr: expect.closeTo(0.625, 12), cpt50: expect.closeTo(0.25, 12) });
    expect(f.strongQuality).toBe(0.75);
    expect(f.weakQuality).toBe(0.25);
  });

  it('cannot split tied scores: a router that scores everything alike is a straight line', () => {
    const tied = { scores: [0.5, 0.5, 0.5, 0.5], strong: [1, 1, 1, 0], weak: [0, 1, 0, 0] };
    const f = routingFigures(tied, 10);
    expect(f.apgr).toBeCloseTo(0.5, 12);
    expect(f.cpt50).toBeCloseTo(0.5, 12);
    expect(f.cpt80).toBeCloseTo(0.8, 12);
  });

  it('gives a perfect ranking more than a reversed one', () => {
    const gain = { strong: [1, 1, 1, 1, 0, 0], weak: [0, 0, 1, 1, 0, 1] };
    const perfect = routingFigures({ ...gain, scores: [1, 1, 0.5, 0.5, 0.5, 0] }, 10);
    const reversed = routingFigures({ ...gain, scores: [0, 0, 0.5, 0.5, 0.5, 1] }, 10);
    expect(perfect.apgr).toBeGreaterThan(0.9);
    expect(reversed.apgr).toBeLessThan(0.3);
    expect(perfect.cpt50).toBeLessThan(reversed.cpt50);
  });

  it('reports bootstrap intervals around the whole-table figures, the same for the same seed', () => {
    const n = 400;
    const scores = Array.from({ length: n }, (_, i) => i / n);
    const strong = scores.map(() => 1);
    const weak = scores.map((s, i) => (s > 0.6 || i % 7 === 0 ? 0 : 1));
    const a = evaluateRouting({ scores, strong, weak }, { resamples: 200, seed: 3 });
    const b = evaluateRouting({ scores, strong, weak }, { resamples: 200, seed: 3 });
    expect(a).toEqual(b);
    expect(a.rows).toBe(n);
    for (const k of ['apgr', 'cpt50', 'cpt80'] as const) {
      expect(a[k].low).toBeLessThanOrEqual(a[k].median);
      expect(a[k].median).toBeLessThanOrEqual(a[k].high);
      expect(a[k].high - a[k].low).toBeGreaterThan(0);
    }
    expect(a.apgr.value).toBeGreaterThan(a.apgr.low);
    expect(a.apgr.value).toBeLessThan(a.apgr.high);
  });
});
