import type { Scorer } from './scorer.js';

// A number as people write one: sign, thousands separators, decimals, exponent.
const NUMBER = /[-+−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][-+]?\d+)?|[-+−]?\.\d+/g;

/**
 * The final answer of a worked solution: the number after GSM8K's `####` marker if there is one,
 * otherwise the last number in the text (`The total is $1,234.50.` → 1234.5).
 */
export function finalNumber(text: string | null): number | null {
  if (text === null) return null;
  const marker = text.lastIndexOf('####');
  const tail = marker >= 0 ? text.slice(marker + 4) : text;
  const matches = tail.match(NUMBER);
  if (!matches?.length) return null;
  const pick = marker >= 0 ? matches[0] : matches[matches.length - 1];
  const n = Number(pick.replace(/,/g, '').replace('−', '-'));
  return Number.isFinite(n) ? n : null;
}

/** Relative tolerance: 1e-6 of the larger magnitude, so 0.1 + 0.2 equals 0.3 but 1.01 is not 1. */
const RELATIVE_TOLERANCE = 1e-6;

export const numericMatch: Scorer = {
  name: 'numeric',
  needs: 'reference',
  description: 'final number of the answer equals the reference number (relative tolerance 1e-6)',
  score({ output, reference }) {
    if (!reference) return { value: null, explanation: 'no reference' };
    const expected = typeof reference.json === 'number' ? reference.json : finalNumber(reference.text);
    if (expected === null) return { value: null, explanation: 'the reference holds no number' };
    const got = finalNumber(output.text);
    if (got === null) return { value: 0, explanation: 'the answer holds no number' };
    const ok =
      Math.abs(got - expected) <= RELATIVE_TOLERANCE * Math.max(1, Math.abs(got), Math.abs(expected));
    return ok ? { value: 1 } : { value: 0, explanation: `answered ${got}, expected ${expected}` };
  },
};
