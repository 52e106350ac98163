import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ScorerError } from '../scorers/scorer.js';
import { checkTemplate } from './prompt-template.js';

export const rubricSchema = z.strictObject({
  /** Scores run from 1 to `scale`. */
  scale: z.int().min(2).max(10).default(5),
  criteria: z
    .array(z.strictObject({ name: z.string().regex(/^[A-Za-z0-9_-]+$/), description: z.string().min(1) }))
    .min(1),
  /** A prompt template replacing the default one. */
  prompt: z.string().optional(),
});

export type Rubric = z.output<typeof rubricSchema> & { prompt: string };

export const DEFAULT_RUBRIC_PROMPT = `You are grading one AI assistant's answer to a conversation, criterion by criterion.

[Conversation]
{{conversation}}

[Reference answer (may be empty)]
{{reference}}

[Answer to grade]
{{answer}}

[Criteria: score each from 1 (worst) to {{scale}} (best)]
{{criteria}}

Reply with only a JSON object, no other text:
{"scores": {"<criterion name>": <integer from 1 to {{scale}}>, ...}, "explanation": "<one or two sentences>"}
`;

export const RUBRIC_PLACEHOLDERS = ['conversation', 'reference', 'answer', 'criteria', 'scale'] as const;

/** Correctness, instruction following, helpfulness on 1–5: the default when no rubric file is given. */
export const DEFAULT_RUBRIC: Rubric = {
  scale: 5,
  criteria: [
    { name: 'correctness', description: 'Facts, figures and reasoning are right; nothing is made up.' },
    {
      name: 'instruction_following',
      description:
        'Does what was asked, in the requested format, length and language, using tools when asked to.',
    },
    { name: 'helpfulness', description: "Resolves the user's need clearly and completely, without padding." },
  ],
  prompt: DEFAULT_RUBRIC_PROMPT,
};

/** Parses a rubric file (YAML or JSON): criteria with descriptions, the scale, an optional prompt. */
export function parseRubric(text: string, source = 'rubric'): Rubric {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw new ScorerError(`${source}: not valid YAML or JSON: ${(err as Error).message}`);
  }
  const parsed = rubricSchema.safeParse(raw);
  if (!parsed.success)
    throw new ScorerError(
      `${source}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'rubric'}: ${i.message}`).join('; ')}`,
    );
  const rubric = { ...parsed.data, prompt: parsed.data.prompt ?? DEFAULT_RUBRIC_PROMPT };
  checkTemplate(rubric.prompt, RUBRIC_PLACEHOLDERS, ['answer', 'criteria'], `${source}: prompt`);
  return rubric;
}

export type RubricVerdict =
  { ok: true; scores: Record<string, number>; explanation: string | null } | { ok: false; error: string };

/** Reads the judge's JSON reply: an integer in [1, scale] for every criterion. */
export function parseRubricVerdict(reply: string, rubric: Rubric): RubricVerdict {
  const start = reply.indexOf('{');
  const end = reply.lastIndexOf('}');
  if (start < 0 || end <= start) return { ok: false, error: 'no JSON object in the reply' };
  let value: unknown;
  try {
    value = JSON.parse(reply.slice(start, end + 1));
  } catch (err) {
    return { ok: false, error: `reply is not valid JSON: ${(err as Error).message}` };
  }
  const scores = (value as { scores?: unknown }).scores;
  if (typeof scores !== 'object' || scores === null)
    return { ok: false, error: 'reply has no "scores" object' };
  const out: Record<string, number> = {};
  for (const c of rubric.criteria) {
    const s = (scores as Record<string, unknown>)[c.name];
    if (typeof s !== 'number' || !Number.isInteger(s) || s < 1 || s > rubric.scale)
      return {
        ok: false,
        error: `criterion ${c.name}: expected an integer from 1 to ${rubric.scale}, got ${JSON.stringify(s)}`,
      };
    out[c.name] = s;
  }
  const explanation = (value as { explanation?: unknown }).explanation;
  return { ok: true, scores: out, explanation: typeof explanation === 'string' ? explanation : null };
}
