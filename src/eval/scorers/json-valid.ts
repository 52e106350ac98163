import { parseJsonAnswer } from '../output/parse-json-answer.js';
import type { Scorer } from './scorer.js';

/** 1 when the whole answer parses as JSON, as JSON mode promises (a code fence does not count). */
export const jsonValid: Scorer = {
  name: 'json-valid',
  needs: 'output',
  description: 'answer is valid JSON as it stands',
  score({ output }) {
    const parsed = parseJsonAnswer(output.text, false);
    return parsed.ok ? { value: 1 } : { value: 0, explanation: parsed.error };
  },
};
