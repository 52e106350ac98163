/**
 * BLEU (Papineni et al. 2002) as sacreBLEU computes it (github.com/mjpost/sacrebleu,
 * sacrebleu/metrics/bleu.py): the mteval-v13a tokenizer, clipped n-gram counts against the union of
 * references, the closest reference length for the brevity penalty, and its four smoothing
 * methods (Chen and Cherry 2014, https://aclanthology.org/W14-3346).
 */

export type BleuTokenizer = '13a' | 'none';
export type BleuSmoothing = 'exp' | 'floor' | 'add-k' | 'none';

export interface BleuOptions {
  tokenize?: BleuTokenizer;
  smooth?: BleuSmoothing;
  /** For `floor` (default 0.1) and `add-k` (default 1). */
  smoothValue?: number;
  /** Average only over n-gram orders the hypothesis has (sacreBLEU's effective_order). */
  effectiveOrder?: boolean;
  lowercase?: boolean;
  maxOrder?: number;
}

export interface BleuStatistics {
  hypothesisLength: number;
  referenceLength: number;
  /** Clipped matches per order, 1-grams first. */
  correct: number[];
  total: number[];
}

export interface BleuScore extends BleuStatistics {
  /** In [0, 1] (sacreBLEU prints 100 times this). */
  score: number;
  /** Per order, in [0, 1]. */
  precisions: number[];
  brevityPenalty: number;
}

const SMOOTH_DEFAULTS: Record<BleuSmoothing, number> = { none: 0, floor: 0.1, 'add-k': 1, exp: 0 };

