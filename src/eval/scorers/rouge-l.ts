import { rougeL as rougeLScore } from '../metrics/rouge-l.js';
import type { Scorer } from './scorer.js';

export const rougeL: Scorer = {
  name: 'rouge-l',
  needs: 'reference',
  description: 'ROUGE-L F1 against the reference text (rouge-score tokenization, no stemming)',
  score({ output, reference }) {
    if (reference?.text === null || reference?.text === undefined)
      return { value: null, explanation: 'the reference has no text' };
    const r = rougeLScore(reference.text, output.text ?? '');
    return {
      value: r.fmeasure,
      details: { precision: r.precision, recall: r.recall },
    };
  },
};
