import { describe, expect, it } from 'vitest';
import {
  calibrateLogit,
  calibrationTable,
  formatCalibrationTable,
  scoreRequest,
  thresholdForStrongShare,
  trainRouter,
} from '../../src/complexity-router/index.js';
import { syntheticExamples } from './synthetic-data.js';

describe('score calibration', () => {
  it('maps a logit to its position among the reference logits, inside (0, 1) and strictly increasing', () => {
    const knots = Float64Array.from([-2, -1, 0, 1, 2]);
    expect(calibrateLogit(knots, 0)).toBeCloseTo(0.5, 12);
    // A quarter of the way through the reference, squeezed into [0.01, 0.99].
    expect(calibrateLogit(knots, -1)).toBeCloseTo(0.01 + 0.98 * 0.25, 12);
    const zs = [-20, -3, -2, -1.5, 0.3, 2, 2.5, 20];
    const scores = zs.map((z) => calibrateLogit(knots, z));
    for (let i = 1; i < scores.length; i++) expect(scores[i]).toBeGreaterThan(scores[i - 1]);
    expect(scores[0]).toBeGreaterThan(0);
    expect(scores[scores.length - 1]).toBeLessThan(1);
    expect(calibrateLogit(knots, 1e6)).toBeLessThanOrEqual(1);
    expect(calibrateLogit(knots, -1e6)).toBeGreaterThanOrEqual(0);
  });

  it('spreads a trained router over the whole range and sets thresholds by strong-call share', () => {
    const train = [
      ...syntheticExamples(200, 3).map((e) => ({ ...e, source: 'exam' })),
      ...syntheticExamples(100, 4).map((e) => ({
        ...e,
        source: 'chat',
        strong: e.strong * 9 + 1,
        weak: e.weak * 9 + 1,
      })),
    ];
    const model = trainRouter(train, { epochs: 60, l2: 1e-3, features: { hashBits: 12, lexicalScale: 0 } });
    const scores = train.map((e) => scoreRequest(model, e.input));
    expect(Math.min(...scores)).toBeLessThan(0.2);
    expect(Math.max(...scores)).toBeGreaterThan(0.8);
    // Each source weighs the same in the reference mix, so a threshold for 40% strong calls
    // sends about 40% of each source's weight to strong.
    const t = thresholdForStrongShare(model, 0.4);
    const share = (source: string) => {
      const s = train.filter((e) => e.source === source).map((e) => scoreRequest(model, e.input));
      return s.filter((x) => x >= t).length / s.length;
    };
    expect((share('exam') + share('chat')) / 2).toBeCloseTo(0.4, 1);
  });

  it('tabulates score bands with how often the strong model was better in each', () => {
    const bands = calibrationTable([0.05, 0.15, 0.92, 0.97, 1], [1, 1, 1, 1, 8], [1, 0, 0, 0, 2], 10);
    expect(bands).toHaveLength(10);
    expect(bands[0]).toMatchObject({ rows: 1, strongBetter: 0, meanGain: 0 });
    expect(bands[1]).toMatchObject({ rows: 1, strongBetter: 1, meanGain: 1 });
    // 1.0 falls in the last, closed band.
    expect(bands[9]).toMatchObject({ rows: 3, strongBetter: 1, meanGain: (1 + 1 + 6) / 3 });
    const text = formatCalibrationTable(bands);
    expect(text).toMatch(/score band/);
    expect(text).toMatch(/^0\.9-1\.0\s+3\s+60\.0%/m);
    expect(text).not.toMatch(/^0\.5-0\.6/m);
  });
});
