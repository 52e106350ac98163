import type { Scorer } from './scorer.js';

/** 1 when the answer matches the case's `pattern` (a JavaScript regular expression, unanchored). */
export const regexMatch: Scorer = {
  name: 'regex',
  needs: 'output',
  description: "answer matches the case's pattern",
  score({ case: c, output }) {
    if (c.pattern === undefined) return { value: null, explanation: 'the case has no pattern' };
    const matched = new RegExp(c.pattern, 'u').test(output.text ?? '');
    return matched ? { value: 1 } : { value: 0, explanation: `does not match /${c.pattern}/` };
  },
};
