import { formatConversation } from '../judge/format-conversation.js';
import { renderTemplate } from '../judge/prompt-template.js';
import { DEFAULT_RUBRIC, parseRubricVerdict, type Rubric } from '../judge/rubric.js';
import { describeOutput } from '../output/model-output.js';
import { ScorerError, type Scorer } from './scorer.js';

/**
 * Rubric LLM judge: each answer is graded alone, 1 to N on every criterion. The score is the mean
 * of the criteria rescaled to [0, 1] ((s − 1) / (N − 1)); each criterion is kept as a field, so
 * reports can show where a candidate loses.
 */
export function rubricJudge(options: { model: string | undefined; rubric?: Rubric }): Scorer {
  const model = options.model;
  if (!model) throw new ScorerError("the 'judge-rubric' scorer needs --judge MODEL");
  const rubric = options.rubric ?? DEFAULT_RUBRIC;
  const criteria = rubric.criteria.map((c) => `- ${c.name}: ${c.description}`).join('\n');
  return {
    name: 'judge-rubric',
    needs: 'output',
    description: `${model} grades ${rubric.criteria.map((c) => c.name).join(', ')} from 1 to ${rubric.scale}`,
    async score({ case: c, output }, context) {
      const expected = c.expected;
      const prompt = renderTemplate(rubric.prompt, {
        conversation: formatConversation(c),
        reference:
          expected === undefined ? '' : typeof expected === 'string' ? expected : JSON.stringify(expected),
        answer: describeOutput(output) || '(empty answer)',
        criteria,
        scale: String(rubric.scale),
      });
      const completion = await context.chat({
        model,
        messages: [{ role: 'user', content: prompt }],
        temperature: 0,
      });
      const reply = completion.choices?.[0]?.message?.content;
      const verdict = parseRubricVerdict(typeof reply === 'string' ? reply : '', rubric);
      if (!verdict.ok) return { value: null, explanation: `judge reply unreadable: ${verdict.error}` };
      const fields: Record<string, number> = {};
      for (const [name, s] of Object.entries(verdict.scores)) fields[name] = (s - 1) / (rubric.scale - 1);
      const values = Object.values(fields);
      return {
        value: values.reduce((a, b) => a + b, 0) / values.length,
        fields,
        details: { raw: verdict.scores },
        ...(verdict.explanation ? { explanation: verdict.explanation } : {}),
      };
    },
  };
}
