import type { Scorer } from './scorer.js';

/** 1 when the answer is the reference text exactly, apart from leading and trailing whitespace. */
export const exactMatch: Scorer = {
  name: 'exact',
  needs: 'reference',
  description: 'answer equals the reference text (surrounding whitespace ignored)',
  score({ output, reference }) {
    if (reference?.text === null || reference?.text === undefined)
      return { value: null, explanation: 'the reference has no text' };
    const same = (output.text ?? '').trim() === reference.text.trim();
    return { value: same ? 1 : 0, ...(same ? {} : { explanation: 'differs from the reference text' }) };
  },
};