// sacrebleu/tokenizers/tokenizer_re.py: punctuation and symbols become tokens; periods and commas
// too unless they sit inside a number; a dash after a digit is split off.
const SYMBOLS = /([{-~[-` -&(-+:-@/])/g;
const PERIOD_COMMA_AFTER = /([^0-9])([.,])/g;
const PERIOD_COMMA_BEFORE = /([.,])([^0-9])/g;
const DASH_AFTER_DIGIT = /([0-9])(-)/g;

/** The mteval-v13a tokenizer used by WMT (sacrebleu/tokenizers/tokenizer_13a.py). */
export function tokenize13a(line: string): string[] {
  let s = line
    .replaceAll('<skipped>', '')
    .replaceAll('-\n', '')
    .replaceAll('\n', ' ')
    .replaceAll('&quot;', '"')
    .replaceAll('&amp;', '&')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>');
  s = ` ${s} `
    .replace(SYMBOLS, ' $1 ')
    .replace(PERIOD_COMMA_AFTER, '$1 $2 ')
    .replace(PERIOD_COMMA_BEFORE, ' $1 $2')
    .replace(DASH_AFTER_DIGIT, '$1 $2 ');
  return splitWords(s);
}

function splitWords(s: string): string[] {
  return s.split(/\s+/).filter((t) => t.length > 0);
}

function tokens(text: string, options: BleuOptions): string[] {
  // sacreBLEU strips trailing whitespace before tokenizing (BLEU._preprocess_segment).
  const t = (options.lowercase ? text.toLowerCase() : text).trimEnd();
  return (options.tokenize ?? '13a') === '13a' ? tokenize13a(t) : splitWords(t);
}

function ngramCounts(words: readonly string[], maxOrder: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let n = 1; n <= maxOrder; n++)
    for (let i = 0; i + n <= words.length; i++) {
      // A separator that cannot occur inside a token, and the order, keep n-grams distinct.
      const key = `${n}\u0000${words.slice(i, i + n).join('\u0001')}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  return counts;
}

/** Closest reference length to the hypothesis; the shorter on a tie. */
function closestReferenceLength(hypothesisLength: number, referenceLengths: readonly number[]): number {
  let best = -1;
  let bestDiff = -1;
  for (const r of referenceLengths) {
    const diff = Math.abs(hypothesisLength - r);
    if (bestDiff === -1 || diff < bestDiff || (diff === bestDiff && r < best)) {
      bestDiff = diff;
      best = r;
    }
  }
  return best;
}

/** Sufficient statistics of one segment against its references, already tokenized. */
export function segmentStatistics(
  hypothesis: readonly string[],
  references: ReadonlyArray<readonly string[]>,
  maxOrder = 4,
): BleuStatistics {
  const maxRef = new Map<string, number>();
  for (const ref of references)
    for (const [k, c] of ngramCounts(ref, maxOrder)) maxRef.set(k, Math.max(maxRef.get(k) ?? 0, c));
  const correct = new Array<number>(maxOrder).fill(0);
  const total = new Array<number>(maxOrder).fill(0);
  for (const [k, c] of ngramCounts(hypothesis, maxOrder)) {
    const n = Number(k.slice(0, k.indexOf('\u0000'))) - 1;
    total[n] += c;
    correct[n] += Math.min(c, maxRef.get(k) ?? 0);
  }
  return {
    hypothesisLength: hypothesis.length,
    referenceLength: closestReferenceLength(
      hypothesis.length,
      references.map((r) => r.length),
    ),
    correct,
    total,
  };
}

/** BLEU from (summed) statistics: sacreBLEU's `BLEU.compute_bleu`. */
export function bleuFromStatistics(stats: BleuStatistics, options: BleuOptions = {}): BleuScore {
  const smooth = options.smooth ?? 'exp';
  const smoothValue = options.smoothValue ?? SMOOTH_DEFAULTS[smooth];
  const maxOrder = stats.correct.length;
  const correct = [...stats.correct];
  const total = [...stats.total];
  const sys = stats.hypothesisLength;
  const ref = stats.referenceLength;
  const brevityPenalty = sys < ref ? (sys > 0 ? Math.exp(1 - ref / sys) : 0) : 1;
  const precisions = new Array<number>(maxOrder).fill(0);
  const result = (score: number): BleuScore => ({
    ...stats,
    score,
    precisions: precisions.map((p) => p / 100),
    brevityPenalty,
  });
  if (!correct.some((c) => c > 0)) return result(0);

  let smoothMteval = 1;
  let effectiveOrder = maxOrder;
  for (let n = 1; n <= maxOrder; n++) {
    if (smooth === 'add-k' && n > 1) {
      correct[n - 1] += smoothValue;
      total[n - 1] += smoothValue;
    }
    if (total[n - 1] === 0) break;
    if (options.effectiveOrder) effectiveOrder = n;
    if (correct[n - 1] === 0) {
      if (smooth === 'exp') {
        smoothMteval *= 2;
        precisions[n - 1] = 100 / (smoothMteval * total[n - 1]);
      } else if (smooth === 'floor') {
        precisions[n - 1] = (100 * smoothValue) / total[n - 1];
      }
    } else {
      precisions[n - 1] = (100 * correct[n - 1]) / total[n - 1];
    }
  }
  // sacreBLEU's my_log: log(0) is a huge negative number, so a zero precision zeroes the score.
  const logs = precisions.slice(0, effectiveOrder).map((p) => (p === 0 ? -9999999999 : Math.log(p)));
  const score = (brevityPenalty * Math.exp(logs.reduce((a, b) => a + b, 0) / effectiveOrder)) / 100;
  return result(score);
}

/**
 * BLEU of one hypothesis against its references. Defaults follow sacreBLEU's advice for
 * sentence-level scores: 13a tokens, exponential smoothing, effective order.
 */
export function sentenceBleu(
  hypothesis: string,
  references: readonly string[],
  options: BleuOptions = {},
): BleuScore {
  const o: BleuOptions = { smooth: 'exp', effectiveOrder: true, ...options };
  const stats = segmentStatistics(
    tokens(hypothesis, o),
    references.map((r) => tokens(r, o)),
    o.maxOrder ?? 4,
  );
  return bleuFromStatistics(stats, o);
}

/**
 * Corpus BLEU: statistics summed over segments before the geometric mean, as the metric is
 * defined (not an average of sentence scores). `references[i]` are the references of hypothesis i.
 */
export function corpusBleu(
  hypotheses: readonly string[],
  references: ReadonlyArray<readonly string[]>,
  options: BleuOptions = {},
): BleuScore {
  if (hypotheses.length !== references.length)
    throw new RangeError(`${hypotheses.length} hypotheses but ${references.length} reference sets`);
  const maxOrder = options.maxOrder ?? 4;
  const sum: BleuStatistics = {
    hypothesisLength: 0,
    referenceLength: 0,
    correct: new Array<number>(maxOrder).fill(0),
    total: new Array<number>(maxOrder).fill(0),
  };
  hypotheses.forEach((h, i) => {
    const s = segmentStatistics(
      tokens(h, options),
      references[i].map((r) => tokens(r, options)),
      maxOrder,
    );
    sum.hypothesisLength += s.hypothesisLength;
    sum.referenceLength += s.referenceLength;
    for (let n = 0; n < maxOrder; n++) {
      sum.correct[n] += s.correct[n];
      sum.total[n] += s.total[n];
    }
  });
  return bleuFromStatistics(sum, options);
}
