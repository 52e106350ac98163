import { sentenceBleu } from '../metrics/bleu.js';
import type { Scorer } from './scorer.js';

export const bleu: Scorer = {
  name: 'bleu',
  needs: 'reference',
  description:
    'sentence BLEU against the reference text (sacreBLEU: 13a tokens, exp smoothing, effective order)',
  score({ output, reference }) {
    if (reference?.text === null || reference?.text === undefined)
      return { value: null, explanation: 'the reference has no text' };
    const b = sentenceBleu(output.text ?? '', [reference.text]);
    return { value: b.score, details: { brevityPenalty: b.brevityPenalty, precisions: b.precisions } };
  },
};
