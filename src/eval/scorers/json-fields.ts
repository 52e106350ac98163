import { isObject, jsonEqual, jsonLeaves, valueAt } from '../output/json-equal.js';
import { parseJsonAnswer } from '../output/parse-json-answer.js';
import type { Scorer } from './scorer.js';

/**
 * Per-field accuracy of a JSON answer: every leaf of the reference object (`customer.name`,
 * `items[0].sku`) is compared with the answer's value at the same path; the score is the share that
 * match. Fields the answer adds are not penalised (schema conformance is `json-schema`'s job). A
 * code fence around the JSON is tolerated and noted, so extraction quality is not hidden behind
 * formatting.
 */
export const jsonFields: Scorer = {
  name: 'json-fields',
  needs: 'reference',
  description: 'share of the reference JSON fields the answer gets right',
  score({ output, reference }) {
    if (reference?.source === 'expected' && reference.toolCalls)
      return { value: null, explanation: 'the expected answer is tool calls (scored by tool-calls)' };
    if (!reference || !isObject(reference.json))
      return { value: null, explanation: `the ${reference?.source ?? 'reference'} is not a JSON object` };
    const leaves = jsonLeaves(reference.json);
    const parsed = parseJsonAnswer(output.text, true);
    if (!parsed.ok) {
      const fields = Object.fromEntries(leaves.map((l) => [l.path, 0]));
      return { value: 0, fields, explanation: parsed.error };
    }
    const fields: Record<string, number> = {};
    const wrong: string[] = [];
    for (const leaf of leaves) {
      const got = valueAt(parsed.value, leaf.segments);
      const ok = jsonEqual(got, leaf.value);
      fields[leaf.path] = ok ? 1 : 0;
      if (!ok) wrong.push(got === undefined ? `${leaf.path} missing` : `${leaf.path}=${JSON.stringify(got)}`);
    }
    const value = leaves.length ? (leaves.length - wrong.length) / leaves.length : 1;
    const notes: string[] = [];
    if (wrong.length) notes.push(`wrong: ${wrong.slice(0, 4).join(', ')}${wrong.length > 4 ? ', ...' : ''}`);
    if (parsed.fenced) notes.push('JSON wrapped in a code fence');
    return { value, fields, ...(notes.length ? { explanation: notes.join('; ') } : {}) };
  },
};
