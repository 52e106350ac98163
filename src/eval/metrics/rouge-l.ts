export interface PrecisionRecall {
  precision: number;
  recall: number;
  /** Harmonic mean of precision and recall (F1), 0 when both are 0. */
  fmeasure: number;
}

/**
 * Tokens as Google's rouge-score package makes them (rouge/tokenize.py, no stemmer): lowercased,
 * every run of characters outside [a-z0-9] a separator. Matching its tokenizer is what makes our
 * scores comparable with published ROUGE figures.
 */
export function rougeTokenize(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .split(/\s+/)
    .filter((t) => t.length > 0);
}

/** Length of the longest common subsequence, two DP rows at a time. */
export function lcsLength(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  let previous = new Uint32Array(b.length + 1);
  let current = new Uint32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      current[j] = a[i - 1] === b[j - 1] ? previous[j - 1] + 1 : Math.max(previous[j], current[j - 1]);
    }
    [previous, current] = [current, previous];
  }
  return previous[b.length];
}

export function fmeasure(precision: number, recall: number): number {
  return precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
}

/**
 * Sentence-level ROUGE-L (Lin 2004, §3.1): the longest common subsequence of the tokens, as a share
 * of the prediction (precision) and of the target (recall), combined as F1. Equal to rouge-score's
 * `RougeScorer(['rougeL']).score(target, prediction)`.
 */
export function rougeL(target: string, prediction: string): PrecisionRecall {
  const t = rougeTokenize(target);
  const p = rougeTokenize(prediction);
  if (t.length === 0 || p.length === 0) return { precision: 0, recall: 0, fmeasure: 0 };
  const lcs = lcsLength(t, p);
  const precision = lcs / p.length;
  const recall = lcs / t.length;
  return { precision, recall, fmeasure: fmeasure(precision, recall) };
}
