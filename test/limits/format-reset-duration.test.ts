import { describe, expect, it } from 'vitest';
import { formatResetDuration } from '../../src/limits/format-reset-duration.js';

describe('formatResetDuration', () => {
  it.each([
    [0, '0ms'],
    [20, '20ms'],
    [999.2, '1s'],
    [1000, '1s'],
    [1500, '1.5s'],
    [59_999, '59.999s'],
    [360_000, '6m0s'],
    [361_500, '6m1.5s'],
    [3_723_000, '1h2m3s'],
  ])('%s ms → %s', (ms, text) => {
    expect(formatResetDuration(ms)).toBe(text);
  });
});
