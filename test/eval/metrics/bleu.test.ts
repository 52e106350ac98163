import { describe, expect, it } from 'vitest';
import {
  bleuFromStatistics,
  corpusBleu,
  segmentStatistics,
  sentenceBleu,
  tokenize13a,
  type BleuOptions,
} from '../../../src/eval/metrics/bleu.js';
import {
  NLTK_HYPOTHESIS_1,
  NLTK_HYPOTHESIS_3,
  NLTK_REFERENCE_3,
  NLTK_REFERENCES,
  SACREBLEU_README_HYPS,
  SACREBLEU_README_REFS,
  SACREBLEU_RO_REF,
  SACREBLEU_RO_SYS,
} from './published-vectors.js';

const readmeRefsPerHypothesis = SACREBLEU_README_HYPS.map((_, i) => SACREBLEU_README_REFS.map((s) => s[i]));

// sacrebleu.raw_corpus_bleu(hyps, refs, smooth_value): floor smoothing, no tokenization, effective order.
const raw = (smoothValue: number): BleuOptions => ({
  tokenize: 'none',
  smooth: 'floor',
  smoothValue,
  effectiveOrder: true,
});

describe('BLEU against sacreBLEU test vectors (test/test_bleu.py)', () => {
  it.each([
    [{}, 48.530827],
    [{ tokenize: 'none' as const }, 49.1919566],
    [{ tokenize: '13a' as const }, 48.530827],
    [{ smooth: 'none' as const }, 48.530827],
  ])('corpus BLEU of the README example with %j is %f', (options, expected) => {
    const score = corpusBleu(SACREBLEU_README_HYPS, readmeRefsPerHypothesis, options);
    expect(Math.abs(score.score * 100 - expected)).toBeLessThan(1e-6);
  });

  it('scores empty hypotheses 0 rather than dropping them', () => {
    expect(corpusBleu(['', '', ''], readmeRefsPerHypothesis).score).toBe(0);
  });

  it.each([
    ['test', 'a test', 0.3678794411714425],
    ['a test', 'a test', 1.0],
    ['a little test', 'a test', 0.03218297948685433],
  ])('effective order: %j against %j', (hyp, ref, expected) => {
    expect(Math.abs(corpusBleu([hyp], [[ref]], raw(0.01)).score - expected)).toBeLessThan(1e-8);
  });

  it('counts the sufficient statistics of test_case_statistics', () => {
    const s = segmentStatistics('am I am a character sequence'.split(' '), [
      'I am a symbol string sequence a a'.split(' '),
    ]);
    expect(s.correct).toEqual([4, 2, 1, 0]);
    expect(s.total).toEqual([6, 5, 4, 3]);
    // test_offset: floor smoothing of 0.1 gives 0.1555722182, none gives 0.
    expect(
      corpusBleu(['am I am a character sequence'], [['I am a symbol string sequence a a']], raw(0.1)).score,
    ).toBeCloseTo(0.1555722182, 9);
    expect(
      corpusBleu(['am I am a character sequence'], [['I am a symbol string sequence a a']], raw(0)).score,
    ).toBe(0);
  });

  it('scores from statistics as test_case_scoring', () => {
    const score = bleuFromStatistics(
      { correct: [9, 7, 5, 3], total: [10, 8, 6, 4], hypothesisLength: 11, referenceLength: 11 },
      { smooth: 'none' },
    );
    expect(Math.abs(score.score - 0.8375922397)).toBeLessThan(1e-8);
  });
});

describe('sentence BLEU against sacreBLEU (test/test_sentence_bleu.py)', () => {
  it.each([
    [{ smooth: 'exp' }, 8.493],
    [{ smooth: 'none' }, 0.0],
    [{ smooth: 'floor' }, 4.51688],
    [{ smooth: 'floor', smoothValue: 0.5 }, 10.1],
    [{ smooth: 'add-k' }, 14.882],
    [{ smooth: 'add-k', smoothValue: 2 }, 21.389],
    [{ smooth: 'exp', tokenize: 'none' }, 7.347],
  ] as Array<[BleuOptions, number]>)('%j gives %f', (options, expected) => {
    const score = sentenceBleu(SACREBLEU_RO_SYS, [SACREBLEU_RO_REF], { effectiveOrder: true, ...options });
    expect(Math.abs(score.score * 100 - expected)).toBeLessThan(1e-3);
  });

  it('gives 0 when nothing matches (test_cases_zero_bleu)', () => {
    expect(sentenceBleu('this is a cat', ['okay thanks']).score).toBe(0);
  });
});

describe('BLEU against the NLTK doctests (Papineni et al. 2002)', () => {
  const nltk: BleuOptions = { tokenize: 'none', smooth: 'none', effectiveOrder: false };
  // The doctests print with an ellipsis (`0.5045...`): compare the digits they show.
  const shown = (x: number) => Math.trunc(x * 1e4) / 1e4;
  it('matches sentence_bleu on the first hypothesis', () => {
    expect(shown(sentenceBleu(NLTK_HYPOTHESIS_1, NLTK_REFERENCES, nltk).score)).toBe(0.5045);
  });

  it('matches corpus_bleu, which is not the mean of sentence scores', () => {
    const corpus = corpusBleu(
      [NLTK_HYPOTHESIS_1, NLTK_HYPOTHESIS_3],
      [NLTK_REFERENCES, [NLTK_REFERENCE_3]],
      nltk,
    );
    expect(shown(corpus.score)).toBe(0.592);
    const mean =
      (sentenceBleu(NLTK_HYPOTHESIS_1, NLTK_REFERENCES, nltk).score +
        sentenceBleu(NLTK_HYPOTHESIS_3, [NLTK_REFERENCE_3], nltk).score) /
      2;
    expect(shown(mean)).toBe(0.6223);
  });
});

describe('13a tokenizer', () => {
  it('splits punctuation but keeps decimals and thousands separators', () => {
    expect(tokenize13a('It costs $3,000.50, (roughly) 2-3 days.')).toEqual([
      'It',
      'costs',
      '$',
      '3,000.50',
      ',',
      '(',
      'roughly',
      ')',
      '2',
      '-',
      '3',
      'days',
      '.',
    ]);
    expect(tokenize13a('a &amp; b')).toEqual(['a', '&', 'b']);
  });
});
