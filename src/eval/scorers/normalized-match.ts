import type { Scorer } from './scorer.js';

/**
 * SQuAD's answer normalisation (the v1.1 evaluation script's `normalize_answer`): lowercase, drop
 * punctuation and the articles a/an/the, collapse whitespace. Extended past ASCII: text is
 * NFKC-folded first (full-width digits equal plain ones) and every Unicode punctuation mark or
 * symbol is dropped, not only Python's `string.punctuation`.
 */
export function normalizeAnswer(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\p{P}\p{S}]/gu, '')
    .replace(/\b(a|an|the)\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export const normalizedMatch: Scorer = {
  name: 'normalized',
  needs: 'reference',
  description: 'answer equals the reference after SQuAD normalisation (case, punctuation, articles, spaces)',
  score({ output, reference }) {
    if (reference?.text === null || reference?.text === undefined)
      return { value: null, explanation: 'the reference has no text' };
    const a = normalizeAnswer(output.text ?? '');
    const b = normalizeAnswer(reference.text);
    return a === b
      ? { value: 1 }
      : { value: 0, explanation: `normalised answer '${clip(a)}' is not '${clip(b)}'` };
  },
};

const clip = (s: string) => (s.length > 60 ? `${s.slice(0, 57)}...` : s);
