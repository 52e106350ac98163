import { describe, expect, it } from 'vitest';
import { parseRetryAfterMs } from '../../src/providers/upstream-failure.js';

describe('parseRetryAfterMs', () => {
  const now = Date.parse('2026-11-25T12:00:00Z');
  const cases: Array<[Record<string, string>, number | undefined]> = [
    [{ 'retry-after': '20' }, 20_000],
    [{ 'retry-after': '1.5' }, 1_500],
    [{ 'retry-after': '0' }, 0],
    [{ 'retry-after-ms': '250', 'retry-after': '1' }, 250],
    [{ 'retry-after-ms': 'soon', 'retry-after': '1' }, 1_000],
    [{ 'retry-after': 'Wed, 25 Nov 2026 12:00:30 GMT' }, 30_000],
    [{ 'retry-after': 'Wed, 25 Nov 2026 11:59:00 GMT' }, 0],
    [{ 'retry-after': 'later' }, undefined],
    [{ 'retry-after': '-3' }, undefined],
    [{}, undefined],
  ];
  for (const [headers, expected] of cases) {
    it(`reads ${JSON.stringify(headers)} as ${expected}`, () => {
      expect(parseRetryAfterMs(headers, now)).toBe(expected);
    });
  }
});
