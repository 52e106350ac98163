import { describe, expect, test } from 'vitest';
import { describeSaving, formatUsd, formatUsdCents } from '../../src/planner/format-usd.js';

describe('one money format', () => {
  test.each([
    [-1963.95, '-$1,964'],
    [15081.75, '$15,082'],
    [4.375, '$4.38'],
    [-52.43, '-$52.43'],
    [0.0035, '$0.0035'],
    [0, '$0'],
    [-0.00001, '$0'],
    [2_500_000_000, '$2,500,000,000'],
  ])('%d → %s', (usd, text) => expect(formatUsd(usd)).toBe(text));

  test.each([
    [-1963.954, '-$1,963.95'],
    [8730.8, '$8,730.80'],
    [0, '$0.00'],
    [0.0012, '$0.0012'],
    [-0.001, '-$0.0010'],
  ])('in formulas %d → %s', (usd, text) => expect(formatUsdCents(usd)).toBe(text));

  test('the sign always comes before the dollar sign', () => {
    for (const usd of [-0.5, -5, -500, -5e6]) {
      expect(formatUsd(usd)).toMatch(/^-\$/);
      expect(formatUsdCents(usd)).toMatch(/^-\$/);
    }
  });
});

describe('a saving in words', () => {
  test.each([
    [2617.87, 'saves $2,618/month'],
    [-9743.2, 'costs $9,743 more per month'],
    [0.00001, 'costs the same per month'],
  ])('%d → %s', (usd, text) => expect(describeSaving(usd)).toBe(text));

  test('with what it is compared to', () => {
    expect(describeSaving(-100, 'the API')).toBe('costs $100 more per month than the API');
    expect(describeSaving(100, 'the API')).toBe('saves $100/month against the API');
  });
});
