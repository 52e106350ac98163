import type { EvalCase } from '../case/eval-case.js';
import { checkJsonSchema } from '../output/json-schema-check.js';
import { parseJsonAnswer } from '../output/parse-json-answer.js';
import type { Scorer } from './scorer.js';

/** The schema an answer must meet: the case's own, else its response_format's. */
export function schemaForCase(c: EvalCase): Record<string, unknown> | undefined {
  if (c.schema) return c.schema;
  const rf = c.response_format;
  if (rf?.type === 'json_schema') return rf.json_schema.schema;
  return undefined;
}

export const jsonSchemaConformance: Scorer = {
  name: 'json-schema',
  needs: 'output',
  description: "answer is JSON that satisfies the case's schema (or its response_format schema)",
  score({ case: c, output }) {
    const schema = schemaForCase(c);
    if (!schema) return { value: null, explanation: 'the case has no schema' };
    const parsed = parseJsonAnswer(output.text, false);
    if (!parsed.ok) return { value: 0, explanation: parsed.error };
    const check = checkJsonSchema(parsed.value, schema);
    if (check.ok) return { value: 1 };
    const shown = check.problems.slice(0, 3).join('; ');
    const more = check.problems.length > 3 ? ` (+${check.problems.length - 3} more)` : '';
    return { value: 0, explanation: `violates the schema: ${shown}${more}` };
  },
};
