import { describe, expect, it } from 'vitest';
import { bleu } from '../../../src/eval/scorers/bleu.js';
import { exactMatch } from '../../../src/eval/scorers/exact-match.js';
import { normalizeAnswer, normalizedMatch } from '../../../src/eval/scorers/normalized-match.js';
import { finalNumber, numericMatch } from '../../../src/eval/scorers/numeric-match.js';
import { regexMatch } from '../../../src/eval/scorers/regex-match.js';
import { rougeL } from '../../../src/eval/scorers/rouge-l.js';
import { baselineRef, evalCase, expectedRef, score, text } from './scorer-fixtures.js';

describe('exact and normalised match', () => {
  it('exact ignores only surrounding whitespace', async () => {
    expect(
      (
        await score(exactMatch, {
          case: evalCase(),
          output: text(' Paris\n'),
          reference: expectedRef('Paris'),
        })
      ).value,
    ).toBe(1);
    expect(
      (await score(exactMatch, { case: evalCase(), output: text('paris'), reference: expectedRef('Paris') }))
        .value,
    ).toBe(0);
  });

  it('normalised match forgives case, punctuation, articles and spacing', async () => {
    expect(normalizeAnswer('  The  Eiffel-Tower!  ')).toBe('eiffeltower');
    expect(normalizeAnswer('Ａ cat.')).toBe('cat');
    const r = await score(normalizedMatch, {
      case: evalCase(),
      output: text('the Paris.'),
      reference: expectedRef('Paris'),
    });
    expect(r.value).toBe(1);
    const wrong = await score(normalizedMatch, {
      case: evalCase(),
      output: text('Lyon'),
      reference: expectedRef('Paris'),
    });
    expect(wrong).toMatchObject({ value: 0, explanation: "normalised answer 'lyon' is not 'paris'" });
  });

  it("uses the baseline's answer as the reference when the case has none", async () => {
    const r = await score(exactMatch, {
      case: evalCase(),
      output: text('Paris'),
      reference: baselineRef(text('Paris')),
    });
    expect(r.value).toBe(1);
  });
});

describe('regex', () => {
  it("matches the case's pattern and skips cases without one", async () => {
    const c = evalCase({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
    expect((await score(regexMatch, { case: c, output: text('2026-11-25') })).value).toBe(1);
    expect((await score(regexMatch, { case: c, output: text('25/11/2026') })).value).toBe(0);
    expect((await score(regexMatch, { case: evalCase(), output: text('x') })).value).toBeNull();
  });
});

describe('numeric', () => {
  it.each([
    ['The answer is 42.', 42],
    ['Total: $1,234.50 in all', 1234.5],
    ['3 apples and 5 pears make 8', 8],
    ['Natalia sold 48/2 = 24 clips in May.\n#### 72', 72],
    ['−3 degrees', -3],
    ['no digits here', null],
  ])('reads the final number of %j as %s', (t, n) => {
    expect(finalNumber(t)).toBe(n);
  });

  it('compares with a relative tolerance of 1e-6', async () => {
    const ref = expectedRef(0.3);
    expect(
      (await score(numericMatch, { case: evalCase(), output: text(String(0.1 + 0.2)), reference: ref }))
        .value,
    ).toBe(1);
    expect(
      (await score(numericMatch, { case: evalCase(), output: text('0.31'), reference: ref })).value,
    ).toBe(0);
    expect(
      (
        await score(numericMatch, {
          case: evalCase(),
          output: text('It is 72'),
          reference: expectedRef('#### 72'),
        })
      ).value,
    ).toBe(1);
    expect(
      await score(numericMatch, { case: evalCase(), output: text('none'), reference: ref }),
    ).toMatchObject({
      value: 0,
      explanation: 'the answer holds no number',
    });
  });
});

describe('ROUGE-L and BLEU scorers', () => {
  it('score F1 and sentence BLEU against the reference text', async () => {
    const r = await score(rougeL, {
      case: evalCase(),
      output: text('testing one'),
      reference: expectedRef('testing one two'),
    });
    expect(r.value).toBeCloseTo(0.8, 12);
    const b = await score(bleu, {
      case: evalCase(),
      output: text('a test'),
      reference: expectedRef('a test'),
    });
    expect(b.value).toBeCloseTo(1, 12);
    const none = await score(bleu, {
      case: evalCase(),
      output: text('okay thanks'),
      reference: expectedRef('this is a cat'),
    });
    expect(none.value).toBe(0);
  });
});
